"""``manage.py serve_demo``: the demo's web server and background worker, in the foreground.

Runs gunicorn (``config.wsgi``, threads, static files by WhiteNoise with finders, so no
collectstatic) and the django-tasks-db worker as child processes. Ctrl-C or SIGTERM stops both;
if either dies, the other is stopped and the command exits with the dead one's status.
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
        worker = [sys.executable, str(base / "manage.py"), "db_worker", "--no-reload"]
        # The legal-deadline sweep (reminders, overdue, escalation) every minute.
        clock = [sys.executable, str(base / "manage.py"), "sweep", "--every", "60"]
        # Catch-up delivery of notifications (retries after backoff, rows whose worker died).
        notices = [sys.executable, str(base / "manage.py"), "deliver_notifications", "--every", "15"]
        children = {
            "网页服务": subprocess.Popen(web, cwd=base, env=env),  # noqa: S603 - fixed argv, no shell
            "后台任务": subprocess.Popen(worker, cwd=base, env=env),  # noqa: S603
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
        while not stopping:
            dead = [(name, p) for name, p in children.items() if p.poll() is not None]
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
