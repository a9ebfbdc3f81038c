"""Appending to a dispute's timeline: the one way every write to a dispute is recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Max
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User

from .choices import EventKind
from .models import Dispute, DisputeEvent

# Apps above this one react to every event without being imported from here (the layering rule):
# they register a sink in AppConfig.ready(). A sink runs inside the caller's transaction, so what it
# writes (the notices outbox) commits or rolls back together with the event itself.
EventSink = Callable[[DisputeEvent], object]
_SINKS: list[EventSink] = []


def register_event_sink(sink: EventSink) -> None:
    if sink not in _SINKS:
        _SINKS.append(sink)


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
    event = DisputeEvent.objects.create(
        dispute=dispute,
        seq=last + 1,
        kind=str(kind),
        title=title or str(dict(EventKind.choices).get(str(kind), "")),
        at=timezone.now(),
        actor=actor,
        actor_label=actor.display_name if actor is not None else "系统",
        actor_role=actor.role if actor is not None else "",
        actor_organisation=(actor.organisation.name if actor is not None and actor.organisation else ""),
        via=origin.via,
        ip=origin.ip,
        summary=summary,
        data=data or {},
    )
    for sink in _SINKS:
        sink(event)
    return event
