"""The litigation tests run on a fixed date inside the holiday calendar's coverage.

Periods started today end months later (a simple-procedure trial: 3 months), and the maintained
holiday calendar covers a year only once the State Council publishes it; a fixed "today" keeps the
tests about the law, not about the calendar package's release date.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone


class FrozenClock:
    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def set(self, value: datetime) -> None:
        self.current = value

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


@pytest.fixture(autouse=True)
def now(monkeypatch) -> FrozenClock:
    clock = FrozenClock(datetime(2025, 6, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    monkeypatch.setattr(timezone, "now", clock)
    return clock
