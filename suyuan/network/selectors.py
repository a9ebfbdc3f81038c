"""Reads of the network: regions, courts, the shared roster."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User

from .choices import OrganisationKind, RegionLevel
from .models import Mediator, Organisation, Region


def court_subtree_ids(court: Organisation) -> list[int]:
    """A court, the courts below it and their tribunals (an intermediate court sees its basics)."""
    ids = [court.pk]
    frontier = [court.pk]
    while frontier:
        children = list(
            Organisation.objects.filter(
                parent_id__in=frontier,
                kind__in=[OrganisationKind.BASIC_COURT, OrganisationKind.TRIBUNAL],
            ).values_list("pk", flat=True)
        )
        ids.extend(children)
        frontier = children
    return ids


def court_for_region(region: Region) -> Organisation | None:
    """The basic court with jurisdiction over the county the region lies in."""
    county = region.ancestor_at(RegionLevel.COUNTY)
    if county is None:
        return None
    return Organisation.objects.filter(kind=OrganisationKind.BASIC_COURT, region=county, active=True).first()


def region_by_code(code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code.strip()).first()


def roster_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations whose roster the user may read.

    Courts share a roster along the hierarchy (DESIGN §2.1): a court sees its own, the court
    above and the courts below, with their tribunals. An organisation sees its own. Centre staff
    and leaders see the organisations in their region.
    """
    org = user.organisation
    if org is None or not user.is_active:
        return Organisation.objects.none()
    court = org.court()
    if court is not None and user.role in {Role.CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.LEADER}:
        ids = set(court_subtree_ids(court))
        if court.parent_id is not None:
            ids |= set(court_subtree_ids(court.parent)) if court.parent else set()
        return Organisation.objects.filter(pk__in=ids)
    if user.role in {Role.CENTRE_STAFF, Role.LEADER}:
        return Organisation.objects.filter(region__path__startswith=org.region.path)
    if user.role == Role.ORG_ADMIN:
        return Organisation.objects.filter(Q(pk=org.pk) | Q(parent=org))
    return Organisation.objects.none()


def roster_for(user: User, *, q: str = "", kind: str = "", status: str = "", specialty: str = "") -> QuerySet[Mediator]:
    qs = Mediator.objects.filter(organisations__in=roster_organisations(user)).distinct()
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if specialty:
        # JSON "contains" is not portable to SQLite; specialties are short lists of codes.
        qs = qs.filter(specialties__icontains=f'"{specialty}"')
    return qs.prefetch_related("organisations", "regions").order_by("name", "pk")


def can_manage_roster(user: User, organisation: Organisation) -> bool:
    """An organisation admin manages their own roster; court clerks manage their court's."""
    if user.role == Role.ORG_ADMIN and user.organisation_id == organisation.pk:
        return True
    if user.role == Role.CLERK and user.organisation is not None:
        court = user.organisation.court()
        return court is not None and organisation.pk in court_subtree_ids(court)
    return False
