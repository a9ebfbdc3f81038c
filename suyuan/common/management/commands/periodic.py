"""``manage.py periodic``: schedule the long periodic jobs (settings.SUYUAN_PERIODIC_TASKS).

On RQ (``SUYUAN_TASKS_BACKEND=rq``) it runs RQ's cron scheduler, which enqueues each task on its
interval for any ``rqworker`` to run. On the database queue it is a small loop that enqueues the
same tasks through Django's tasks interface for ``db_worker``. Either way the task takes a
single-runner lock, so a second scheduler (a failover host) costs a skipped turn, never a double run.
``--once`` enqueues every job once and exits (tests, a cron line).
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.tasks import Task
from django.utils.module_loading import import_string

from suyuan.common.tasking import is_transactional


def periodic_tasks() -> list[tuple[Task, int]]:
    return [(import_string(path), int(every)) for path, every in settings.SUYUAN_PERIODIC_TASKS]


class Command(BaseCommand):
    help = "按设定的间隔调度周期任务（期限巡检、通知补投、类案索引合并）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="每项任务各排队一次后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = periodic_tasks()
        if options["once"]:
            for task, _every in jobs:
                task.enqueue()
            self.stdout.write(f"已排队 {len(jobs)} 项周期任务。")
            return
        if not is_transactional():
            self._rq_cron(jobs)
        else:
            self._loop(jobs)

    def _rq_cron(self, jobs: list[tuple[Task, int]]) -> None:
        import django_rq
        from rq.cron import CronScheduler

        scheduler = CronScheduler(connection=django_rq.get_connection())
        for task, every in jobs:
            # The job's function path names the module-level Task object, which django-tasks-rq's
            # job class calls; ``backend_name`` is the meta it reads back as the task's backend.
            scheduler.register(task.func, queue_name=task.queue_name, interval=every,
                               meta={"backend_name": task.backend})
        scheduler.start()

    def _loop(self, jobs: list[tuple[Task, int]]) -> None:
        stopping = False

        def stop(signum: int, _frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        due = dict.fromkeys(range(len(jobs)), 0.0)
        while not stopping:
            now = time.monotonic()
            for i, (task, every) in enumerate(jobs):
                if now >= due[i]:
                    task.enqueue()
                    due[i] = now + every
            time.sleep(0.5)
