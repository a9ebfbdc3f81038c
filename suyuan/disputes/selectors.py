"""Reads of disputes, always through the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
from suyuan.common.paging import count_cap
from suyuan.network.models import Organisation
from suyuan.network.selectors import court_subtree_ids
from suyuan.parties.models import PartyMatchFlag

from .choices import ClockStatus, DisputeStatus
from .models import Clock, Dispute, DisputeEvent, DisputeParty


def scope_filter(user: User) -> Q | None:
    """The disputes a user may see, as a filter; ``None`` means none at all.

    A court's staff see their court's disputes, a governance centre its region, a grid worker
    their grids (and what they recorded), a mediator what is referred to them, an organisation
    admin what its organisation handles, a party their own disputes, a leader their area.
    """
    role = user.role
    org: Organisation | None = user.organisation
    if not user.is_active:
        return None
    if role == Role.PARTY:
        return _party_scope(user)
    if role == Role.GRID_WORKER:
        worker = getattr(user, "grid_worker", None)
        grid_paths = list(worker.grids.values_list("path", flat=True)) if worker is not None else []
        q = Q(recorded_by=user)
        for path in grid_paths:
            q |= Q(region__path__startswith=path)
        return q
    if role == Role.MEDIATOR:
        return Q(mediator__user=user)
    if org is None:
        return None
    if role in {Role.CLERK, Role.JUDGE, Role.ENFORCEMENT}:
        court = org.court()
        return Q(court=court) if court is not None else None
    if role == Role.ORG_ADMIN:
        return Q(handling_organisation=org) | Q(recorded_by_organisation=org)
    if role == Role.CENTRE_STAFF:
        return Q(region__path__startswith=org.region.path) | Q(recorded_by_organisation=org)
    if role == Role.LEADER:
        if org.is_court:
            return Q(court_id__in=court_subtree_ids(org))
        return Q(region__path__startswith=org.region.path)
    return None


def _party_scope(user: User) -> Q:
    own = Q(recorded_by=user)
    if not user.party_id:
        return own
    # One id subquery, the UNION of the two index look-ups; not a join through the party rows (no
    # duplicates) nor an OR of two conditions (either makes PostgreSQL scan every dispute: seconds
    # at a million).
    theirs = DisputeParty.objects.filter(party_id=user.party_id).values("dispute_id")
    return Q(pk__in=theirs.union(Dispute.objects.filter(own).values("pk")))


def visible_disputes(user: User) -> QuerySet[Dispute]:
    condition = scope_filter(user)
    if condition is None:
        return Dispute.objects.none()
    # Every condition follows to-one relations only (a party's disputes are a subquery), so a
    # dispute matches once: no DISTINCT or id subquery around it (PostgreSQL plans it directly).
    return Dispute.objects.filter(condition)


def get_visible_dispute(user: User, number: str) -> Dispute:
    dispute = (
        visible_disputes(user)
        # The region up to the city (grid → community → township → county → city) for its label.
        .select_related("region__parent__parent__parent__parent", "court", "recorded_by", "handling_organisation",
                        "mediator", "duplicate_of")
        .filter(number=number)
        .first()
    )
    if dispute is None:
        raise NotFound()
    return dispute


def get_visible_dispute_page(user: User, number: str) -> Dispute:
    """``get_visible_dispute`` for the dispute page: the same scope, the related rows the page shows
    (court, recorder, handling organisation, mediator) and of the suspected original only its number
    (``duplicate_number``); the region's label is asked apart (``region_label_by_path``). Building and
    compiling the ten-table join was a fifth of the page's Python (issue 16, P5)."""
    dispute = (
        visible_disputes(user)
        .select_related("region", "court", "recorded_by", "handling_organisation", "mediator")
        .annotate(duplicate_number=F("duplicate_of__number"))
        .filter(number=number)
        .first()
    )
    if dispute is None:
        raise NotFound()
    return dispute


@dataclass(frozen=True)
class DisputeFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    channel: str = ""
    region_code: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "-created_at"


SORTS = {
    "-created_at": ("-created_at", "-pk"),
    "created_at": ("created_at", "pk"),
    "-amount": ("-amount", "-pk"),
    "amount": ("amount", "pk"),
    "number": ("number",),
}


def dispute_list(user: User, filters: DisputeFilters) -> QuerySet[Dispute]:
    qs = visible_disputes(user)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(number__iexact=term) | Q(summary__icontains=term) | Q(dispute_parties__party__name=term)
        ).distinct()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.region_code:
        qs = qs.filter(region__path__contains=filters.region_code)
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    order = SORTS.get(filters.sort, SORTS["-created_at"])
    return qs.select_related("region", "court").order_by(*order)


def timeline(dispute: Dispute) -> QuerySet[DisputeEvent]:
    return DisputeEvent.objects.filter(dispute=dispute).order_by("seq")


_PAGE_PARTIES = "_suyuan_page_parties"


