"""Appending to a dispute's timeline: the one way every write to a dispute is recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Max
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.bulk_rows import copy_new, new_instance

from .choices import EventKind
from .models import Dispute, DisputeEvent

# Apps above this one react to every event without being imported from here (the layering rule):
# they register a sink in AppConfig.ready(). A sink runs inside the caller's transaction, so what it
# writes (the notices outbox) commits or rolls back together with the event itself.
EventSink = Callable[[DisputeEvent], object]
# The same sink over many events written at once (``append_events``: a batch import's chunk), with
# the same result as calling the sink on each event in turn, in fewer statements.
BulkEventSink = Callable[[list[DisputeEvent]], object]
_SINKS: list[EventSink] = []


class WrittenNow(list[DisputeEvent]):
    """The events ``append_events`` has just inserted, as the sinks' bulk forms receive them: new
    in the caller's uncommitted transaction, so no other row refers to them yet (the notices
    outbox needs no conflict check for their rows)."""


_BULK: dict[EventSink, BulkEventSink] = {}
_KIND_LABELS = {str(value): str(label) for value, label in EventKind.choices}


def register_event_sink(sink: EventSink, *, bulk: BulkEventSink | None = None) -> None:
    if sink not in _SINKS:
        _SINKS.append(sink)
    if bulk is not None:
        _BULK[sink] = bulk


def append_event(
    *,
    dispute: Dispute,
    kind: EventKind | str,
    actor: User | None,
    origin: Origin,
    summary: str,
    data: dict[str, Any] | None = None,
    title: str = "",
    first: bool = False,
) -> DisputeEvent:
    """Write the next event. The caller holds the dispute's row lock (or has just created it).

    ``first``: the caller has just created the dispute in this transaction, so this is its event
    number 1 and the timeline need not be read (the intake's ``RECORDED``)."""
    last = 0 if first else (DisputeEvent.objects.filter(dispute=dispute).aggregate(m=Max("seq"))["m"] or 0)
    event = new_event(
        dispute=dispute, seq=last + 1, kind=kind, actor=actor, origin=origin, summary=summary, data=data, title=title
    )
    event.save(force_insert=True)
    _run_sinks([event])
    return event


def append_events(
    events: list[DisputeEvent], *, on_written: Callable[[], object] | None = None, keys: list[int] | None = None
) -> list[DisputeEvent]:
    """Write events built with ``new_event`` in one INSERT (``COPY`` on PostgreSQL), then run every
    sink over all of them (its bulk form where it has one, else once per event), in the caller's
    transaction.

    For disputes the caller has just created or holds locked, with ``seq`` numbered by the caller
    (a batch import's chunk: each new dispute's ``RECORDED`` event, seq 1). The result is the same
    as ``append_event`` called on each in turn. ``on_written`` is called between the INSERT and
    the sinks (the batch import times them apart); ``keys``: the events' keys, reserved by the
    caller (``common.bulk_rows.reserve_keys``)."""
    if not events:
        return events
    copy_new(events, keys=keys)
    if on_written is not None:
        on_written()
    _run_sinks(WrittenNow(events))
    return events


def _run_sinks(events: list[DisputeEvent]) -> None:
    """Every sink over the events just written: its bulk form for many, else once per event."""
    for sink in _SINKS:
        bulk = _BULK.get(sink) if len(events) > 1 else None
        if bulk is not None:
            bulk(events)
        else:
            for event in events:
                sink(event)


def new_event(
    *,
    dispute: Dispute,
    seq: int,
    kind: EventKind | str,
    actor: User | None,
    origin: Origin,
    summary: str,
    data: dict[str, Any] | None = None,
    title: str = "",
) -> DisputeEvent:
    """A timeline event, not yet written (``append_event`` writes one, ``append_events`` many);
    built as ``DisputeEvent(**fields)`` would build it, without ``Model.__init__``'s cost."""
    kind = str(kind)
    return new_instance(
        DisputeEvent,
        {
            "seq": seq,
            "kind": kind,
            "title": title or _KIND_LABELS.get(kind, ""),
            "at": timezone.now(),
            "actor_label": actor.display_name if actor is not None else "系统",
            "actor_role": actor.role if actor is not None else "",
            "actor_organisation": (actor.organisation.name if actor is not None and actor.organisation else ""),
            "via": origin.via,
            "ip": origin.ip,
            "summary": summary,
            "data": data or {},
        },
        {"dispute": dispute, "actor": actor},
    )
