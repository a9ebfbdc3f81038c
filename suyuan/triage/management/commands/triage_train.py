"""Rebuild the triage artefacts: ``python manage.py triage_train [--data DIR] [--task T] [--topic-train-only]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suyuan.triage.ml import training


class Command(BaseCommand):
    help = "从语料重建分流模型文件（主题分类、案由分类），结果写入 suyuan/triage/artefacts/。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", help="语料目录（默认 ../shared/data，或环境变量 SUYUAN_DATA_DIR）")
        parser.add_argument("--task", choices=["topic", "cause", "category", "all"], default="all")
        parser.add_argument(
            "--topic-train-only",
            action="store_true",
            help="主题模型只用 train 训练（默认 train + valid；此时 valid 上的评测为样本内结果）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = training.data_dir(options["data"])
        if not root.is_dir():
            self.stderr.write(f"语料目录不存在：{root}")
            raise SystemExit(2)
        if options["task"] in {"topic", "all"}:
            training.train_topic(root, log=self.stdout.write, train_only=options["topic_train_only"])
        if options["task"] in {"cause", "all"}:
            training.train_cause(root, log=self.stdout.write)
        if options["task"] in {"category", "all"}:
            from suyuan.triage.ml.category import EMBEDDING_WEIGHT, train_category

            train_category(root, log=self.stdout.write, embedding_weight=EMBEDDING_WEIGHT)
