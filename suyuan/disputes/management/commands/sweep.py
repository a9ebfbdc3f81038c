"""``manage.py sweep [--every SECONDS]``: watch every open legal period (reminders, overdue, escalation)
and apply the retention rules (``disputes.retention``)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from suyuan.disputes import retention
from suyuan.disputes.clocks import sweep


class Command(BaseCommand):
    help = "检查所有计时中的法定期限：到期前提醒、届满标记超期并按规则处理。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="每隔多少秒循环一次（0 表示只运行一次）")

    def handle(self, *args: object, **options: object) -> None:
        every = int(options["every"])  # type: ignore[call-overload]
        while True:
            report = sweep()
            purged = retention.purge()
            self.stdout.write(
                f"reminded={report.reminded} overdue={report.overdue} escalated={report.escalated} "
                f"failed={len(report.failed)} purged_import_files={purged.import_files} "
                f"purged_idempotency_records={purged.idempotency_records}"
                + "".join(f" {name}={n}" for name, n in report.steps.items())
            )
            if not every:
                return
            close_old_connections()
            time.sleep(every)
