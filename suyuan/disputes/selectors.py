"""Reads of disputes, always through the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
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
        own = Q(recorded_by=user)
        return own | Q(dispute_parties__party_id=user.party_id) if user.party_id else own
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


def visible_disputes(user: User) -> QuerySet[Dispute]:
    condition = scope_filter(user)
    if condition is None:
        return Dispute.objects.none()
    # A dispute matches once per party row when filtering through parties: keep ids distinct.
    ids = Dispute.objects.filter(condition).values("pk")
    return Dispute.objects.filter(pk__in=ids)


def get_visible_dispute(user: User, number: str) -> Dispute:
    dispute = (
        visible_disputes(user)
        .select_related("region", "court", "recorded_by", "handling_organisation", "mediator", "duplicate_of")
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


def parties_of(dispute: Dispute) -> list:  # type: ignore[type-arg]
    return list(dispute.dispute_parties.select_related("party").order_by("role", "position"))


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


def workbench_queue(user: User, name: str, *, today: date, soon_days: int) -> QuerySet[Dispute]:
    """What the user must do now: new disputes, those they handle, deadlines soon due or passed."""
    visible = visible_disputes(user)
    if name == "new":
        qs = visible.filter(status=DisputeStatus.RECORDED)
    elif name == "mine":
        mine = Q(recorded_by=user) | Q(mediator__user=user) | Q(assignee=user)
        if user.role == Role.PARTY and user.party_id:
            mine |= Q(dispute_parties__party_id=user.party_id)
        qs = visible.filter(mine, status__in=OPEN_STAGES).distinct()
    elif name == "due_soon":
        qs = visible.filter(
            clocks__status=ClockStatus.OPEN, clocks__due_on__gte=today,
            clocks__due_on__lte=today + timedelta(days=soon_days),
        ).distinct()
    elif name == "overdue":
        qs = visible.filter(
            Q(clocks__status=ClockStatus.OVERDUE, status__in=OPEN_STAGES)
            | Q(clocks__status=ClockStatus.OPEN, clocks__due_on__lt=today)
        ).distinct()
    else:
        qs = Dispute.objects.none()
    next_due = Clock.objects.filter(dispute=OuterRef("pk"), status=ClockStatus.OPEN).order_by("due_on")
    return (
        qs.select_related("region", "court")
        .annotate(
            next_due=Subquery(next_due.values("due_on")[:1]),
            next_subject=Subquery(next_due.values("subject")[:1]),
        )
        .order_by("-created_at", "-pk")
    )
