"""At most one delivery wake-up pending, on the database queue and on RQ, and none lost: a
notification committed while the wake-up runs still gets the next one (issue 15, R5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suyuan.common.models import Wakeup
from suyuan.common.tasking import is_transactional
from suyuan.notices import delivery, tasks, wakeup
from suyuan.notices.choices import NoticeStatus
from suyuan.notices.models import Notification
from suyuan.testing import worker

from .helpers import record

pytestmark = pytest.mark.django_db(transaction=True)
DELIVER_DUE = tasks.deliver_due.module_path


def ready_wakeups() -> int:
    """``deliver_due`` tasks waiting in the queue of the configured backend."""
    if is_transactional():
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().filter(task_path=DELIVER_DUE).count()
    import django_rq

    return sum(job.func_name == DELIVER_DUE for job in django_rq.get_queue("default").get_jobs())


def undelivered() -> int:
    return Notification.objects.exclude(status=NoticeStatus.DELIVERED).count()


def test_many_committed_writes_leave_one_pending_wakeup(world, task_backend):
    for _ in range(8):
        record(world)  # eight transactions, each writing notifications and asking for a wake-up
    assert undelivered() >= 16
    assert ready_wakeups() == 1 and wakeup.pending()
    worker.run_worker()
    assert undelivered() == 0
    assert ready_wakeups() == 0 and not wakeup.pending()
    assert "FAILED" not in worker.task_statuses()


def test_a_notice_committed_while_the_wakeup_runs_gets_the_next_one(world, task_backend, monkeypatch):
    first = record(world)
    real = delivery.deliver_due
    late: list[int] = []

    def deliver_then_a_write_commits(**kwargs):  # type: ignore[no-untyped-def]
        report = real(**kwargs)
        if not late:  # after the run's last claim, before it ends: the worst moment
            late.append(record(world).pk)
        return report

    monkeypatch.setattr(delivery, "deliver_due", deliver_then_a_write_commits)
    assert ready_wakeups() == 1
    worker.run_worker()  # runs the first wake-up, then the one the late write enqueued
    assert late and Notification.objects.filter(dispute_id=late[0]).count() >= 2
    assert undelivered() == 0, "the late notice waited for the catch-up: the wake-up was lost"
    assert Notification.objects.filter(dispute=first, status=NoticeStatus.DELIVERED).exists()
    assert ready_wakeups() == 0 and not wakeup.pending()
    assert worker.task_statuses().count("SUCCESSFUL") >= 2


def test_a_failed_enqueue_puts_the_flag_back(world, task_backend, monkeypatch):
    class BrokerDown:
        def enqueue(self) -> None:
            raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks, "deliver_due", BrokerDown())
    record(world)
    assert ready_wakeups() == 0 and not wakeup.pending()  # not stuck: the next write asks again
    monkeypatch.undo()
    record(world)
    assert ready_wakeups() == 1
    worker.run_worker()
    assert undelivered() == 0


def test_a_stale_flag_is_superseded(world, task_backend, settings):
    settings.SUYUAN_WAKEUP_STALE_SECONDS = 60
    # A wake-up asked for long ago whose task never ran (lost with a broker restart, say).
    Wakeup.objects.create(name=wakeup.FLAG.name, requested_at=timezone.now() - timedelta(seconds=61))
    record(world)
    assert ready_wakeups() == 1
    record(world)
    assert ready_wakeups() == 1  # fresh again: no second one


def test_a_full_run_asks_for_one_more_turn(world, task_backend, monkeypatch):
    monkeypatch.setattr(tasks, "WAKEUP_LIMIT", 3)
    for _ in range(3):
        record(world)
    assert undelivered() > 3 and ready_wakeups() == 1
    worker.run_worker()  # each run delivers three and, being full, enqueues the next
    assert undelivered() == 0
    assert ready_wakeups() == 0 and not wakeup.pending()


def test_a_requeued_wakeup_is_the_pending_one(world):
    """The database queue: a worker killed inside ``deliver_due`` (the flag already cleared) has its
    task requeued by the supervisor; that task is the pending wake-up, writers add none beside it."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    record(world)
    row = DBTaskResult.objects.ready().get(task_path=DELIVER_DUE)
    row.claim("killed-1")
    wakeup.clear()  # what the task did first, before its worker was killed
    call_command("requeue_tasks", worker_id="killed-1", verbosity=0)
    assert wakeup.pending() and ready_wakeups() == 1
    record(world)
    assert ready_wakeups() == 1
    worker.run_worker()
    assert undelivered() == 0 and not wakeup.pending()
