"""R6: an attacker with database access alters, deletes, inserts or reorders audit rows with raw SQL.

The append-only triggers are bypassed the way such an attacker would (PostgreSQL: ``ALTER TABLE …
DISABLE TRIGGER USER``; SQLite: drop the triggers), on the engine the suite runs on. Each time
``manage.py verify_audit`` must fail and name the first row where the chain breaks.

What the chain cannot catch, by construction (docs/reliability.md): an attacker who rewrites every
row from the tampered one onwards *and* the head row, since the hashes are unkeyed.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.accounts.selectors import verify_audit_chain
from suyuan.accounts.services import record_audit

pytestmark = pytest.mark.django_db
TABLE = "accounts_auditentry"
ROWS = 6


@pytest.fixture
def chain() -> list[AuditEntry]:
    origin = Origin(via="test", ip="10.0.0.7")
    for i in range(1, ROWS + 1):
        record_audit(
            actor=None, action=AuditAction.UPDATE, origin=origin, target_type="dispute",
            target_id=f"SY-2026-{i:06d}", detail={"n": i},
        )
    assert verify_audit_chain().ok
    return list(AuditEntry.objects.order_by("seq"))


def attack(*statements: tuple[str, list]) -> None:
    """Run raw SQL around the append-only triggers, as a database superuser could."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cur.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
            cur.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
        for sql, params in statements:
            cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")


def assert_caught(first_bad: int, words: str) -> None:
    report = verify_audit_chain()
    assert not report.ok
    assert f"第 {first_bad} 条" in report.problem, report.problem
    assert words in report.problem, report.problem
    with pytest.raises(CommandError, match=f"审计日志校验失败：第 {first_bad} 条"):
        call_command("verify_audit")


def _json(value: object) -> str:
    return json.dumps(value)


def _jsonb() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


# Every stored column of row 3, changed in place.
ALTERATIONS = {
    "at": ("at", "2020-01-01 00:00:00"),
    "actor_label": ("actor_label", "某人"),
    "actor_role": ("actor_role", "judge"),
    "action": ("action", "delete"),
    "target_type": ("target_type", "party"),
    "target_id": ("target_id", "SY-2026-999999"),
    "ip": ("ip", "203.0.113.9"),
    "entry_hash": ("entry_hash", "f" * 64),
}


@pytest.mark.parametrize("column", sorted(ALTERATIONS))
def test_altering_any_column_names_the_row(chain, column):
    name, value = ALTERATIONS[column]
    attack((f"UPDATE {TABLE} SET {name} = %s WHERE seq = 3", [value]))
    assert_caught(3, "篡改")


def test_altering_the_json_detail_names_the_row(chain):
    attack((f"UPDATE {TABLE} SET detail = {_jsonb()} WHERE seq = 3", [_json({"n": 30, "via": "test"})]))
    assert_caught(3, "篡改")


def test_altering_the_actor_names_the_row(chain, world):
    attack((f"UPDATE {TABLE} SET actor_id = %s WHERE seq = 3", [world.clerk.pk]))
    assert_caught(3, "篡改")


def test_altered_row_with_its_own_hash_recomputed_breaks_the_next_link(chain):
    forged = chain[2]
    forged.target_id = "SY-2026-999999"
    attack((f"UPDATE {TABLE} SET target_id = %s, entry_hash = %s WHERE seq = 3", [forged.target_id,
                                                                                     forged.compute_hash()]))
    assert_caught(4, "前序哈希不符")


def test_rewiring_prev_hash_names_the_row(chain):
    attack((f"UPDATE {TABLE} SET prev_hash = %s WHERE seq = 3", [chain[0].entry_hash]))
    assert_caught(3, "前序哈希不符")


@pytest.mark.parametrize(("seq", "words"), [(1, "缺失"), (3, "缺失"), (ROWS, "末尾记录被删除")])
def test_deleting_a_row_names_it(chain, seq, words):
    attack((f"DELETE FROM {TABLE} WHERE seq = %s", [seq]))
    assert_caught(seq, words)


