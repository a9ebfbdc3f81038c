"""The preservation's clocks as the pages show them: due time and what remains."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from suyuan.disputes.choices import ClockStatus
from suyuan.rules import periods

from .models import Preservation
from .selectors import clocks_of


def remaining(due: datetime, now: datetime, *, in_hours: bool = False) -> str:
    """What is left, in hours and minutes for an hour period (48 小时), in days otherwise."""
    left = due - now
    if left <= timedelta(0):
        return "已届满"
    days, seconds = left.days, left.seconds
    hours = seconds // 3600
    if in_hours:
        return f"剩余 {days * 24 + hours} 小时 {seconds % 3600 // 60} 分"
    if days:
        return f"剩余 {days} 天 {hours} 小时"
    return f"剩余 {hours} 小时 {seconds % 3600 // 60} 分"


def clock_rows(p: Preservation, now: datetime) -> list[dict[str, Any]]:
    rows = []
    for clock in clocks_of(p):
        # A period in days ends at 24:00 of its last day; an hour period at its hour.
        due = clock.due_at or datetime.combine(clock.due_on + timedelta(days=1), time(0), tzinfo=periods.CHINA)
        rows.append({
            "clock": clock, "due": due,
            "due_label": (timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if clock.due_at is not None
                          else f"{clock.due_on:%Y-%m-%d} 24:00"), "open": clock.status == ClockStatus.OPEN,
            "remaining": (remaining(due, now, in_hours=clock.due_at is not None)
                          if clock.status == ClockStatus.OPEN else clock.get_status_display()),
        })
    return rows
