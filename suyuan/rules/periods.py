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
BOUNDS = {"at_least": "不少于", "at_most": "不超过"}


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
    # The law sets a range and the judge picks the length within it (e.g. 举证期限).
    bound: str | None = None  # "at_least" | "at_most"
    # Transitional rule: a period still running when this regime ends takes the next regime's length.
    carry_over: bool = False
    carry_over_citation: str = ""

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def describe(self) -> str:
        units = {"hours": "小时", "days": "日", "months": "个月", "years": "年"}
        text = f"自{self.starts}起 {self.length} {units[self.unit]}"
        if self.bound:
            text = f"自{self.starts}起由法院指定，{BOUNDS[self.bound]} {self.length} {units[self.unit]}"
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

    days: int | None = None  # the length the judge chose, for a bounded rule
    carried_from: PeriodRule | None = None  # the earlier regime a transitional rule carried over

    @property
    def regime(self) -> str:
        if self.carried_from is not None:
            return f"{self.rule.regime}（由{self.carried_from.regime}过渡适用）"
        return self.rule.regime

    @property
    def citation(self) -> str:
        if self.carried_from is not None:
            return f"{self.rule.citation}；{self.carried_from.carry_over_citation}"
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
    name: str, *, start: date | datetime, procedure: str | None = None, extended: bool = False,
    days: int | None = None,
) -> Deadline:
    """The last day (or hour) of period ``name`` running from ``start``, the act's date.

    ``days`` is the length a judge chose for a rule the law only bounds (``bound``); it is refused
    outside the bound, and for any other rule.
    """
    act_day = start.date() if isinstance(start, datetime) else start
    rule = rule_in_force(name, on=act_day, procedure=procedure)
    if extended and not rule.extension:
        raise InvalidInput(f"“{name}”期间（{rule.regime}）没有法定的延长规定。")
    length = _chosen_length(rule, days) + (rule.extension or 0 if extended else 0)
    if rule.unit == "hours":
        moment = start if isinstance(start, datetime) else datetime.combine(start, time(0), tzinfo=CHINA)
        end = end_of_hours(moment, length)
        return Deadline(rule=rule, start=moment, due=end, nominal=end, extended=extended)
    counted = end_of_period(act_day, length, rule.unit)
    carried_from = None
    if rule.carry_over and rule.effective_to is not None and counted.due >= rule.effective_to:
        # Still running when the new law took effect: the new law's period applies.
        carried_from, rule = rule, rule_in_force(name, on=rule.effective_to, procedure=procedure)
        counted = end_of_period(act_day, rule.length, rule.unit)
    return Deadline(
        rule=rule, start=act_day, due=counted.due, nominal=counted.nominal, extended=extended,
        moved_over=counted.moved_over, provisional=counted.provisional,
        days=days if rule.bound else None, carried_from=carried_from,
    )


def _chosen_length(rule: PeriodRule, days: int | None) -> int:
    if days is None:
        return rule.length
    if not rule.bound:
        raise InvalidInput(f"“{rule.rule}”期间为法定固定期间（{rule.citation}），不能由法院指定天数。")
    if days < 1 or (rule.bound == "at_least" and days < rule.length) or (
        rule.bound == "at_most" and days > rule.length
    ):
        raise InvalidInput(
            f"指定的“{rule.rule}”期间 {days} 日不符合规定：依{rule.citation}，"
            f"应{BOUNDS[rule.bound]} {rule.length} 日。"
        )
    return days