def parties_of(dispute: Dispute, *, remember: bool = False) -> list[DisputeParty]:
    """The dispute's party rows (with the party), in order of role and position. ``remember``: a
    read-only page keeps them on this dispute instance for the panels that list the same parties
    (``remembered_parties``), instead of their asking again; no other instance carries them."""
    rows = list(dispute.dispute_parties.select_related("party").order_by("role", "position"))
    if remember:
        setattr(dispute, _PAGE_PARTIES, rows)
    return rows


def remembered_parties(dispute: Dispute) -> list[DisputeParty] | None:
    """What ``parties_of(dispute, remember=True)`` loaded on this very instance, else None (ask)."""
    rows: list[DisputeParty] | None = getattr(dispute, _PAGE_PARTIES, None)
    return rows


def party_match_flags(user: User, *, status: str = "open") -> QuerySet[PartyMatchFlag]:
    """Possible same-person pairs among the parties of disputes the user can see (court staff)."""
    if user.role not in {Role.CLERK, Role.JUDGE}:
        return PartyMatchFlag.objects.none()
    party_ids = DisputeParty.objects.filter(dispute__in=visible_disputes(user)).values("party_id")
    return (
        PartyMatchFlag.objects.filter(Q(party_id__in=party_ids) | Q(candidate_id__in=party_ids), status=status)
        .select_related("party", "candidate", "resolved_by")
        .order_by("-created_at", "-pk")
    )


OPEN_STAGES = (
    DisputeStatus.RECORDED, DisputeStatus.IN_MEDIATION, DisputeStatus.MEDIATION_FAILED, DisputeStatus.SETTLED,
    DisputeStatus.IN_CONFIRMATION, DisputeStatus.PERFORMING, DisputeStatus.IN_LITIGATION,
    DisputeStatus.IN_ENFORCEMENT,
)
QUEUES = {
    "new": "新登记",
    "mine": "我经手的",
    "due_soon": "即将到期",
    "overdue": "已超期",
}


def workbench_counts(user: User, *, today: date, soon_days: int, cap: int | None = None) -> dict[str, int | str]:
    """How many disputes each queue holds, for the queue tabs: counted up to ``cap`` (then "1000+",
    as the queue's own paginator says; ``SUYUAN_LIST_COUNT_CAP``), so a court with 300,000 new
    disputes does not count them all on every page view."""
    cap = count_cap() if cap is None else cap
    # One round trip for every tab (issue 16, P5): SELECT (SELECT COUNT(*) FROM (… LIMIT cap + 1)), …
    # each subquery the queue's own rows, as ``QuerySet.count()`` on the sliced rows would ask.
    parts, params = [], []
    alias = Dispute.objects.all().db
    visible = visible_disputes(user)  # the scope once for the four queues
    for i, name in enumerate(QUEUES):
        rows = (_queue_rows(user, name, today=today, soon_days=soon_days, visible=visible)
                .order_by().values("pk")[: cap + 1])
        sql, part_params = rows.query.get_compiler(using=alias).as_sql()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) q{i})")  # noqa: S608  (compiled ORM SQL; values are params)
        params.extend(part_params)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {name: f"{cap}+" if n > cap else n for name, n in zip(QUEUES, row, strict=True)}


def _queue_rows(user: User, name: str, *, today: date, soon_days: int,
                visible: QuerySet[Dispute] | None = None) -> QuerySet[Dispute]:
    """A queue's disputes: ``visible`` (the actor's ``visible_disputes``, asked here when not given) narrowed."""
    visible = visible_disputes(user) if visible is None else visible
    if name == "new":
        return visible.filter(status=DisputeStatus.RECORDED)
    if name == "mine":
        if user.role == Role.PARTY:  # a party's own disputes are exactly what it may see
            return visible.filter(status__in=OPEN_STAGES)
        return visible.filter(Q(recorded_by=user) | Q(mediator__user=user) | Q(assignee=user), status__in=OPEN_STAGES)
    if name == "due_soon":
        clocks = Clock.objects.filter(status=ClockStatus.OPEN, due_on__gte=today,
                                      due_on__lte=today + timedelta(days=soon_days))
        return visible.filter(pk__in=clocks.values("dispute_id"))
    if name == "overdue":
        clocks = Clock.objects.filter(Q(status=ClockStatus.OVERDUE, dispute__status__in=OPEN_STAGES)
                                      | Q(status=ClockStatus.OPEN, due_on__lt=today))
        return visible.filter(pk__in=clocks.values("dispute_id"))
    return Dispute.objects.none()


def workbench_queue(user: User, name: str, *, today: date, soon_days: int) -> QuerySet[Dispute]:
    """What the user must do now: new disputes, those they handle, deadlines soon due or passed.
    Each queue is a filter on the disputes by id subqueries (no joins to repeat a dispute, so no
    DISTINCT: at a million disputes a DISTINCT over every column costs seconds)."""
    qs = _queue_rows(user, name, today=today, soon_days=soon_days)
    next_due = Clock.objects.filter(dispute=OuterRef("pk"), status=ClockStatus.OPEN).order_by("due_on")
    return (
        qs.select_related("region", "court")
        .annotate(
            next_due=Subquery(next_due.values("due_on")[:1]),
            next_subject=Subquery(next_due.values("subject")[:1]),
        )
        .order_by("-created_at", "-pk")
    )
