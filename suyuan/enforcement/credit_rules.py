"""The grounds, bars and periods of the credit measures, read from ``rules/data/rules/credit.toml``.

The entry in force on the date of the decision applies (2013 or 2017 provisions on the dishonest
list; 2010 or 2015 provisions on restricting consumption). Nothing here is a literal: the codes,
texts and citations all come from the data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from suyuan.common.errors import InvalidInput
from suyuan.rules import thresholds


@dataclass(frozen=True)
class Ground:
    code: str
    text: str
    citation: str

    def describe(self) -> str:
        return f"“{self.text}”（{self.citation}）"


def _grounds(rows: list[list[str]]) -> dict[str, Ground]:
    return {code: Ground(code, text, citation) for code, text, citation in rows}


def _entry(section: str, on: date, what: str) -> dict[str, Any]:
    for entry in thresholds._data().get(section, []):
        if entry["effective_from"] <= on and ("effective_to" not in entry or on < entry["effective_to"]):
            return entry
    raise InvalidInput(f"{on:%Y年%m月%d日}没有在施行的{what}规定，不能作出该决定。")


@dataclass(frozen=True)
class RestrictionRules:
    regime: str
    grounds: dict[str, Ground]
    lift_grounds: dict[str, Ground]
    # The ground of a restriction the law makes mandatory on listing (应当采取), or None.
    on_listing: Ground | None = None


def restriction_rules(on: date) -> RestrictionRules:
    e = _entry("consumption_restriction", on, "限制消费")
    grounds = _grounds(e["grounds"])
    return RestrictionRules(e["regime"], grounds, _grounds(e["lift_grounds"]), grounds.get(e.get("on_listing", "")))


@dataclass(frozen=True)
class ListingRules:
    regime: str
    grounds: dict[str, Ground]
    term_grounds: frozenset[str]
    listing_years: int
    listing_citation: str
    extension_years: tuple[int, int]
    extension_citation: str
    extension_grounds: dict[str, Ground]
    bars_able_refuses: dict[str, Ground]
    minor_age: int
    minor_citation: str
    removal_grounds: dict[str, Ground]
    expiry_citation: str
    review_grounds: dict[str, Ground]
    review_citation: str


def listing_rules(on: date) -> ListingRules:
    e = _entry("dishonest_listing", on, "失信被执行人名单")
    return ListingRules(
        regime=e["regime"], grounds=_grounds(e["grounds"]), term_grounds=frozenset(e["term_grounds"]),
        listing_years=e["listing_years"], listing_citation=e["listing_citation"],
        extension_years=(e["extension_years_min"], e["extension_years_max"]),
        extension_citation=e["extension_citation"], extension_grounds=_grounds(e["extension_grounds"]),
        bars_able_refuses=_grounds(e["bars_able_refuses"]), minor_age=e["minor_age"],
        minor_citation=e["minor_citation"], removal_grounds=_grounds(e["removal_grounds"]),
        expiry_citation=e["expiry_citation"], review_grounds=_grounds(e["review_grounds"]),
        review_citation=e["review_citation"],
    )


@dataclass(frozen=True)
class GraceRules:
    regime: str
    months_min: int
    months_max: int
    citation: str


def grace_rules(on: date) -> GraceRules:
    e = _entry("credit_grace", on, "宽限期")
    return GraceRules(e["regime"], e["months_min"], e["months_max"], e["citation"])


def pick(grounds: dict[str, Ground], codes: list[str], *, what: str, field: str) -> list[Ground]:
    """The grounds named by ``codes``; an unknown code is refused naming what the law allows."""
    unknown = [c for c in codes if c not in grounds]
    if unknown:
        allowed = "；".join(g.describe() for g in grounds.values()) or "无"
        message = f"“{'、'.join(unknown)}”不是法定的{what}。可以适用的{what}：{allowed}"
        raise InvalidInput(message, errors={field: [message]})
    return [grounds[c] for c in dict.fromkeys(codes)]
