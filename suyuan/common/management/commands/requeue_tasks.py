"""``manage.py requeue_tasks --worker-id ID``: give a dead worker's claimed tasks back to the queue.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again, so a
worker killed by SIGKILL, the OOM killer or a power cut leaves its task RUNNING for ever. The
supervisor that restarts the worker (systemd ``ExecStopPost=``, the kill -9 drill) runs this with
the dead worker's ``--worker-id``. A requeued task goes to the *back* of the queue (enqueued anew):
left at its old place it would be claimed first again, and a long task that the worker keeps dying
in (a poison task, or the kill -9 drill's delivery under repeated kills) would starve everything
queued behind it for ever. Our tasks are safe to run twice (an import job counts rows
already recorded as duplicates; delivery claims each notification under a lease and sends with an
idempotency key), so a requeued task finishes the work without doing any of it twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def requeue_tasks_of(worker_id: str) -> int:
    """Put the RUNNING tasks last claimed by ``worker_id`` back to READY, at the back of the queue;
    return how many."""
    return requeue_tasks_matching(lambda last: last == worker_id)


_REQUEUED: dict[str, list[Callable[[], None]]] = {}


def register_requeued(task_path: str, hook: Callable[[], None]) -> None:
    """``task_path`` is a wake-up (``common.wakeup``: it looks for work, it carries none). A dead
    worker's task of it is dropped when another of it is already waiting in the queue (that one
    will look); otherwise it is requeued and ``hook`` (on commit) marks the wake-up pending again,
    so writers do not enqueue another beside it. Without the drop, every kill during a wake-up left
    one more waiting beside the fresh one (the R5 drill: five at once after 20 kills)."""
    _REQUEUED.setdefault(task_path, []).append(hook)


def requeue_tasks_matching(claimed_by: Callable[[str], bool]) -> int:
    """Requeue the RUNNING tasks whose last worker id satisfies ``claimed_by`` (serve_demo: every
    worker of an earlier run, by prefix); return how many were requeued (wake-ups dropped as
    superseded are not counted)."""
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
        mine = [r for r in running if r.worker_ids and claimed_by(r.worker_ids[-1])]
        waiting = set(
            DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path__in=list(_REQUEUED))
            .values_list("task_path", flat=True)
        )
        superseded = [r for r in mine if r.task_path in waiting]
        again = [r for r in mine if r.task_path not in waiting]
        DBTaskResult.objects.filter(pk__in=[r.pk for r in superseded]).delete()
        DBTaskResult.objects.filter(pk__in=[r.pk for r in again]).update(
            status=TaskResultStatus.READY, started_at=None, enqueued_at=timezone.now()
        )
        for path in {r.task_path for r in again}:
            for hook in _REQUEUED.get(path, []):
                transaction.on_commit(hook)
    return len(again)


class Command(BaseCommand):
    help = "将已退出的后台任务进程（--worker-id）未完成的任务放回队列。"

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--worker-id", help="已退出的 db_worker 的 --worker-id")
        which.add_argument("--worker-id-prefix", help="以此开头的所有 --worker-id（这些进程均已退出）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["worker_id"]:
            count = requeue_tasks_of(options["worker_id"])
        else:
            prefix = options["worker_id_prefix"]
            count = requeue_tasks_matching(lambda last: last.startswith(prefix))
        self.stdout.write(f"已放回队列 {count} 个任务。")
        self.stdout.write(f"requeued={count}")
