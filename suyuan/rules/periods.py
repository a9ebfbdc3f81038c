"""Legal periods as data (``data/periods.toml``): pick the entry in force on the date of the act.

Usage::

    deadline = periods.compute("court_mediation", start=date(2025, 3, 3), procedure="simple")
    deadline.due, deadline.regime, deadline.citation
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from suyuan.common.errors import InvalidInput

from .calendar import end_of_hours, end_of_period

DATA = Path(__file__).resolve().parent / "data" / "periods.toml"
# Each stage app's periods may sit in a file of their own under data/periods/ (same fields).
MORE_DATA = Path(__file__).resolve().parent / "data" / "periods"
CHINA = ZoneInfo("Asia/Shanghai")
PROCEDURES = ("ordinary", "simple", "small_claims")


@dataclass(frozen=True)
class PeriodRule:
    rule: str
    regime: str
    effective_from: date
    length: int
    unit: str
    starts: str
    citation: str
    effective_to: date | None = None
    procedure: str | None = None
    extension: int | None = None
    extension_note: str = ""
    note: str = ""

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def describe(self) -> str:
        units = {"hours": "小时", "days": "日", "months": "个月", "years": "年"}
        text = f"自{self.starts}起 {self.length} {units[self.unit]}"
        if self.extension:
            text += f"（可延长 {self.extension} {units[self.unit]}）"
        return text


@dataclass(frozen=True)
class Deadline:
    rule: PeriodRule
    start: date | datetime
    due: date | datetime
    nominal: date | datetime
    extended: bool
    moved_over: list[date] = field(default_factory=list)
    provisional: bool = False  # the holiday schedule of that year is not published yet

    @property
    def regime(self) -> str:
        return self.rule.regime

    @property
    def citation(self) -> str:
        return self.rule.citation


@cache
def all_rules() -> tuple[PeriodRule, ...]:
    entries: list[dict[str, object]] = []
    for path in [DATA, *sorted(MORE_DATA.glob("*.toml"))]:
        with path.open("rb") as f:
            entries.extend(tomllib.load(f).get("period", []))
    return tuple(PeriodRule(**entry) for entry in entries)  # type: ignore[arg-type]


def rule_names() -> list[str]:
    return sorted({r.rule for r in all_rules()})


def rule_in_force(name: str, *, on: date, procedure: str | None = None) -> PeriodRule:
    """The entry of ``name`` in force on ``on``; refuse clearly when there is none."""
    candidates = [r for r in all_rules() if r.rule == name]
    if not candidates:
        raise InvalidInput(f"没有名为 {name} 的期间规则。可用规则：{'、'.join(rule_names())}")
    in_force = [r for r in candidates if r.in_force(on)]
    if not in_force:
        regimes = "；".join(
            f"{r.regime}（{r.effective_from}—{r.effective_to or '至今'}）" for r in candidates
        )
        raise InvalidInput(f"{on} 适用的规则体系中没有“{name}”期间。该规则仅存在于：{regimes}")
    by_procedure = [r for r in in_force if r.procedure is not None]
    if not by_procedure:
        return in_force[0]
    if procedure is None:
        options = "、".join(sorted(r.procedure or "" for r in by_procedure))
        raise InvalidInput(f"{on} 起“{name}”期间因程序而异，请指定程序（--procedure {options}）。")
    chosen = [r for r in by_procedure if r.procedure == procedure]
    if not chosen:
        raise InvalidInput(f"“{name}”期间不适用于程序 {procedure}。")
    return chosen[0]


def compute(
    name: str, *, start: date | datetime, procedure: str | None = None, extended: bool = False
) -> Deadline:
    """The last day (or hour) of period ``name`` running from ``start``, the act's date."""
    act_day = start.date() if isinstance(start, datetime) else start
    rule = rule_in_force(name, on=act_day, procedure=procedure)
    if extended and not rule.extension:
        raise InvalidInput(f"“{name}”期间（{rule.regime}）没有法定的延长规定。")
    length = rule.length + (rule.extension or 0 if extended else 0)
    if rule.unit == "hours":
        moment = start if isinstance(start, datetime) else datetime.combine(start, time(0), tzinfo=CHINA)
        end = end_of_hours(moment, length)
        return Deadline(rule=rule, start=moment, due=end, nominal=end, extended=extended)
    counted = end_of_period(act_day, length, rule.unit)
    return Deadline(
        rule=rule, start=act_day, due=counted.due, nominal=counted.nominal, extended=extended,
        moved_over=counted.moved_over, provisional=counted.provisional,
    )
