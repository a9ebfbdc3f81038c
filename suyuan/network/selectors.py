"""Reads of the network: regions, courts, the shared roster."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User

from .choices import OrganisationKind, RegionLevel
from .models import GridWorker, Mediator, Organisation, Region


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
            # The court above and its own tribunals; not its other children (sibling courts).
            ids |= {court.parent_id} | set(
                Organisation.objects.filter(parent_id=court.parent_id, kind=OrganisationKind.TRIBUNAL).values_list(
                    "pk", flat=True
                )
            )
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


def region_label(region: Region) -> str:
    names = []
    node: Region | None = region
    while node is not None and node.level > RegionLevel.CITY:
        names.append(node.name)
        node = node.parent
    return " ".join(reversed(names))


def region_label_by_path(region: Region) -> str:
    """``region_label`` without the parents loaded: the names of the region and its ancestors below
    the city in one query, by the codes of its ``path`` (the dispute page: issue 16, P5; the five-table
    join up the tree cost more to plan and to compile than the label is worth)."""
    codes = [code for code in region.path.split("/") if code]
    names = (Region.objects.filter(code__in=codes, level__gt=RegionLevel.CITY).order_by("level")
             .values_list("name", flat=True))
    return " ".join(names)


def recordable_regions(user: User) -> list[tuple[str, str]]:
    """Where a user may say a dispute arose: a grid worker their grids, a centre its area, others the city."""
    if user.role == Role.GRID_WORKER:
        worker = getattr(user, "grid_worker", None)
        regions = list(worker.grids.select_related("parent__parent__parent")) if worker else []
    else:
        qs = Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent")
        if user.role == Role.CENTRE_STAFF and user.organisation is not None:
            qs = qs.filter(path__startswith=user.organisation.region.path)
        regions = list(qs.order_by("code"))
    return [(r.code, region_label(r)) for r in regions]


def manageable_organisations(user: User) -> list[Organisation]:
    """The organisations whose roster the user may write (see ``can_manage_roster``)."""
    if not user.is_active or user.organisation is None:
        return []
    if user.role == Role.ORG_ADMIN:
        return [user.organisation]
    if user.role == Role.CLERK:
        court = user.organisation.court()
        if court is not None:
            return list(Organisation.objects.filter(pk__in=court_subtree_ids(court)).order_by("pk"))
    return []


def grid_scope_path(user: User) -> str | None:
    """The region path under which a user may see grid workers; ``None`` means none.

    Centre staff and leaders see their organisation's region; court staff (clerks, leaders of a
    court) see the region of their court, i.e. the county of a basic court or the whole city.
    """
    org = user.organisation
    if not user.is_active or org is None:
        return None
    if user.role in {Role.CENTRE_STAFF, Role.LEADER}:
        court = org.court()
        return court.region.path if court is not None else org.region.path
    if user.role == Role.CLERK:
        court = org.court()
        return court.region.path if court is not None else None
    return None


def grid_workers_for(user: User, *, q: str = "", township: str = "") -> QuerySet[GridWorker]:
    path = grid_scope_path(user)
    if path is None:
        return GridWorker.objects.none()
    ids = GridWorker.objects.filter(grids__path__startswith=path).values("pk")
    qs = GridWorker.objects.filter(pk__in=ids)
    if q:
        qs = qs.filter(Q(user__full_name__icontains=q.strip()) | Q(grids__name__icontains=q.strip())).distinct()
    if township:
        township_region = Region.objects.filter(code=township, level=RegionLevel.TOWNSHIP).first()
        if township_region is None:
            return GridWorker.objects.none()
        qs = qs.filter(grids__path__startswith=township_region.path).distinct()
    return qs.select_related("user").prefetch_related("grids__parent__parent").order_by("user__full_name", "pk")
