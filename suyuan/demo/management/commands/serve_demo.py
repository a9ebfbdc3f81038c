"""``manage.py serve_demo``: the demo's web server and background worker, in the foreground.

Runs gunicorn (``config.wsgi``, threads, static files by WhiteNoise with finders, so no
collectstatic) and the django-tasks-db worker as child processes. Ctrl-C or SIGTERM stops them.

The worker is supervised: it runs with a unique ``--worker-id`` (``demo-<port>-<pid>-<n>``), and
when it dies its claimed tasks are given back to the queue (``manage.py requeue_tasks``;
django-tasks-db leaves a dead worker's task RUNNING for ever) and it is restarted, up to
``MAX_RESTARTS`` times a minute. At start the tasks of any earlier run's workers on this port are
requeued the same way (they are dead: one demo serves a port). If any other child dies, the rest
are stopped and the command exits with the dead one's status.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from suyuan.demo.seed import format_accounts

SETTINGS = "config.settings.demo"
GRACE_SECONDS = 10
MAX_RESTARTS = 5  # of the worker within RESTART_WINDOW seconds; more means it cannot start at all
RESTART_WINDOW = 60.0
WORKER = "后台任务"


class Command(BaseCommand):
    help = "在前台运行演示站点（gunicorn 网页服务 + 后台任务进程），Ctrl-C 停止。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)), help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=4, help="网页服务线程数（2-4）")

    def handle(self, *args: Any, **options: Any) -> None:
        port, threads = options["port"], max(2, min(4, options["threads"]))
        if not 0 < port < 65536:
            raise CommandError("端口应在 1-65535 之间。")
        base = Path(settings.BASE_DIR)
        # config/wsgi.py defaults to production settings: the children are told explicitly.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", SETTINGS)}
        web = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", str(threads),
            "--access-logfile", "-", "--graceful-timeout", str(GRACE_SECONDS),
        ]
        prefix = f"demo-{port}-"
        worker = _Worker(base, env, prefix=f"{prefix}{os.getpid()}-")
        worker.requeue(prefix=prefix)  # an earlier run's dead workers
        # The legal-deadline sweep (reminders, overdue, escalation) every minute.
        clock = [sys.executable, str(base / "manage.py"), "sweep", "--every", "60"]
        # Catch-up delivery of notifications (retries after backoff, rows whose worker died).
        notices = [sys.executable, str(base / "manage.py"), "deliver_notifications", "--every", "15"]
        children = {
            "网页服务": subprocess.Popen(web, cwd=base, env=env),  # noqa: S603 - fixed argv, no shell
            WORKER: worker.start(),
            "期限巡检": subprocess.Popen(clock, cwd=base, env=env, stdout=subprocess.DEVNULL),  # noqa: S603
            "通知投递": subprocess.Popen(notices, cwd=base, env=env, stdout=subprocess.DEVNULL),  # noqa: S603
        }
        stopping = False

        def stop(signum: int, _frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(
            f"\n诉源演示站点：http://127.0.0.1:{port}/\n接口文档：http://127.0.0.1:{port}/api/v1/docs\n"
            f"公开数据（无需登录）：http://127.0.0.1:{port}/governance/public/\n\n"
            f"{format_accounts()}\n\n按 Ctrl-C 停止。\n"
        )
        status = 0
        restarts: list[float] = []
        while not stopping:
            dead = [(name, p) for name, p in children.items() if p.poll() is not None]
            if dead and dead[0][0] == WORKER and not stopping:
                restarts = [t for t in restarts if time.monotonic() - t < RESTART_WINDOW] + [time.monotonic()]
                if len(restarts) <= MAX_RESTARTS:
                    worker.requeue()
                    code = dead[0][1].returncode
                    self.stderr.write(f"后台任务进程已退出（状态 {code}），未完成的任务已放回队列，正在重启。")
                    children[WORKER] = worker.start()
                    continue
            if dead:
                name, process = dead[0]
                status = process.returncode or 1
                self.stderr.write(f"{name}进程已退出（状态 {process.returncode}），正在停止其余进程。")
                break
            time.sleep(0.3)
        self._stop(children)
        if status:
            sys.exit(status)

    def _stop(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        for process in children.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in children.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.stdout.write("演示站点已停止。")


class _Worker:
    """The db_worker child: a unique id per start, and its claimed tasks requeued when it dies."""

    def __init__(self, base: Path, env: dict[str, str], *, prefix: str) -> None:
        self.base, self.env, self.prefix, self.incarnation = base, env, prefix, 0

    @property
    def worker_id(self) -> str:
        return f"{self.prefix}{self.incarnation}"

    def start(self) -> subprocess.Popen[bytes]:
        self.incarnation += 1
        command = [sys.executable, str(self.base / "manage.py"), "db_worker", "--no-reload",
                   "--worker-id", self.worker_id]
        return subprocess.Popen(command, cwd=self.base, env=self.env)  # noqa: S603 - fixed argv, no shell

    def requeue(self, *, prefix: str | None = None) -> None:
        """``requeue_tasks`` for this (dead) worker, or for every worker id starting with ``prefix``."""
        which = ["--worker-id-prefix", prefix] if prefix else ["--worker-id", self.worker_id]
        subprocess.run(  # noqa: S603 - fixed argv, no shell
            [sys.executable, str(self.base / "manage.py"), "requeue_tasks", *which],
            cwd=self.base, env=self.env, check=False, stdout=subprocess.DEVNULL,
        )
