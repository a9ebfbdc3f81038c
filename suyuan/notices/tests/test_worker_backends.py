"""Notification delivery and the periodic jobs through the task worker, on the database queue and
on RQ (Redis): a committed intake wakes the worker, ``periodic --once`` schedules the long jobs, and
a job whose single-runner lock is held elsewhere skips its turn."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from suyuan.common.locks import single_runner
from suyuan.notices import tasks
from suyuan.notices.choices import NoticeStatus
from suyuan.notices.models import Notification
from suyuan.testing import worker

from .helpers import record

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_committed_intake_wakes_the_worker_which_delivers_its_notices(world, task_backend):
    dispute = record(world)  # commits: the outbox rows and, on commit, the worker's wake-up
    rows = Notification.objects.filter(dispute=dispute)
    assert rows.count() >= 2 and not rows.filter(status=NoticeStatus.DELIVERED).exists()
    assert "READY" in worker.task_statuses()
    worker.run_worker()
    assert set(rows.values_list("status", flat=True)) == {NoticeStatus.DELIVERED}
    assert "READY" not in worker.task_statuses() and "FAILED" not in worker.task_statuses()


def test_periodic_jobs_are_scheduled_and_run_by_the_worker(world, task_backend):
    dispute = record(world)
    worker.run_worker()
    Notification.objects.filter(dispute=dispute).update(status=NoticeStatus.PENDING)  # a retry came due
    before = len(worker.task_statuses())
    call_command("periodic", once=True)
    jobs = len(settings.SUYUAN_PERIODIC_TASKS)  # delivery, sweep, index merge, the arrival queues' catch-ups
    assert jobs == 5
    assert worker.task_statuses().count("READY") == jobs and len(worker.task_statuses()) == before + jobs
    worker.run_worker()
    assert set(Notification.objects.filter(dispute=dispute).values_list("status", flat=True)) == {
        NoticeStatus.DELIVERED}
    assert "FAILED" not in worker.task_statuses()


def _hold(name: str, held: threading.Event, release: threading.Event, result: list[bool]) -> None:
    try:
        with single_runner(name) as mine:
            result.append(mine)
            held.set()
            release.wait(30)
    finally:
        connections.close_all()


def test_a_job_whose_lock_is_held_elsewhere_skips_its_turn(world):
    dispute = record(world)
    held, release, result = threading.Event(), threading.Event(), []
    # Another runner (its own thread, so its own database connection) holds the delivery lock.
    other = threading.Thread(target=_hold, args=("notices.deliver", held, release, result))
    other.start()
    try:
        assert held.wait(30) and result == [True]
        assert tasks.deliver_catch_up.call() == {"skipped": True}
        assert not Notification.objects.filter(dispute=dispute, status=NoticeStatus.DELIVERED).exists()
    finally:
        release.set()
        other.join(30)
    report = tasks.deliver_catch_up.call()
    assert report["delivered"] == Notification.objects.filter(dispute=dispute).count() > 0
    assert connection.vendor in {"postgresql", "sqlite"}
