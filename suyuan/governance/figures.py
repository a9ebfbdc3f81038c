"""Extra figure sections on the dashboard and in the joint-conference report, contributed by other apps.

The governance templates and exports render every registered section the same way, so an app above
the core (the ``voice`` app: 两代表一委员 participation, satisfaction) adds its figures without
editing governance's templates::

    # in voice/apps.py, VoiceConfig.ready()
    from suyuan.governance.figures import FigureRow, FigureSection, register_figure_section
    register_figure_section(participation_section)

    def participation_section(scope, filters) -> FigureSection | None:
        return FigureSection("deputies", "两代表一委员参与", [FigureRow("参与调解（人次）", "12", "…定义…")])

A provider receives the leader's :class:`~suyuan.governance.selectors.Scope` (use ``scope.user`` and
its counties to scope its own reads) and the dashboard's :class:`~suyuan.governance.selectors.Filters`;
it returns a section, or None to show nothing. Its figures must already be scoped and aggregated —
no personal data. A provider that fails raises; the page is then a 500, as any other bug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .selectors import Filters, Scope


@dataclass(frozen=True)
class FigureRow:
    name: str  # 指标名称, as shown and as the Excel row's first cell
    figure: str  # the figure as shown (already formatted, e.g. "85.0%（17/20）")
    definition: str = ""  # 分子/分母/日期口径, shown on hover/click and in the exports


@dataclass(frozen=True)
class FigureSection:
    key: str  # stable id, used as the HTML id ("figures-<key>") and the Excel sheet order
    title: str  # section heading, e.g. "两代表一委员参与"
    rows: list[FigureRow] = field(default_factory=list)
    note: str = ""


FigureProvider = Callable[["Scope", "Filters"], FigureSection | None]
_PROVIDERS: list[FigureProvider] = []


def register_figure_section(provider: FigureProvider) -> FigureProvider:
    """Add a provider (idempotent: registering the same function twice keeps one). Usable as a decorator."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister_figure_section(provider: FigureProvider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def sections(scope: Scope, filters: Filters) -> list[FigureSection]:
    """Every registered section for this scope and period, in registration order (empty ones left out)."""
    out = []
    for provider in list(_PROVIDERS):
        section = provider(scope, filters)
        if section is not None and section.rows:
            out.append(section)
    return out
