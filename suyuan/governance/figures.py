"""Sections of figures other apps add to the leaders' dashboard and the joint-conference report.

An app below governance (voice: satisfaction, complaints, deputies' participation) offers a
function ``section(user) -> FigureSection | None`` (None: nothing for this user); governance
registers it from its own ``AppConfig.ready()`` (governance may import the apps below it):

    register_figure_section(fn)
    figure_sections(user)  # every section for this leader, in registration order
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from suyuan.accounts.models import User


@dataclass(frozen=True)
class FigureTable:
    title: str
    headings: list[str]
    rows: list[list[Any]]
    note: str = ""  # where the figures come from / what they count


@dataclass(frozen=True)
class FigureSection:
    key: str
    title: str
    tables: list[FigureTable] = field(default_factory=list)


SectionFn = Callable[["User"], FigureSection | None]
_SECTIONS: list[SectionFn] = []


def register_figure_section(fn: SectionFn) -> None:
    if fn not in _SECTIONS:
        _SECTIONS.append(fn)


def figure_sections(user: User) -> list[FigureSection]:
    return [s for fn in _SECTIONS if (s := fn(user)) is not None]


def voice_section(user: User) -> FigureSection | None:
    """Satisfaction, complaints and deputies' participation (the voice app's figures)."""
    from suyuan.voice.figures import leader_may_see, voice_tables

    if not leader_may_see(user):
        return None
    return FigureSection(key="voice", title="群众评价、投诉与代表委员参与", tables=[
        FigureTable(title, headings, rows) for title, headings, rows in voice_tables(user)
    ])