def test_deleting_a_row_and_closing_the_gap_breaks_the_next_link(chain):
    attack(
        (f"DELETE FROM {TABLE} WHERE seq = 3", []),
        (f"UPDATE {TABLE} SET seq = seq + 1000 WHERE seq > 3", []),
        (f"UPDATE {TABLE} SET seq = seq - 1001 WHERE seq > 1000", []),
    )
    assert_caught(3, "前序哈希不符")


def _insert(seq: int, prev_hash: str, target_id: str) -> tuple[str, list]:
    row = AuditEntry(
        seq=seq, at=chain_time(), actor=None, actor_label="系统", actor_role="", action=AuditAction.DELETE,
        target_type="dispute", target_id=target_id, detail={"via": "test"}, ip="", prev_hash=prev_hash,
    )
    row.entry_hash = row.compute_hash()
    return (
        f"INSERT INTO {TABLE} (seq, at, actor_id, actor_label, actor_role, action, target_type, target_id, "
        f"detail, ip, prev_hash, entry_hash) VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, {_jsonb()}, %s, %s, %s)",
        [row.seq, row.at, row.actor_label, row.actor_role, row.action, row.target_type, row.target_id,
         _json(row.detail), row.ip, row.prev_hash, row.entry_hash],
    )


def chain_time():  # type: ignore[no-untyped-def]
    return AuditEntry.objects.order_by("seq").first().at


def test_inserting_a_well_formed_row_in_the_middle_breaks_the_next_link(chain):
    attack(
        (f"UPDATE {TABLE} SET seq = seq + 1000 WHERE seq >= 3", []),
        (f"UPDATE {TABLE} SET seq = seq - 999 WHERE seq > 1000", []),
        _insert(3, chain[1].entry_hash, "SY-2026-777777"),
    )
    assert AuditEntry.objects.count() == ROWS + 1
    assert_caught(4, "前序哈希不符")


def test_inserting_a_row_with_a_duplicate_position_is_caught(chain):
    # seq is unique, so a forger who keeps the numbering must use a free number: here past the end.
    attack(_insert(ROWS + 1, chain[-1].entry_hash, "SY-2026-777777"))
    assert_caught(ROWS + 1, "记录被追加")


def test_inserting_a_row_into_a_gap_number_is_caught(chain):
    attack(_insert(ROWS + 5, chain[-1].entry_hash, "SY-2026-777777"))
    assert_caught(ROWS + 1, "缺失或顺序被改动")


def test_replacing_the_last_row_with_a_well_formed_one_is_caught_at_the_head(chain):
    forged = chain[-1]
    forged.target_id = "SY-2026-999999"
    attack((f"UPDATE {TABLE} SET target_id = %s, entry_hash = %s WHERE seq = %s",
            [forged.target_id, forged.compute_hash(), ROWS]))
    assert_caught(ROWS, "末尾记录被替换")


def test_swapping_two_rows_names_the_first(chain):
    attack(
        (f"UPDATE {TABLE} SET seq = 1000 WHERE seq = 2", []),
        (f"UPDATE {TABLE} SET seq = 2 WHERE seq = 4", []),
        (f"UPDATE {TABLE} SET seq = 4 WHERE seq = 1000", []),
    )
    assert_caught(2, "前序哈希不符")


def test_reversing_the_tail_names_the_first_moved_row(chain):
    attack(
        (f"UPDATE {TABLE} SET seq = 2000 - seq WHERE seq >= 4", []),
        (f"UPDATE {TABLE} SET seq = seq - 1990 WHERE seq > 1000", []),
    )
    # 4, 5, 6 → 1996, 1995, 1994 → 6, 5, 4 (reversed order).
    assert [e.target_id for e in AuditEntry.objects.order_by("seq")][3:] == [c.target_id for c in chain[3:]][::-1]
    assert_caught(4, "前序哈希不符")


def test_the_untouched_chain_still_verifies_after_the_triggers_are_back(chain):
    attack()
    assert verify_audit_chain().ok
    call_command("verify_audit")
