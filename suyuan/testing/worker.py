"""The task worker, run in the test's process until the queue is empty, on the configured backend."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

from suyuan.common.tasking import is_transactional

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ["db", "rq"]


def run_worker() -> None:
    """Drain the queue here and now: ``db_worker --batch`` on the database queue, a burst of RQ's
    in-process worker on Redis. Signal handlers the workers install are restored afterwards."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        if is_transactional():
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        else:
            _rq_burst()
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def _rq_burst() -> None:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    # SimpleWorker runs each job in this process (no fork), on this process's database connection.
    queues = [django_rq.get_queue("default", job_class=Job)]
    SimpleWorker(queues, connection=queues[0].connection, job_class=Job).work(burst=True, with_scheduler=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def redis_server() -> Iterator[str]:
    """The Redis for the tests: ``SUYUAN_TEST_REDIS_URL`` (scripts/test.sh starts one), else a
    throwaway ``redis-server`` started here (scripts/redis.sh), stopped afterwards."""
    url = os.environ.get("SUYUAN_TEST_REDIS_URL")
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="suyuan-redis-")
    port = _free_port()
    script = str(ROOT / "scripts" / "redis.sh")
    subprocess.run([script, "start", folder, str(port)], check=True)  # noqa: S603 - fixed argv, no shell
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        subprocess.run([script, "stop", folder], check=False)  # noqa: S603


@contextmanager
def task_backend(name: str, redis_url: str | None) -> Iterator[None]:
    """Run the block on the database queue or on RQ (a fresh Redis database for each test)."""
    if name == "db":
        yield
        return
    assert redis_url
    from config.settings.base import rq_task_settings

    with override_settings(**rq_task_settings(redis_url)):
        import django_rq

        connection = django_rq.get_connection("default")
        connection.flushdb()
        try:
            yield
        finally:
            connection.flushdb()


def wait_for(condition, limit: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def task_statuses() -> list[str]:
    """The status of every task the backend knows (READY, RUNNING, SUCCESSFUL, FAILED), sorted."""
    if is_transactional():
        from django_tasks_db.models import DBTaskResult

        return sorted(DBTaskResult.objects.values_list("status", flat=True))
    import django_rq
    from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

    queue = django_rq.get_queue("default")
    found = ["READY"] * queue.count
    for registry, status in ((StartedJobRegistry, "RUNNING"), (FinishedJobRegistry, "SUCCESSFUL"),
                             (FailedJobRegistry, "FAILED")):
        found += [status] * registry(queue=queue).count
    return sorted(found)
