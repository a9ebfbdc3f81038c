"""The two-year period for applying for enforcement, from the rules module.

The period runs from the last day of each performance period (民事诉讼法 第二百五十条). Two years
ahead usually lies beyond the published holiday calendar; then the last day is the nominal one and
``certain`` is False, because a holiday could still move it later. We never refuse on an uncertain
date: the court checks it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from suyuan.rules import periods
from suyuan.rules.calendar import CalendarUnknown, end_of_period

RULE = "enforcement_application"


@dataclass(frozen=True)
class EnforcementPeriod:
    start: date
    due: date
    citation: str
    regime: str
    certain: bool

    def expired(self, on: date) -> bool:
        return self.certain and on > self.due


def enforcement_period(start: date) -> EnforcementPeriod:
    try:
        deadline = periods.compute(RULE, start=start)
    except CalendarUnknown:
        rule = periods.rule_in_force(RULE, on=start)
        nominal = end_of_period(start, rule.length, rule.unit, holiday_rule=False).nominal
        return EnforcementPeriod(start, nominal, rule.citation, rule.regime, certain=False)
    return EnforcementPeriod(start, deadline.due, deadline.citation, deadline.regime, certain=True)  # type: ignore[arg-type]
