"""``manage.py pending_work``: an operator sees the arrival queues' backlog and the objects set aside,
and puts them back in line once the cause is fixed; the retry is audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from suyuan.accounts.models import AuditEntry
from suyuan.common.models import PendingWork

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("pending_work", *args, stdout=out)
    return out.getvalue()


def test_the_backlog_and_the_set_aside_objects_are_listed_and_a_retry_puts_them_back():
    PendingWork.objects.create(queue="triage.proposals", object_id=11)
    PendingWork.objects.create(queue="integrity.arrivals", object_id=12, failed_at=timezone.now(),
                               error="ValueError: broken text")
    shown = run()
    assert "triage.proposals" in shown and "integrity.arrivals" in shown
    assert "对象 12" in shown and "ValueError: broken text" in shown
    assert shown.strip().endswith("waiting=1 set_aside=1")

    retried = run("--retry", "integrity.arrivals")
    assert retried.strip().endswith("retried=1")
    row = PendingWork.objects.get(queue="integrity.arrivals")
    assert row.object_id == 12 and row.failed_at is None and row.error == ""
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.target_type == "pending_work" and entry.target_id == "integrity.arrivals"
    assert run().strip().endswith("waiting=2 set_aside=0")


def test_an_unknown_queue_or_a_stray_object_option_is_refused_in_chinese():
    with pytest.raises(CommandError, match="没有名为 nope 的队列"):
        run("--retry", "nope")
    with pytest.raises(CommandError, match="只能与 --retry 一起使用"):
        run("--object", "3")
