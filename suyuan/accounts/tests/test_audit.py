import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.accounts.selectors import verify_audit_chain
from suyuan.accounts.services import record_audit

pytestmark = pytest.mark.django_db
ORIGIN = Origin(via="test", ip="10.0.0.1")


def _write(n: int) -> None:
    for i in range(n):
        record_audit(actor=None, action=AuditAction.UPDATE, origin=ORIGIN, target_type="x", target_id=i)


def _without_triggers(sql: str, params: list) -> None:
    """Simulate a superuser tampering around the triggers."""
    table = "accounts_auditentry"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cur.execute(sql, params)
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            cur.execute(sql, params)


def test_chain_verifies_and_command_says_so(capsys):
    _write(5)
    report = verify_audit_chain()
    assert report.ok and report.checked == 5
    call_command("verify_audit")
    assert "ok=true entries=5" in capsys.readouterr().out


def test_update_and_delete_are_refused_by_the_database():
    _write(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(target_id="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize(
    ("sql", "params", "problem"),
    [
        ("UPDATE accounts_auditentry SET target_id = %s WHERE seq = 2", ["forged"], "篡改"),
        ("DELETE FROM accounts_auditentry WHERE seq = 2", [], "缺失"),
        ("DELETE FROM accounts_auditentry WHERE seq = 3", [], "末尾"),
        ("UPDATE accounts_auditentry SET seq = seq + 100 WHERE seq = 1", [], "缺失"),
    ],
)
def test_tampering_is_detected(sql, params, problem):
    _write(3)
    _without_triggers(sql, params)
    report = verify_audit_chain()
    assert not report.ok
    assert problem in report.problem
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("verify_audit")


def test_swapping_two_rows_is_detected():
    _write(3)
    _without_triggers("UPDATE accounts_auditentry SET seq = 1000 WHERE seq = 1", [])
    _without_triggers("UPDATE accounts_auditentry SET seq = 1 WHERE seq = 2", [])
    _without_triggers("UPDATE accounts_auditentry SET seq = 2 WHERE seq = 1000", [])
    assert not verify_audit_chain().ok
