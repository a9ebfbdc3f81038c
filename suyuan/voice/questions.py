"""The survey's questions as data (``data/questions.toml``)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "questions.toml"
SCALE = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}


@cache
def _all() -> tuple[dict[str, object], ...]:
    with DATA.open("rb") as fh:
        return tuple(tomllib.load(fh)["question"])


def questions_for(stage: str) -> list[dict[str, str]]:
    """The questions asked after ``stage``, as stored on the survey (code and text)."""
    return [{"code": str(q["code"]), "text": str(q["text"])} for q in _all() if stage in q["stages"]]  # type: ignore[operator]
