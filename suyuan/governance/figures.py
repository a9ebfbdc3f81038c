"""Sections of figures other apps add to the leaders' dashboard and the joint-conference report.

An app below governance (voice: satisfaction, complaints, deputies' participation) offers a
function ``section(user, filters) -> FigureSection | None`` (None: nothing for this user; ``filters``
the dashboard's ``selectors.Filters``, or None for no narrowing); governance registers it from its
own ``AppConfig.ready()`` (governance may import the apps below it):

    register_figure_section(fn)
    figure_sections(user, filters)  # every section for this leader, in registration order
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from suyuan.accounts.models import User

    from .selectors import Filters


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


SectionFn = Callable[["User", "Filters | None"], FigureSection | None]
_SECTIONS: list[SectionFn] = []


def register_figure_section(fn: SectionFn) -> None:
    if fn not in _SECTIONS:
        _SECTIONS.append(fn)


def figure_sections(user: User, filters: Filters | None = None) -> list[FigureSection]:
    return [s for fn in _SECTIONS if (s := fn(user, filters)) is not None]


def voice_section(user: User, filters: Filters | None) -> FigureSection | None:
    """Satisfaction, complaints and deputies' participation (the voice app's figures), narrowed by
    the dashboard's period, county, category and channel."""
    from suyuan.network.models import Region
    from suyuan.voice.figures import Narrowing, leader_may_see, voice_tables

    if not leader_may_see(user):
        return None
    narrowing = None
    if filters is not None:
        since, until = filters.window()
        # The county was checked against the leader's scope when the filters were parsed.
        county = Region.objects.filter(code=filters.county) if filters.county else Region.objects.none()
        path = county.values_list("path", flat=True).first()
        narrowing = Narrowing(since=since, until=until, region_path=path or "", category=filters.category,
                              channel=filters.channel)
    note = "按所选统计期间（评价发出、投诉收到、邀请发出的时间）和纠纷的县（区）、类别、来源统计。" if filters else ""
    return FigureSection(key="voice", title="群众评价、投诉与代表委员参与", tables=[
        FigureTable(title, headings, rows, note=note if i == 0 else "")
        for i, (title, headings, rows) in enumerate(voice_tables(user, narrowing))
    ])
