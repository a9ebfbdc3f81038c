"""``manage.py deliver_notifications [--every N]``: deliver the notification outbox.

Without ``--every`` it delivers what is due and exits; with it, it runs until stopped, which is
how the demo and a deployment's periodic catch-up use it (retries after backoff, rows whose
worker died). Safe to run beside ``db_worker`` and beside itself.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suyuan.notices.delivery import deliver_due


class Command(BaseCommand):
    help = "投递待发送的通知（站内消息、短信、电子邮件）；--every N 每 N 秒投递一次，直到停止。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="每隔多少秒投递一次（默认只运行一次）")
        parser.add_argument("--limit", type=int, default=500, help="每轮最多投递条数")

    def handle(self, *args: Any, **options: Any) -> None:
        every, limit = options["every"], max(1, options["limit"])
        stopping = False

        def stop(signum: int, _frame: object) -> None:
            nonlocal stopping
            stopping = True

        if every:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            report = deliver_due(limit=limit)
            if report.delivered or report.retried or report.failed or not every:
                self.stdout.write(
                    f"已送达 {report.delivered} 条，待重试 {report.retried} 条，失败 {report.failed} 条。"
                )
            if not every or stopping:
                return
            slept = 0.0
            while slept < every and not stopping:
                time.sleep(min(0.2, every))
                slept += 0.2
            if stopping:
                return
