"""The SPC civil cause lists (2020; 2025 as far as stored) chosen by filing date, the 2011→2020 renames and
the category map."""

from __future__ import annotations

import json
from datetime import date
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


@cache
def editions() -> list[dict[str, Any]]:
    """The cause-list editions with the date each governs from (``data/cause_lists.json``), oldest first."""
    rows = json.loads((DATA / "cause_lists.json").read_text(encoding="utf-8"))["editions"]
    return sorted(rows, key=lambda e: e["in_force_from"])


def edition_for(filed_on: date) -> dict[str, Any]:
    """The edition governing a case filed on ``filed_on``: the latest in force by then (2020 before 2026)."""
    governing = [e for e in editions() if date.fromisoformat(e["in_force_from"]) <= filed_on]
    return governing[-1] if governing else editions()[0]


@cache
def edition_list(key: str) -> dict[str, Any]:
    edition = next(e for e in editions() if e["key"] == key)
    return json.loads((DATA / edition["file"]).read_text(encoding="utf-8"))


@cache
def _from_2020(key: str) -> dict[str, Any]:
    edition = next(e for e in editions() if e["key"] == key)
    if "from_2020" not in edition:
        return {"verified": True, "renamed": {}}
    return json.loads((DATA / edition["from_2020"]).read_text(encoding="utf-8"))


def in_edition(name: str, filed_on: date) -> tuple[str, bool]:
    """A 2011/2020 name in the wording of the edition governing ``filed_on``, and whether that name
    is verified against a stored copy of that edition (False where the edition's text is missing)."""
    edition = edition_for(filed_on)
    name = to_2020(name)
    if edition["key"] == "2020":
        return name, any(c["name"] == name for c in cause_list()["causes"])
    mapping = _from_2020(edition["key"])
    renamed = mapping["renamed"].get(name, name)
    listed = any(c["name"] == renamed for c in edition_list(edition["key"])["causes"])
    return renamed, listed


def edition_note(filed_on: date) -> str:
    """What the clerk is told about the governing list (Chinese: shown on the pages)."""
    edition = edition_for(filed_on)
    text = f"适用《{edition['title']}》（{edition['document']}，{edition['in_force_from']} 起施行）"
    data = edition_list(edition["key"])
    if not data["causes"]:
        return (text + "。本系统未存该版本的权威文本：以下案由名称沿用2020年版，尚未与该版本核对；"
                "如名称不符，请按该版本填写案由名称，或选择上一级案由。")
    return text + "。"


def higher_levels() -> list[str]:
    """Level-1 and level-2 causes the clerk may fall back to (as transcribed; 2020 edition)."""
    return [c["name"] for c in cause_list()["causes"] if c["level"] in (1, 2)]
