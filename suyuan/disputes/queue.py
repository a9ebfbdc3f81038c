"""Reads for the clerk's and judge's workbench queue: filters, search, sort, facets.

Everything starts from ``selectors.workbench_queue`` (itself built on ``visible_disputes``), so a
filter or a search can only narrow what the actor may already see: a party's name typed into the
search box finds nothing outside the actor's scope.

Triage (cause, track) sits above disputes in the layers; its rows are reached here through the
reverse relations ``triage_proposal`` and ``triage_decisions`` by name (ORM lookups, no import), so
the queue filters on the stored proposal or the clerk's decision without disputes importing triage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from suyuan.accounts.models import User
from suyuan.network.choices import RegionLevel
from suyuan.network.models import Region

from .choices import ClockStatus, DisputeStatus
from .models import Clock, Dispute, DisputeParty
from .selectors import OPEN_STAGES, QUEUES, visible_disputes, workbench_queue

# The whole visible set as one more queue ("all"), after the four work queues.
ALL_QUEUE = "all"
QUEUE_NAMES = {**QUEUES, ALL_QUEUE: "全部"}

QUEUE_SORTS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "-received": ("登记时间（新→旧）", ("-created_at", "-pk")),
    "received": ("登记时间（旧→新）", ("created_at", "pk")),
    "deadline": ("下一期限（近→远）", (F("next_due").asc(nulls_last=True), "pk")),
    "-amount": ("标的额（高→低）", (F("amount").desc(nulls_last=True), "-pk")),
    "amount": ("标的额（低→高）", (F("amount").asc(nulls_last=True), "pk")),
    "number": ("纠纷编号", ("number",)),
}
DEFAULT_SORT = "-received"


@dataclass(frozen=True)
class QueueFilters:
    """What a queue page is narrowed to; the same fields are the page's query parameters."""

    queue: str = "new"
    q: str = ""
    stage: str = ""
    cause: str = ""
    track: str = ""
    township: str = ""
    channel: str = ""
    due_within: int | None = None
    overdue: bool = False
    sort: str = DEFAULT_SORT

    def used(self) -> dict[str, str]:
        """The non-default fields as strings (for audit rows and saved views)."""
        default = QueueFilters(queue=self.queue)
        return {k: str(v) for k, v in asdict(self).items() if v != getattr(default, k) or k == "queue"}


def _triage_installed() -> bool:
    return django_apps.is_installed("suyuan.triage")


def search_disputes(qs: QuerySet[Dispute], term: str) -> QuerySet[Dispute]:
    """Dispute number or a party's name (or the dispute's name, which carries the parties' names).

    ``icontains`` behaves the same on SQLite and PostgreSQL for Chinese text (no case) and for
    the ASCII letters of a number; applied to an already scoped queryset (decision 0012).
    """
    term = term.strip()
    if not term:
        return qs
    named = DisputeParty.objects.filter(party__name__icontains=term).values("dispute_id")
    return qs.filter(Q(number__icontains=term) | Q(summary__icontains=term) | Q(pk__in=named))


def filter_queue(qs: QuerySet[Dispute], f: QueueFilters, *, today: date) -> QuerySet[Dispute]:
    """Narrow a scoped queryset by the queue filters (each a subquery: no duplicate rows)."""
    qs = search_disputes(qs, f.q)
    if f.stage:
        qs = qs.filter(status=f.stage)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.township:
        path = _region_path(f.township)
        # An unknown code narrows to nothing rather than to everything.
        qs = qs.filter(region__path__startswith=path) if path is not None else qs.none()
    if f.cause and _triage_installed():
        qs = qs.filter(
            Q(triage_proposal__cause=f.cause)
            | Q(pk__in=_decided("cause", f.cause))
        )
    if f.track and _triage_installed():
        qs = qs.filter(Q(triage_proposal__track=f.track) | Q(pk__in=_decided("track", f.track)))
    if f.due_within is not None:
        due = Clock.objects.filter(status=ClockStatus.OPEN, due_on__gte=today,
                                   due_on__lte=today + timedelta(days=f.due_within)).values("dispute_id")
        qs = qs.filter(pk__in=due)
    if f.overdue:
        late = Clock.objects.filter(
            Q(status=ClockStatus.OVERDUE, dispute__status__in=OPEN_STAGES)
            | Q(status=ClockStatus.OPEN, due_on__lt=today)
        ).values("dispute_id")
        qs = qs.filter(pk__in=late)
    return qs


