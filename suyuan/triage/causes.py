"""The SPC civil cause list (2020) as shipped data, the 2011→2020 renames and the category map."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def cause_list() -> dict[str, Any]:
    """法〔2020〕346号 as far as transcribed (see `completeness`). Codes per level: part number ("1"), heading
    numeral ("一"), sequence number ("8"), sub-item ("8-1"); `parent` is a code of the level above."""
    return json.loads((DATA / "causes_2020.json").read_text(encoding="utf-8"))


@cache
def renamed_2011() -> dict[str, str]:
    return json.loads((DATA / "cause_map_2011_2020.json").read_text(encoding="utf-8"))["renamed"]


@cache
def category_causes() -> dict[str, list[str]]:
    return json.loads((DATA / "category_causes.json").read_text(encoding="utf-8"))["categories"]


def to_2020(name: str) -> str:
    """A 2011-version name (older judgments, the CJRC labels) in 2020 wording; unchanged names pass."""
    return renamed_2011().get(name, name)


def causes_at_level(level: int) -> list[dict[str, Any]]:
    return [c for c in cause_list()["causes"] if c["level"] == level]


def category_for_cause(name: str) -> list[str]:
    name = to_2020(name)
    return [cat for cat, names in category_causes().items() if name in names]
