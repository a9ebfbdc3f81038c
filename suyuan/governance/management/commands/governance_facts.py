"""Recompute the governance fact tables from the timeline (after bulk loads, or to repair)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from suyuan.governance import facts


class Command(BaseCommand):
    help = "从时间线事件重建治理统计表（事件月度计数、阶段停留）。"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = facts.rebuild()
        self.stdout.write(f"已重建：事件月度计数 {counts['event_counts']} 行，阶段停留 {counts['stage_spells']} 行。")
