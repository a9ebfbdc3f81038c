"""Score a labelled JSON Lines file with the committed artefacts.

``--task topic``: records with ``text`` and ``label``; last line ``n=… accuracy=… macro_f1=…``.
``--task cause``: records with ``context``, ``casename`` and ``domain``; last line ``n=… top1=… top3=…``
over all records (civil and criminal), in the file's own (2011-version) names.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suyuan.triage.ml import evaluation


class Command(BaseCommand):
    help = "用已提交的模型文件评测分流模型（主题或案由）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--task", choices=["topic", "cause"], required=True)
        parser.add_argument("--data", required=True, help="JSON Lines 评测文件")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["data"])
        if not path.is_file():
            raise CommandError(f"评测文件不存在：{path}")
        started = time.perf_counter()
        try:
            if options["task"] == "topic":
                r = evaluation.evaluate_topic(path)
                line = f"n={r['n']} accuracy={r['accuracy']:.4f} macro_f1={r['macro_f1']:.4f}"
            else:
                r = evaluation.evaluate_cause(path)
                line = f"n={r['n']} top1={r['top1']:.4f} top3={r['top3']:.4f}"
        except (KeyError, ValueError) as exc:
            raise CommandError(f"评测文件格式不符：{exc}") from exc
        self.stderr.write(f"{options['task']}: {time.perf_counter() - started:.1f} s")
        self.stdout.write(line)
