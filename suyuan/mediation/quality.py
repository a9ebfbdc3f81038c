"""What the public says about a mediator, contributed to the recommendation score by a higher app.

The track record of ``selectors.recommend_mediators`` (W_RECORD) is the settlement and performance
rate. A higher app (voice: satisfaction surveys and complaints) adds the parties' view without
being imported from here: it registers a source from its ``AppConfig.ready()``:

    register_quality_source(source)   # source(mediator_ids) -> {mediator_id: QualityNote}

``part`` is in [0, 1] (1 = best); the record part and the public's part are blended with
``PUBLIC_SHARE`` (a product weight, not a legal value), and ``text`` is shown as a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

PUBLIC_SHARE = 0.4  # share of W_RECORD given to the parties' view when there is any


@dataclass(frozen=True)
class QualityNote:
    part: float  # 0..1
    text: str  # a reason in Chinese, e.g. "当事人满意度 4.5/5（8 份评价）"


QualitySource = Callable[[Iterable[int]], dict[int, QualityNote]]
_SOURCES: list[QualitySource] = []


def register_quality_source(source: QualitySource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def public_notes(mediator_ids: Iterable[int]) -> dict[int, list[QualityNote]]:
    ids = list(mediator_ids)
    notes: dict[int, list[QualityNote]] = {}
    for source in _SOURCES:
        for pk, note in source(ids).items():
            notes.setdefault(pk, []).append(note)
    return notes


def blend(record_part: float, notes: list[QualityNote]) -> float:
    """The record part with the public's part (the mean of the sources) blended in, if any."""
    if not notes:
        return record_part
    public = sum(min(max(n.part, 0.0), 1.0) for n in notes) / len(notes)
    return (1 - PUBLIC_SHARE) * record_part + PUBLIC_SHARE * public
