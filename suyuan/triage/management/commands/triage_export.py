"""Export clerks' cause decisions (overrides included) as JSON Lines training data."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import COMMAND
from suyuan.accounts.services import record_audit
from suyuan.triage.models import TriageDecision
from suyuan.triage.selectors import training_rows


class Command(BaseCommand):
    help = "将立案人员对案由建议的确认与改判导出为 JSON Lines 训练数据（格式同 cail2019-cjrc-casename）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True)
        parser.add_argument("--overrides-only", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        qs = TriageDecision.objects.all()
        if options["overrides_only"]:
            qs = qs.filter(agreed=False)
        n = 0
        with open(options["output"], "w", encoding="utf-8") as f:
            for row in training_rows(qs):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        record_audit(actor=None, action=AuditAction.EXPORT, origin=COMMAND, target_type="triage",
                     detail={"rows": n, "overrides_only": options["overrides_only"]})
        self.stdout.write(f"已导出 {n} 条")
