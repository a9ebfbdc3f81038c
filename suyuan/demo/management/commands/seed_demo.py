"""``manage.py seed_demo``: build the deterministic Shizuishan demo data (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suyuan.demo.seed import DEFAULT_DISPUTES, DEFAULT_SEED, format_accounts, seed_demo


class Command(BaseCommand):
    help = "生成石嘴山演示数据（确定性、可重复执行；已生成时直接退出）。"
    # The checks load every URL and admin module; `migrate` has just run them in the demo script.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子（默认 %(default)s）")
        parser.add_argument("--disputes", type=int, default=DEFAULT_DISPUTES, help="历史纠纷数量（默认 %(default)s）")
        parser.add_argument("--no-accounts", action="store_true", help="不打印演示账户表")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["disputes"] < 0:
            self.stderr.write("纠纷数量不能为负数。")
            return
        started = time.monotonic()
        result = seed_demo(seed=options["seed"], disputes=options["disputes"])
        if result.created:
            seconds = time.monotonic() - started
            self.stdout.write(
                f"演示数据已生成：{result.disputes} 件历史纠纷（种子 {result.seed}，用时 {seconds:.1f} 秒）。"
            )
        else:
            self.stdout.write(
                f"演示数据已存在（种子 {result.seed}），跳过生成。如需重建，请执行 make clean 后重新运行。"
            )
        if not options["no_accounts"]:
            self.stdout.write(format_accounts())