def _decided(task: str, value: str) -> QuerySet[Any]:
    decision = django_apps.get_model("triage", "TriageDecision")
    return decision.objects.filter(task=task, decided=value).values("dispute_id")


def _region_path(code: str) -> str | None:
    region = Region.objects.filter(code=code).only("path").first()
    return region.path if region is not None else None


def queue_page_disputes(user: User, f: QueueFilters, *, today: date, soon_days: int) -> QuerySet[Dispute]:
    """The rows of one queue page: the named queue, narrowed, sorted, with what the row shows.

    One query for the page however many rows (``select_related`` for region, court, assignee;
    the next deadline as a subquery annotation from ``workbench_queue``).
    """
    if f.queue == ALL_QUEUE:
        qs = _annotated_all(user)
    else:
        qs = workbench_queue(user, f.queue, today=today, soon_days=soon_days)
    qs = filter_queue(qs, f, today=today)
    order = QUEUE_SORTS.get(f.sort, QUEUE_SORTS[DEFAULT_SORT])[1]
    return qs.select_related("region", "court", "assignee").order_by(*order)


def _annotated_all(user: User) -> QuerySet[Dispute]:
    """The whole visible set with the next open deadline, as ``workbench_queue`` annotates it."""
    next_due = Clock.objects.filter(dispute=OuterRef("pk"), status=ClockStatus.OPEN).order_by("due_on")
    return visible_disputes(user).select_related("region", "court").annotate(
        next_due=Subquery(next_due.values("due_on")[:1]),
        next_subject=Subquery(next_due.values("subject")[:1]),
    )


def _facet[T](user: User, name: str, compute: Callable[[], T]) -> T:
    """A filter's choices for this actor, from the process's cache when computed less than
    ``SUYUAN_QUEUE_FACET_CACHE_SECONDS`` ago. They are the distinct values over the actor's whole
    visible set (300,000 disputes for a court: ~200 ms), asked on every queue page. Only the
    choices are cached, never the rows: a township or cause that first appears in the actor's
    disputes is offered at most that many seconds late, and every filter still goes through
    ``visible_disputes``. The key carries what the scope depends on (role, organisation)."""
    seconds = settings.SUYUAN_QUEUE_FACET_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = f"disputes:queue-facet:v1:{name}:{user.pk}:{user.role}:{user.organisation_id}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return cast("T", found)


def queue_townships(user: User) -> list[tuple[str, str]]:
    """Townships (乡镇街道) where the actor's visible disputes occurred, for the filter."""
    return _facet(user, "townships", lambda: _queue_townships(user))


def _queue_townships(user: User) -> list[tuple[str, str]]:
    # order_by(): without it DISTINCT also runs over the default ordering's columns, one row per dispute.
    paths = set(visible_disputes(user).order_by().values_list("region__path", flat=True).distinct())
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")
    return [(r.code, r.name) for r in townships if any(p.startswith(r.path) for p in paths)]


def queue_causes(user: User) -> list[str]:
    """Causes proposed or decided on the actor's visible disputes, for the filter."""
    if not _triage_installed():
        return []
    return _facet(user, "causes", lambda: _queue_causes(user))


def _queue_causes(user: User) -> list[str]:
    visible = visible_disputes(user).values("pk")
    proposal = django_apps.get_model("triage", "TriageProposal")
    decision = django_apps.get_model("triage", "TriageDecision")
    proposed = proposal.objects.filter(dispute_id__in=visible).values_list("cause", flat=True).distinct()
    decided = (decision.objects.filter(dispute_id__in=visible, task="cause")
               .values_list("decided", flat=True).distinct())
    return sorted(set(proposed) | set(decided))


def queue_tracks() -> list[tuple[str, str]]:
    if not _triage_installed():
        return []
    proposal = django_apps.get_model("triage", "TriageProposal")
    choices = proposal._meta.get_field("track").choices or []
    return [(str(v), str(label)) for v, label in choices]


STAGE_CHOICES = [(str(v), str(label)) for v, label in DisputeStatus.choices]
