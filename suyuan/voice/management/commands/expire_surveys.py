"""``manage.py expire_surveys``: mark satisfaction surveys past their last day expired (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from suyuan.voice.surveys import expire_due_surveys


class Command(BaseCommand):
    help = "将超过评价截止日仍未提交的满意度评价标记为已过期。"

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"expired={expire_due_surveys()}")
