"""诉讼时效风险提示: does the dispute, as described, date the claim beyond the limitation period?

The period itself is the ``limitation`` rule (民法典 第一百八十八条: three years from when the
right-holder knew or should have known of the harm and the obligor; earlier regimes by date).
The start is the intake field "知道或应当知道权利受到损害之日" when given; otherwise a hint from the
latest date written in the facts ("2019年3月借款"), or the date the dispute occurred. It is a
warning, never a refusal: the court still registers the suit (立案登记制), the period may have been
interrupted or suspended (民法典 第一百九十四条、第一百九十五条), and the obligor must raise it
(第一百九十三条: 人民法院不得主动适用诉讼时效的规定).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from suyuan.common.errors import DomainError
from suyuan.rules import periods
from suyuan.rules.calendar import CalendarUnknown

from .models import Dispute

DATE_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
SOURCES = {"field": "您填写的知道或应当知道权利受到损害之日", "facts": "事实与理由中写到的日期",
           "occurred": "纠纷发生日期"}


@dataclass(frozen=True)
class LimitationNotice:
    start: date
    source: str  # field | facts | occurred
    deadline: periods.Deadline

    @property
    def source_label(self) -> str:
        return SOURCES[self.source]

    @property
    def hint_only(self) -> bool:
        return self.source != "field"


def dates_in_text(text: str) -> list[date]:
    """Dates like 2019年3月 / 2019年3月5日 in the facts; a month alone counts as its last day
    (the later start: a month named in the facts never makes the notice appear too early)."""
    found = []
    for year, month, day in DATE_IN_TEXT.findall(text or ""):
        y, m = int(year), int(month)
        if not 1 <= m <= 12:
            continue
        last = calendar.monthrange(y, m)[1]
        d = int(day) if day else last
        if 1 <= d <= last:
            found.append(date(y, m, d))
    return found


def limitation_start(dispute: Dispute, *, today: date) -> tuple[date, str] | None:
    if dispute.rights_known_on:
        return dispute.rights_known_on, "field"
    hints = [d for d in dates_in_text(dispute.description) if d <= today]
    if hints:
        return max(hints), "facts"
    if dispute.occurred_on:
        return dispute.occurred_on, "occurred"
    return None


def limitation_notice(dispute: Dispute, *, today: date | None = None) -> LimitationNotice | None:
    """The notice when the limitation period computed from the dispute's dates ended before today."""
    today = today or timezone.localdate()
    start = limitation_start(dispute, today=today)
    if start is None:
        return None
    try:
        deadline = periods.compute("limitation", start=start[0])
    except (DomainError, CalendarUnknown):
        return None
    if deadline.due >= today:  # type: ignore[operator]
        return None
    return LimitationNotice(start=start[0], source=start[1], deadline=deadline)
