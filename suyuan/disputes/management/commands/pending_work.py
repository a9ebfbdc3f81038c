"""``manage.py pending_work [--retry QUEUE [--object ID ...]]``: the arrival queues' backlog and the
objects set aside.

A follow-up that fails for one object alone (``common.pending``) sets that object aside with the
error instead of holding up the queue. This command shows, per queue, how many objects wait, how
many are set aside and since when, and the set-aside objects with their errors; ``--retry`` puts
them back in line (all of a queue, or the given objects) once the cause is fixed. Every retry is
written to the audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import COMMAND
from suyuan.accounts.services import record_audit
from suyuan.common.models import PendingWork
from suyuan.common.pending import QUEUES


class Command(BaseCommand):
    help = "新纠纷后续工作队列的积压与搁置对象；--retry 在排除原因后将搁置对象重新排队（记入审计日志）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retry", metavar="QUEUE", help="将该队列的搁置对象重新排队")
        parser.add_argument("--object", type=int, action="append", dest="objects", metavar="ID",
                            help="与 --retry 同用：只重排该对象（可重复）")
        parser.add_argument("--limit", type=int, default=50, help="每个队列最多列出的搁置对象数（默认 50）")

    def handle(self, *args: Any, **options: Any) -> None:
        autodiscover_modules("tasks")  # the queues are declared in the apps' task modules
        if options["retry"]:
            self._retry(options["retry"], options["objects"])
            return
        if options["objects"]:
            raise CommandError("--object 只能与 --retry 一起使用。")
        self._show(options["limit"])

    def _retry(self, name: str, objects: list[int] | None) -> None:
        queue = QUEUES.get(name)
        if queue is None:
            raise CommandError(f"没有名为 {name} 的队列；可用：{'、'.join(sorted(QUEUES)) or '无'}。")
        with transaction.atomic():  # the retry and its audit row together
            count = queue.retry(objects)
            record_audit(
                actor=None, action=AuditAction.UPDATE, origin=COMMAND, target_type="pending_work", target_id=name,
                detail={"retried": count, "objects": objects or "all"},
            )
        self.stdout.write(f"已重新排队 {count} 个对象（{name}）")
        self.stdout.write(f"retried={count}")

    def _show(self, limit: int) -> None:
        now = timezone.now()
        stats: dict[str, tuple[int, int, datetime | None]] = {
            row["queue"]: (row["waiting"], row["set_aside"], row["oldest"])
            for row in PendingWork.objects.values("queue").annotate(
                waiting=Count("pk", filter=Q(failed_at__isnull=True)),
                set_aside=Count("pk", filter=Q(failed_at__isnull=False)),
                oldest=Min("created_at", filter=Q(failed_at__isnull=True)),
            )
        }
        names = sorted(set(QUEUES) | set(stats))
        self.stdout.write(f"{'队列':<24}{'等待':>8}{'已搁置':>8}  最早等待")
        total_waiting = total_aside = 0
        for name in names:
            waiting, set_aside, oldest = stats.get(name, (0, 0, None))
            age = f"{int((now - oldest).total_seconds())} 秒前" if oldest else "—"
            self.stdout.write(f"{name:<26}{waiting:>8}{set_aside:>8}  {age}")
            total_waiting += waiting
            total_aside += set_aside
        for name in names:
            if not stats.get(name, (0, 0, None))[1]:
                continue
            self.stdout.write(f"\n{name} 已搁置的对象（最多 {limit} 个）：")
            for work in PendingWork.objects.filter(queue=name, failed_at__isnull=False).order_by("pk")[:limit]:
                failed = timezone.localtime(work.failed_at).strftime("%Y-%m-%d %H:%M:%S") if work.failed_at else ""
                self.stdout.write(f"  对象 {work.object_id}  {failed}  {work.error}")
        self.stdout.write(f"waiting={total_waiting} set_aside={total_aside}")
