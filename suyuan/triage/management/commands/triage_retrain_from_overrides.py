"""Retrain the cause model with the clerks' decisions: ``python manage.py triage_retrain_from_overrides``.

Exports the cause decisions, retrains, compares on held-apart decisions and the consultation set,
prints both figures and the decision, and keeps the new model only if it is not worse
(``suyuan.triage.retrain``). ``--dry-run`` compares without writing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suyuan.triage import retrain
from suyuan.triage.ml import training
from suyuan.triage.ml.models import ARTEFACTS


class Command(BaseCommand):
    help = "用立案人员的案由决定重新训练案由模型：留出最新决定比较，效果不降才保留。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", help="语料目录（默认 ../shared/data，或环境变量 SUYUAN_DATA_DIR）")
        parser.add_argument("--dry-run", action="store_true", help="只比较，不写入模型文件")
        parser.add_argument("--artefacts", help="案由模型目录（默认 suyuan/triage/artefacts/cause）")

    def handle(self, *args: Any, **options: Any) -> None:
        root = training.data_dir(options["data"])
        if not (root / "cail2019-cjrc-casename" / "dev.jsonl").exists():
            self.stderr.write(f"语料目录不完整：{root}")
            raise SystemExit(2)
        artefacts = Path(options["artefacts"]) if options["artefacts"] else ARTEFACTS / "cause"
        retrain.retrain_from_decisions(root, apply=not options["dry_run"], artefacts=artefacts,
                                       log=self.stdout.write)
