"""``manage.py deadline RULE --start DATE [--procedure …] [--extended] [--days N]`` — the rules engine for operators.

The last line is stable: ``due=YYYY-MM-DD regime=… citation=…`` (a date-time for hour periods).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from suyuan.common.errors import DomainError
from suyuan.rules import periods
from suyuan.rules.calendar import CalendarUnknown


def _parse_start(value: str) -> date | datetime:
    try:
        if "T" in value or " " in value.strip():
            moment = datetime.fromisoformat(value.strip())
            return moment if moment.tzinfo else moment.replace(tzinfo=periods.CHINA)
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise CommandError(f"起算日期格式应为 YYYY-MM-DD（或 YYYY-MM-DDTHH:MM）：{value}") from exc


class Command(BaseCommand):
    help = "按行为发生之日适用的规则计算法定期间届满日。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rule", help="规则名，如 registration、court_mediation、confirmation_ruling")
        parser.add_argument("--start", required=True, help="期间起算所依据的行为之日（法律规定的起算点）")
        parser.add_argument("--procedure", choices=periods.PROCEDURES)
        parser.add_argument("--extended", action="store_true", help="计入法定可延长的期间")
        parser.add_argument("--days", type=int, help="法院在法定范围内指定的天数（如举证期限）")

    def handle(self, *args: object, **options: object) -> None:
        start = _parse_start(str(options["start"]))
        try:
            deadline = periods.compute(
                str(options["rule"]), start=start, procedure=options.get("procedure"),  # type: ignore[arg-type]
                extended=bool(options["extended"]), days=options.get("days"),  # type: ignore[arg-type]
            )
        except (DomainError, CalendarUnknown) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        rule = deadline.rule
        self.stdout.write(f"规则：{rule.rule}（{rule.describe()}）")
        if rule.extension_note and deadline.extended:
            self.stdout.write(f"延长：{rule.extension_note}")
        if deadline.moved_over:
            days = "、".join(d.isoformat() for d in deadline.moved_over)
            self.stdout.write(f"届满日 {deadline.nominal} 为法定休假日，顺延（跳过 {days}）")
        if deadline.provisional:
            self.stdout.write("注意：届满年度的节假日安排尚未公布，暂按周末和固定日期法定节假日顺延，实际届满日可能更晚。")
        if deadline.carried_from is not None:
            self.stdout.write(f"过渡：按{deadline.carried_from.regime}计算的期间在新法施行时尚未届满，适用{rule.regime}的期间")
        if rule.note:
            self.stdout.write(f"说明：{rule.note}")
        due = deadline.due
        if isinstance(due, datetime):
            due_text = due.astimezone(periods.CHINA).strftime("%Y-%m-%dT%H:%M")
        else:
            due_text = due.isoformat()
        self.stdout.write(f"due={due_text} regime={deadline.regime} citation={deadline.citation}")
