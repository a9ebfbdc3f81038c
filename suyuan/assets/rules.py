"""The legal limits of asset measures, read from the rules data (never literals here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from suyuan.common.errors import InvalidInput
from suyuan.rules import periods, thresholds
from suyuan.rules.calendar import end_of_period


@dataclass(frozen=True)
class MeasurePeriod:
    rule: str
    start: date
    longest: date  # the last day the measure may run to
    citation: str
    regime: str


def _entry(section: str, on: date) -> dict[str, Any]:
    entry = thresholds._in_force(section, on)
    if entry is None:
        raise InvalidInput(f"{on} 没有适用的“{section}”规则。")
    return entry


def measure_period(asset_kind: str, start: date) -> MeasurePeriod:
    """The longest period of a measure on this kind of asset placed (or renewed) on ``start``."""
    name = str(_entry("asset_measure_class", start)[asset_kind])
    rule = periods.rule_in_force(name, on=start)
    # The first day is not counted (民事诉讼法 第八十五条); the nominal end is the last day,
    # not moved past holidays because it is a maximum, not a party's time limit.
    counted = end_of_period(start, rule.length, rule.unit, holiday_rule=False)
    return MeasurePeriod(name, start, counted.nominal, rule.citation,
                         rule.regime)


def over_seizure_rule(on: date) -> dict[str, Any]:
    return _entry("over_seizure", on)


def transfer_rule(on: date) -> dict[str, Any]:
    return _entry("preservation_transfer", on)


def substitution_rule(on: date) -> dict[str, Any]:
    return _entry("substitution", on)


def expiry_warning_days(on: date) -> int:
    return int(_entry("measure_expiry_warning", on)["days"])
