"""Counting of periods under 民事诉讼法 第八十五条, on the State Council's holiday calendar.

- 期间开始的时和日，不计算在期间内: a period in days runs from the day after the start.
- Months and years end on the corresponding day of the last month (民法典 第二百条、第二百零二条);
  without such a day, on the month's last day.
- 期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期: a last day on a rest
  day or public holiday moves to the next working day. Rest days moved by 调休 are working days
  (and worked weekends are not holidays): both come from the maintained ``chinese_calendar``.
- Periods in hours end at the hour; they are not moved.

The holiday calendar covers the years whose State Council schedule is published. For a later
year the sweep cannot know the lunar holidays and 调休 yet: the last day is then moved over
weekends and the fixed-date statutory holidays only and marked ``provisional`` — the true last
day can be the same or later, never earlier, so nothing may be refused on a provisional date.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import chinese_calendar


class CalendarUnknown(Exception):
    """The holiday calendar has no data for that year (the package must be upgraded)."""


def is_working_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        raise CalendarUnknown(f"节假日数据未覆盖 {day.year} 年，请升级 chinese-calendar 后重试。") from exc


def calendar_covers(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def _provisional_working_day(day: date) -> bool:
    from .thresholds import fixed_holidays

    return day.weekday() < 5 and day.strftime("%m-%d") not in fixed_holidays(day)


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, _cal.monthrange(year, month)[1])
    return date(year, month, day)


@dataclass(frozen=True)
class Counted:
    nominal: date
    due: date
    moved_over: list[date]
    provisional: bool = False


def next_working_day(day: date) -> Counted:
    moved: list[date] = []
    due = day
    provisional = False
    while True:
        if calendar_covers(due):
            working = is_working_day(due)
        else:
            provisional = True
            working = _provisional_working_day(due)
        if working:
            return Counted(nominal=day, due=due, moved_over=moved, provisional=provisional)
        moved.append(due)
        due += timedelta(days=1)


def end_of_period(start: date, length: int, unit: str, *, holiday_rule: bool = True) -> Counted:
    if unit == "days":
        nominal = start + timedelta(days=length)
    elif unit == "months":
        nominal = add_months(start, length)
    elif unit == "years":
        nominal = add_months(start, 12 * length)
    else:
        raise ValueError(f"unsupported unit {unit}")
    return next_working_day(nominal) if holiday_rule else Counted(nominal, nominal, [])


def end_of_hours(start: datetime, hours: int) -> datetime:
    return start + timedelta(hours=hours)
