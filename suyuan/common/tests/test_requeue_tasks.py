"""``manage.py requeue_tasks``: a dead worker's claimed tasks go back to the queue, at its back."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.tasks import task
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


@task()
def deliver_due() -> None:
    """A stand-in for a long task (the kill -9 drill's delivery)."""


@task()
def deliver_catch_up() -> None:
    """A stand-in for what waits behind it."""


def _claimed(task, worker_id: str) -> DBTaskResult:  # type: ignore[no-untyped-def]
    row = DBTaskResult.objects.get(pk=task.enqueue().id)
    row.claim(worker_id)
    return row


def test_the_dead_workers_task_is_ready_again_behind_what_was_queued():
    killed = _claimed(deliver_due, "host-a-1")  # claimed first, so enqueued first
    waiting = DBTaskResult.objects.get(pk=deliver_catch_up.enqueue().id)
    other = _claimed(deliver_due, "host-b-1")  # a live worker's task is left alone
    call_command("requeue_tasks", worker_id="host-a-1", verbosity=0)
    killed.refresh_from_db()
    other.refresh_from_db()
    assert killed.status == "READY" and killed.started_at is None
    assert other.status == "RUNNING"
    # The next claim takes what was waiting, not the task its worker died in (a poison task, or a
    # long one killed again and again, would otherwise starve the queue).
    assert list(DBTaskResult.objects.ready().values_list("pk", flat=True)) == [waiting.pk, killed.pk]


def test_every_worker_of_an_earlier_run_by_prefix():
    first, second = _claimed(deliver_due, "demo-8000-41-1"), _claimed(deliver_due, "demo-8000-41-2")
    kept = _claimed(deliver_due, "demo-9000-7-1")
    call_command("requeue_tasks", worker_id_prefix="demo-8000-", verbosity=0)
    assert {r.status for r in DBTaskResult.objects.filter(pk__in=[first.pk, second.pk])} == {"READY"}
    kept.refresh_from_db()
    assert kept.status == "RUNNING"


def test_a_dead_wakeup_is_dropped_when_another_of_it_is_waiting(monkeypatch, django_capture_on_commit_callbacks):
    from suyuan.common.management.commands import requeue_tasks

    marked: list[str] = []
    monkeypatch.setattr(requeue_tasks, "_REQUEUED", {})
    requeue_tasks.register_requeued(deliver_due.module_path, lambda: marked.append("pending"))

    killed = _claimed(deliver_due, "w-1")
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_tasks.requeue_tasks_of("w-1") == 1  # nothing of it waiting: back in the queue
    assert marked == ["pending"]
    assert DBTaskResult.objects.get(pk=killed.pk).status == "READY"

    again = DBTaskResult.objects.get(pk=killed.pk)
    again.claim("w-2")  # the restarted worker takes it, and dies in it too ...
    fresh = DBTaskResult.objects.get(pk=deliver_due.enqueue().id)  # ... after a writer asked anew
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_tasks.requeue_tasks_of("w-2") == 0
    assert not DBTaskResult.objects.filter(pk=killed.pk).exists()  # the fresh one will look for the work
    assert list(DBTaskResult.objects.ready().values_list("pk", flat=True)) == [fresh.pk]
    assert marked == ["pending"]  # the flag is the fresh one's, set by the writer that enqueued it
