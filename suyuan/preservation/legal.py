"""The preservation app's legal tests as data (rules/data/rules/preservation.toml), by date of the act."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from suyuan.common.errors import InvalidInput
from suyuan.rules.thresholds import MORE_DATA

from .choices import AssetKind, MeasureKind

PRE_SUIT_RULING = "preservation_ruling"
URGENT_RULING = "preservation_ruling_urgent"
LAPSE = "preservation_lapse"


@dataclass(frozen=True)
class PreservationRules:
    regime: str
    security_required_citation: str
    scope_citation: str
    substitution_citation: str
    lift_citation: str
    ruling_in_suit_citation: str
    ruling_pre_suit_citation: str
    reconsideration_citation: str


@cache
def _entries() -> list[dict[str, Any]]:
    with (MORE_DATA / "preservation.toml").open("rb") as f:
        return list(tomllib.load(f)["preservation"])


def rules_on(on: date) -> PreservationRules:
    for entry in _entries():
        if entry["effective_from"] <= on and ("effective_to" not in entry or on < entry["effective_to"]):
            return PreservationRules(**{k: v for k, v in entry.items() if not k.startswith("effective")})
    raise InvalidInput(f"{on} 没有适用的保全规则。")


MEASURE_RULES = ("measure_bank", "measure_movable", "measure_property")


def measure_rule(asset_kind: str, kind: str) -> str:
    """The period rule of a measure: bank deposits 1 year, movables 2, real estate and rights 3."""
    if asset_kind in (AssetKind.BANK, AssetKind.ONLINE_PAYMENT):
        return "measure_bank"
    if asset_kind == AssetKind.VEHICLE or kind == MeasureKind.DISTRAIN:
        return "measure_movable"
    return "measure_property"
