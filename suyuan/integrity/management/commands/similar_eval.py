"""Evaluate the committed SCM model on a JSON Lines file of triplets (A, B, C, label ∈ {B, C}).

    python manage.py similar_eval --data ../shared/data/cail2019-scm-small/valid.jsonl

The last line is always ``n=<count> accuracy=<fraction>`` (a stable interface for scripts).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from suyuan.integrity.scm import model


class Command(BaseCommand):
    help = "评估类案匹配：判断 B、C 中哪一个与 A 更相似。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["data"])
        if not path.exists():
            raise CommandError(f"找不到数据文件：{path}")
        m = model()
        n = correct = 0
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                a, b, c, label = row["A"], row["B"], row["C"], row["label"]
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"第 {number} 行格式有误：需要 A、B、C、label 字段。") from exc
            if label not in {"B", "C"}:
                raise CommandError(f"第 {number} 行的 label 应为 B 或 C。")
            n += 1
            correct += m.predict(a, b, c) == label
        self.stdout.write(f"n={n} accuracy={(correct / n if n else 0.0):.4f}")
