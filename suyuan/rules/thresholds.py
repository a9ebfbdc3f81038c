"""Thresholds and tests other than periods (``data/rules.toml`` plus the wage table).

A threshold whose figure is missing is ``None`` (unknown) — never a guess.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .models import ProvincialWage

DATA = Path(__file__).resolve().parent / "data" / "rules.toml"
# Each stage app's thresholds and grounds may sit in a file of their own under data/rules/;
# a section's entries from all files are concatenated.
MORE_DATA = Path(__file__).resolve().parent / "data" / "rules"


@cache
def _data() -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in [DATA, *sorted(MORE_DATA.glob("*.toml"))]:
        with path.open("rb") as f:
            for section, entries in tomllib.load(f).items():
                merged.setdefault(section, []).extend(entries)
    return merged


def _in_force(section: str, on: date) -> dict[str, Any] | None:
    for entry in _data()[section]:
        if entry["effective_from"] <= on and ("effective_to" not in entry or on < entry["effective_to"]):
            return entry
    return None


@dataclass(frozen=True)
class SmallClaimsLimit:
    amount: Decimal  # mandatory small-claims procedure at or below this amount (yuan)
    agreed_max: Decimal | None  # parties may agree to small claims up to this amount
    ratio: Decimal
    wage: ProvincialWage
    regime: str
    citation: str

    def explain(self) -> str:
        text = (
            f"{self.wage.province_name}{self.wage.year}年{self.wage.basis} {self.wage.amount} 元 × "
            f"{self.ratio:.0%} = {self.amount} 元（{self.citation}）"
        )
        if self.agreed_max is not None:
            text += f"；{self.amount} 元以上至 {self.agreed_max} 元，双方可约定适用"
        return text


def small_claims_limit(*, province_code: str, on: date) -> SmallClaimsLimit | None:
    """The small-claims limit for an act on ``on`` in a province, or ``None`` when unknown."""
    rule = _in_force("small_claims", on)
    if rule is None:
        return None
    wage = ProvincialWage.objects.filter(province_code=province_code, year=on.year - 1).first()
    if wage is None:
        return None
    ratio = Decimal(rule["mandatory_ratio"])
    amount = (wage.amount * ratio).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    agreed = Decimal(rule["agreed_multiple"]) * wage.amount if "agreed_multiple" in rule else None
    return SmallClaimsLimit(
        amount=amount, agreed_max=agreed, ratio=ratio, wage=wage, regime=rule["regime"], citation=rule["citation"]
    )


@dataclass(frozen=True)
class Exclusion:
    code: str
    label: str
    citation: str


def small_claims_exclusions(on: date) -> list[Exclusion]:
    rule = _in_force("small_claims", on)
    if rule is None or "exclusions" not in rule:
        return []
    return [Exclusion(code, label, rule["exclusions_citation"]) for code, label in rule["exclusions"]]


def simple_procedure_exclusions(on: date) -> list[Exclusion]:
    rule = _in_force("simple_procedure", on)
    if rule is None:
        return []
    return [Exclusion(code, label, rule["citation"]) for code, label in rule["exclusions"]]


@dataclass(frozen=True)
class HalfFeeGround:
    code: str
    label: str
    citation: str


def half_fee_grounds(on: date) -> list[HalfFeeGround]:
    rule = _in_force("fee_reduction", on)
    return [HalfFeeGround(*row) for row in rule["half_fee"]] if rule else []


@dataclass(frozen=True)
class DishonestListRule:
    listing_years: int
    listing_citation: str
    grace_months_min: int
    grace_months_max: int
    grace_citation: str


def dishonest_list_rule(on: date) -> DishonestListRule | None:
    rule = _in_force("dishonest_list", on)
    if rule is None:
        return None
    return DishonestListRule(
        listing_years=rule["listing_years"], listing_citation=rule["listing_citation"],
        grace_months_min=rule["grace_months_min"], grace_months_max=rule["grace_months_max"],
        grace_citation=rule["grace_citation"],
    )


@dataclass(frozen=True)
class DuplicateSuitTest:
    conditions: list[tuple[str, str]]
    citation: str


def duplicate_suit_test(on: date) -> DuplicateSuitTest | None:
    rule = _in_force("duplicate_suit", on)
    if rule is None:
        return None
    return DuplicateSuitTest(conditions=[tuple(c) for c in rule["conditions"]], citation=rule["citation"])  # type: ignore[misc]


@dataclass(frozen=True)
class FeeEstimate:
    full: Decimal
    half: Decimal
    citation: str
    half_fee_grounds: list[HalfFeeGround]
    relief_options: list[tuple[str, str, str]]
    relief_citation: str


def acceptance_fee(amount: Decimal, *, on: date) -> FeeEstimate | None:
    """Case acceptance fee of a property claim (诉讼费用交纳办法 第十三条), with the halving grounds."""
    rule = _in_force("acceptance_fee", on)
    if rule is None:
        return None
    fee = Decimal(rule["flat_fee"])
    lower = Decimal(rule["flat_up_to"])
    for upper_text, rate in rule["bands"]:
        upper = Decimal(upper_text) if upper_text else None
        if amount <= lower:
            break
        portion = (min(amount, upper) if upper is not None else amount) - lower
        fee += portion * Decimal(rate)
        if upper is None:
            break
        lower = upper
    full = fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return FeeEstimate(
        full=full,
        half=(full / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        citation=rule["citation"],
        half_fee_grounds=half_fee_grounds(on),
        relief_options=[tuple(o) for o in rule["relief_options"]],  # type: ignore[misc]
        relief_citation=rule["relief_citation"],
    )


def fixed_holidays(on: date) -> frozenset[str]:
    """"MM-DD" of the fixed-date statutory holidays in force on ``on``."""
    rule = _in_force("fixed_holidays", on)
    return frozenset(rule["days"]) if rule else frozenset()


@dataclass(frozen=True)
class ObjectionAbuse:
    cases: int  # objections in at least this many cases within the window → signal
    window_months: int
    regime: str
    citation: str
    note: str


def objection_abuse(*, on: date) -> ObjectionAbuse | None:
    """The abuse-of-procedural-rights signal threshold for jurisdiction objections in force on ``on``."""
    entry = _in_force("objection_abuse", on)
    if entry is None:
        return None
    return ObjectionAbuse(cases=int(entry["cases"]), window_months=int(entry["window_months"]),
                          regime=entry["regime"], citation=entry["citation"], note=entry.get("note", ""))


@dataclass(frozen=True)
class SecondInstanceRule:
    """How a second instance decides and what its decision does, in force on the day it is pronounced."""

    regime: str
    outcomes_citation: str  # affirm, amend, set aside and remand
    no_second_remand_citation: str  # a retried case, appealed again, is not remanded a second time
    final_citation: str  # its judgments and rulings are final: no appeal period
    remand_citation: str  # the retrial at first instance: a new panel, never the simple procedure
    effective: str  # "served" | "pronounced": the day a final judgment takes effect


def second_instance_rule(*, on: date) -> SecondInstanceRule | None:
    entry = _in_force("second_instance", on)
    if entry is None:
        return None
    return SecondInstanceRule(regime=entry["regime"], outcomes_citation=entry["outcomes_citation"],
                              no_second_remand_citation=entry["no_second_remand_citation"],
                              final_citation=entry["final_citation"], remand_citation=entry["remand_citation"],
                              effective=entry["effective"])
