"""The integrity app's figures (``data/integrity.toml``), read once."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "integrity.toml"


@cache
def settings() -> dict[str, Any]:
    with DATA.open("rb") as f:
        return tomllib.load(f)


def section(name: str) -> dict[str, Any]:
    return settings()[name]


def risk_signal(code: str) -> dict[str, Any]:
    for signal in settings()["risk"]["signals"]:
        if signal["code"] == code:
            return signal
    raise KeyError(code)
