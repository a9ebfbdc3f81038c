"""Reads for the governance dashboard and the joint-conference report, through the leader's scope.

Event-based figures come from the fact tables (``EventCount``, ``StageSpell``) with aggregate
queries; the mediator and organisation figures from the mediation and enforcement models. The
definitions are in ``indicators.py``; ``naive.py`` computes the same figures from the raw events.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.common.replica import source_note
from suyuan.disputes.choices import Channel, DisputeStatus
from suyuan.disputes.selectors import visible_disputes
from suyuan.enforcement.choices import PlanStatus
from suyuan.mediation.choices import ReferralStatus
from suyuan.mediation.models import Referral
from suyuan.network.choices import OrganisationKind, RegionLevel
from suyuan.network.models import Organisation, Region
from suyuan.network.selectors import court_subtree_ids

from .models import EventCount, StageDays

MAX_MONTHS = 120
RECORDED, REGISTERED, FOLLOW_UP = "recorded", "case.register", "follow_up"
REFERRAL_SETTLED, REFERRAL_FAILED = "referral.settle", "referral.fail"
CASE_SETTLED, CASE_RETURNED = "case.settle", "case.return_to_trial"
CONFIRMED, CONFIRMATION_DECIDED = "confirmation.confirm", ("confirmation.confirm", "confirmation.reject",
                                                           "confirmation.refuse")
PERFORMED, ENFORCEMENT_APPLIED = "performance.mark_performed", "performance.apply_enforcement"
IN_COURT_MEDIATION = "in_court_mediation"
STAGES = [s for s in DisputeStatus.values if s not in {"closed", "withdrawn", "performed"}]


# --- values ------------------------------------------------------------------------------------

def _round(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ratio:
    """numerator ÷ denominator as a percentage with one decimal; no denominator, no rate."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return _round(Decimal(100 * self.numerator) / Decimal(self.denominator), "0.1")

    @property
    def display(self) -> str:
        return "—" if self.percent is None else f"{self.percent}%"


def per_10k(count: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return _round(Decimal(count * 10000) / Decimal(population), "0.01")


def days(seconds: Decimal | int | None) -> Decimal | None:
    return None if seconds is None else _round(Decimal(seconds) / Decimal(86400), "0.1")


# --- filters and scope ---------------------------------------------------------------------------

def _month(text: str, name: str, errors: dict[str, list[str]]) -> date | None:
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        errors[name] = ["请按“年-月”填写月份，如 2026-03。"]
        return None


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Filters:
    start: date  # first day of the first month
    end: date  # first day of the last month (inclusive)
    county: str = ""
    category: str = ""
    channel: str = ""

    @property
    def months(self) -> list[date]:
        out, m = [], self.start
        while m <= self.end:
            out.append(m)
            m = add_months(m, 1)
        return out

    @property
    def period_label(self) -> str:
        first = f"{self.start.year}年{self.start.month}月"
        last = f"{self.end.year}年{self.end.month}月"
        return first if first == last else f"{first}至{last}"

    def window(self) -> tuple[datetime, datetime]:
        """The period as instants: local midnight of the first day to that of the month after."""
        tz = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(add_months(self.end, 1), time.min, tzinfo=tz))

    def query(self) -> dict[str, str]:
        return {"start": f"{self.start:%Y-%m}", "end": f"{self.end:%Y-%m}", "county": self.county,
                "category": self.category, "channel": self.channel}


def parse_filters(params: Mapping[str, Any], *, today: date, counties: Iterable[str] | None = None) -> Filters:
    """The dashboard's query string; the default period is this year to the current month."""
    errors: dict[str, list[str]] = {}
    start = _month(params.get("start") or f"{today.year}-01", "start", errors)
    end = _month(params.get("end") or f"{today:%Y-%m}", "end", errors)
    county = (params.get("county") or "").strip()
    category = (params.get("category") or "").strip()
    channel = (params.get("channel") or "").strip()
    if start and end and start > end:
        errors["end"] = ["结束月份不能早于开始月份。"]
    if start and end and len(range(start.year * 12 + start.month, end.year * 12 + end.month)) >= MAX_MONTHS:
        errors["end"] = [f"统计期间最长{MAX_MONTHS // 12}年。"]
    if county and counties is not None and county not in set(counties):
        errors["county"] = ["所选县（区）不在您的统计范围内。"]
    if category and category not in DisputeCategory.values:
        errors["category"] = ["无此纠纷类别。"]
    if channel and channel not in Channel.values:
        errors["channel"] = ["无此来源渠道。"]
    if errors or start is None or end is None:
        raise InvalidInput("筛选条件有误，请检查后重试。", errors=errors)
    return Filters(start=start, end=end, county=county, category=category, channel=channel)


@dataclass(frozen=True)
class Scope:
    """What a leader may see: a court's area (its courts' disputes) or a centre's region."""

    title: str
    counties: list[Region]
    user: User
    court_ids: list[int] | None = None
    county: str = ""
    township: str = ""
    everything: bool = False

    def q(self, court: str = "court_id", county: str = "county", township: str = "township") -> Q:
        """The scope as a filter on fact columns (named as given: the naive path uses annotations)."""
        if self.court_ids is not None:
            return Q(**{f"{court}__in": self.court_ids})
        if self.county:
            return Q(**{county: self.county})
        if self.township:
            return Q(**{township: self.township})
        return Q() if self.everything else Q(pk__in=[])

    @property
    def facts(self) -> Q:
        return self.q()


def leader_scope(user: User) -> Scope:
    if user.role != Role.LEADER or not user.is_active:
        raise NotPermitted("治理数据仅向院领导和联席会议成员开放。")
    org = user.organisation
    if org is None:
        raise NotPermitted("您的账户未关联单位，无法确定统计范围。")
    counties = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
    court = org.court()
    if court is not None:
        ids = court_subtree_ids(court)
        county_ids = Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.BASIC_COURT).values("region_id")
        return Scope(f"{court.name}辖区", list(counties.filter(pk__in=county_ids)), user, court_ids=ids)
    region = org.region
    if region.level <= RegionLevel.CITY:
        return Scope(region.name, list(counties.filter(path__startswith=region.path)), user, everything=True)
    if region.level == RegionLevel.COUNTY:
        return Scope(region.name, [region], user, county=region.code)
    township = region.ancestor_at(RegionLevel.TOWNSHIP) or region
    # A township has no official population (NBS data): no county rows, rates shown as missing.
    return Scope(township.name, [], user, township=township.code)


def _filtered(qs: QuerySet[Any], scope: Scope, filters: Filters, *, months: bool = True,
              township: bool = True) -> QuerySet[Any]:
    if scope.township and not township:
        # Durations are kept per county, not per township: a township-level scope has none.
        return qs.none()
    qs = qs.filter(scope.facts)
    if months:
        qs = qs.filter(month__gte=filters.start, month__lte=filters.end)
    if filters.county:
        qs = qs.filter(county=filters.county)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs


def facts(scope: Scope, filters: Filters) -> QuerySet[EventCount]:
    return _filtered(EventCount.objects.all(), scope, filters)


# --- the figures -----------------------------------------------------------------------------------

@dataclass
class PlaceRow:
    code: str
    name: str
    county_name: str = ""
    population: int | None = None
    population_source: str = ""
    disputes: int = 0
    registrations: int = 0
    mediation: Ratio = field(default_factory=lambda: Ratio(0, 0))
    top_category: str = ""
    heat: int = 0

    @property
    def rate(self) -> Decimal | None:
        return per_10k(self.registrations, self.population)


@dataclass
class StageRow:
    stage: str
    label: str
    n: int
    avg_days: Decimal | None
    p90_days: int | None


@dataclass
class TrendRow:
    month: date
    disputes: int
    registrations: int
    disputes_last_year: int
    registrations_last_year: int

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def yoy(self) -> Decimal | None:
        if not self.disputes_last_year:
            return None
        return _round(Decimal(100 * (self.disputes - self.disputes_last_year)) / self.disputes_last_year, "0.1")


@dataclass
class PerformanceRow:
    name: str
    settled: int
    failed: int
    performed: int
    broken: int
    performing: int

    @property
    def success(self) -> Ratio:
        return Ratio(self.settled, self.settled + self.failed)

    @property
    def holding(self) -> Ratio:
        return Ratio(self.performed, self.performed + self.broken)


@dataclass
class GridRow:
    name: str
    recorded: int
    follow_ups: int


@dataclass
class Dashboard:
    scope: Scope
    filters: Filters
    totals: PlaceRow
    counties: list[PlaceRow]
    townships: list[PlaceRow]
    channels: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    mediation: Ratio
    court_mediation: Ratio
    confirmation: Ratio
    voluntary_performance: Ratio
    enforcement: int
    stages: list[StageRow]
    trend: list[TrendRow]
    mediators: list[PerformanceRow]
    organisations: list[PerformanceRow]
    grid_workers: list[GridRow]
    # The lag sentence when these figures were read on the replica (decision 0013), else "".
    source_note: str = ""

    @property
    def pre_suit(self) -> Ratio:
        """诉前化解占比: settled in non-litigation mediation ÷ (that + first-instance civil registrations)."""
        return Ratio(self.mediation.numerator, self.mediation.numerator + self.totals.registrations)

    @property
    def hotspots(self) -> list[PlaceRow]:
        return [t for t in self.townships if t.disputes][:10]


def _by(qs: QuerySet[EventCount], *keys: str) -> dict[tuple[Any, ...], int]:
    rows = qs.values(*keys).annotate(total=Sum("n")).order_by()
    return {tuple(r[k] for k in keys): int(r["total"]) for r in rows}


class Cells:
    """EventCount totals keyed (kind, source, county, township), indexed once for the lookups below."""

    def __init__(self, cells: dict[tuple[Any, ...], int]) -> None:
        self.raw = cells
        self.index: dict[tuple[str, str, str], int] = defaultdict(int)
        for (kind, source, county, township), n in cells.items():
            for key in ((kind, "", ""), (kind, "source", source), (kind, "county", county),
                        (kind, "township", township)):
                self.index[key] += n

    def sum(self, kinds: Iterable[str], **match: str) -> int:
        """Add up the cells of ``kinds``, optionally of one source, county or township."""
        (field_name, value), = match.items() if match else (("", ""),)
        return sum(self.index.get((kind, field_name, value), 0) for kind in kinds)


def _places(scope: Scope, filters: Filters, cells: Cells,
            top_category: dict[str, str]) -> tuple[list[PlaceRow], list[PlaceRow]]:
    names = dict(Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP])
                 .values_list("code", "name"))
    counties = [c for c in scope.counties if not filters.county or c.code == filters.county]
    county_rows = [
        PlaceRow(code=c.code, name=c.name, population=c.population, population_source=c.population_source,
                 disputes=cells.sum([RECORDED], county=c.code),
                 registrations=cells.sum([REGISTERED], county=c.code),
                 mediation=Ratio(cells.sum([REFERRAL_SETTLED], county=c.code),
                                 cells.sum([REFERRAL_SETTLED, REFERRAL_FAILED], county=c.code)))
        for c in counties
    ]
    township_codes = {township for (_k, _s, _c, township) in cells.raw if township}
    townships = {t.code: t for t in Region.objects.filter(code__in=township_codes)}
    township_rows = []
    for code in township_codes:
        region = townships.get(code)
        county_code = code[:6] + "000000"
        township_rows.append(PlaceRow(
            code=code, name=names.get(code, code), county_name=names.get(county_code, ""),
            population=region.population if region else None,
            population_source=region.population_source if region else "",
            disputes=cells.sum([RECORDED], township=code), registrations=cells.sum([REGISTERED], township=code),
            mediation=Ratio(cells.sum([REFERRAL_SETTLED], township=code),
                            cells.sum([REFERRAL_SETTLED, REFERRAL_FAILED], township=code)),
            top_category=top_category.get(code, ""),
        ))
    township_rows.sort(key=lambda r: (-r.disputes, -r.registrations, r.code))
    peak = max((r.disputes for r in township_rows), default=0)
    for row in township_rows:
        row.heat = 0 if not peak or not row.disputes else min(4, 1 + (4 * row.disputes - 1) // peak)
    return county_rows, township_rows


def nearest_rank_p90(histogram: dict[int, int]) -> int | None:
    """The ⌈0.9 n⌉-th smallest value of a histogram {value: count} (nearest-rank method)."""
    n = sum(histogram.values())
    if not n:
        return None
    rank, seen = math.ceil(0.9 * n), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")


def stage_table(found: dict[str, tuple[int, int, dict[int, int]]]) -> list[StageRow]:
    """Rows for every stage from {stage: (stays, total seconds, {whole days: stays})}."""
    labels = dict(DisputeStatus.choices)
    out = []
    for stage in STAGES:
        n, total, histogram = found.get(stage, (0, 0, {}))
        out.append(StageRow(stage, str(labels[stage]), n, days(Decimal(total) / n) if n else None,
                            nearest_rank_p90(histogram)))
    return out


def stage_rows(cells: QuerySet[StageDays]) -> list[StageRow]:
    found: dict[str, tuple[int, int, dict[int, int]]] = {}
    for r in cells.values("stage", "days").annotate(stays=Sum("n"), total=Sum("seconds")).order_by():
        n, total, histogram = found.get(r["stage"], (0, 0, {}))
        histogram[r["days"]] = int(r["stays"])
        found[r["stage"]] = (n + int(r["stays"]), total + int(r["total"]), histogram)
    return stage_table(found)


def _performance(referrals: QuerySet[Referral], key: str, name: str) -> list[PerformanceRow]:
    plan = "dispute__performance_plan__status"
    rows = (
        referrals.values(key, name)
        .annotate(
            settled=Count("id", filter=Q(status=ReferralStatus.SETTLED)),
            failed=Count("id", filter=Q(status=ReferralStatus.FAILED)),
            performed=Count("id", filter=Q(status=ReferralStatus.SETTLED, **{plan: PlanStatus.PERFORMED})),
            broken=Count("id", filter=Q(status=ReferralStatus.SETTLED,
                                        **{f"{plan}__in": [PlanStatus.DEFAULTED, PlanStatus.ENFORCEMENT_APPLIED]})),
            performing=Count("id", filter=Q(status=ReferralStatus.SETTLED, **{plan: PlanStatus.PERFORMING})),
        )
        .order_by()
    )
    out = [PerformanceRow(r[name] or "（未分派）", r["settled"], r["failed"], r["performed"], r["broken"],
                          r["performing"]) for r in rows]
    out.sort(key=lambda r: (-r.settled, -r.success.numerator, r.name))
    return out


def ended_referrals(scope: Scope, filters: Filters) -> QuerySet[Referral]:
    begin, stop = filters.window()
    qs = Referral.objects.filter(
        dispute__in=visible_disputes(scope.user), status__in=[ReferralStatus.SETTLED, ReferralStatus.FAILED],
        closed_at__gte=begin, closed_at__lt=stop,
    )
    if filters.county:
        prefix = Region.objects.filter(code=filters.county).values_list("path", flat=True).first() or "-"
        qs = qs.filter(dispute__region__path__startswith=prefix)
    if filters.category:
        qs = qs.filter(dispute__category=filters.category)
    if filters.channel:
        qs = qs.filter(dispute__channel=filters.channel)
    return qs


def _trend(scope: Scope, filters: Filters) -> list[TrendRow]:
    shifted = Filters(add_months(filters.start, -12), add_months(filters.end, -12), filters.county,
                      filters.category, filters.channel)
    now = _by(facts(scope, filters).filter(kind__in=[RECORDED, REGISTERED]), "month", "kind")
    before = _by(facts(scope, shifted).filter(kind__in=[RECORDED, REGISTERED]), "month", "kind")
    out = []
    for month in filters.months:
        last = add_months(month, -12)
        out.append(TrendRow(month, now.get((month, RECORDED), 0), now.get((month, REGISTERED), 0),
                            before.get((last, RECORDED), 0), before.get((last, REGISTERED), 0)))
    return out


def _grid_rows(qs: QuerySet[EventCount]) -> list[GridRow]:
    cells = _by(qs.filter(kind__in=[RECORDED, FOLLOW_UP]).exclude(grid_worker_id=0), "grid_worker_id", "kind")
    users = User.objects.in_bulk({uid for uid, _ in cells})
    rows = [GridRow(users[uid].display_name if uid in users else f"#{uid}", cells.get((uid, RECORDED), 0),
                    cells.get((uid, FOLLOW_UP), 0)) for uid in {uid for uid, _ in cells}]
    rows.sort(key=lambda r: (-(r.recorded + r.follow_ups), r.name))
    return rows


def dashboard(user: User, filters: Filters) -> Dashboard:
    scope = leader_scope(user)
    base = facts(scope, filters)
    cells = Cells(_by(base, "kind", "source", "county", "township"))
    categories_by_township = _by(base.filter(kind=RECORDED), "township", "category")
    labels = dict(DisputeCategory.choices)
    top: dict[str, tuple[int, str]] = {}
    for (township, category), n in categories_by_township.items():
        if n > top.get(township, (0, ""))[0] or (n == top.get(township, (0, ""))[0] and category < top[township][1]):
            top[township] = (n, category)
    top_category = {t: str(labels.get(c, c)) for t, (_n, c) in top.items()}
    county_rows, township_rows = _places(scope, filters, cells, top_category)
    population = sum(r.population or 0 for r in county_rows) if all(r.population for r in county_rows) else None
    totals = PlaceRow(code="", name=scope.title, population=population if county_rows else None,
                      disputes=cells.sum([RECORDED]), registrations=cells.sum([REGISTERED]),
                      mediation=Ratio(cells.sum([REFERRAL_SETTLED]),
                                      cells.sum([REFERRAL_SETTLED, REFERRAL_FAILED])))
    channel_labels = dict(Channel.choices)
    by_channel = _by(base.filter(kind=RECORDED), "channel")
    by_category = _by(base.filter(kind=RECORDED), "category")
    settled_in_court = cells.sum([CASE_SETTLED], source=IN_COURT_MEDIATION)
    referrals = ended_referrals(scope, filters)
    return Dashboard(
        scope=scope, filters=filters, totals=totals, counties=county_rows, townships=township_rows,
        channels=[(str(channel_labels[c]), by_channel.get((c,), 0)) for c in Channel.values],
        categories=sorted(((str(labels[c]), by_category.get((c,), 0)) for c in DisputeCategory.values),
                          key=lambda x: -x[1]),
        mediation=totals.mediation,
        court_mediation=Ratio(settled_in_court, settled_in_court + cells.sum([CASE_RETURNED])),
        confirmation=Ratio(cells.sum([CONFIRMED]), cells.sum(CONFIRMATION_DECIDED)),
        voluntary_performance=Ratio(cells.sum([PERFORMED]), cells.sum([PERFORMED, ENFORCEMENT_APPLIED])),
        enforcement=cells.sum([ENFORCEMENT_APPLIED]),
        stages=stage_rows(_filtered(StageDays.objects.all(), scope, filters, township=False)),
        trend=_trend(scope, filters),
        mediators=_performance(referrals, "mediator_id", "mediator__name"),
        organisations=_performance(referrals, "organisation_id", "organisation__name"),
        grid_workers=_grid_rows(base),
        source_note=source_note(),
    )


# --- judicial suggestions ----------------------------------------------------------------------------

def visible_suggestions(user: User) -> QuerySet[Any]:
    from .models import JudicialSuggestion

    court = user.organisation.court() if user.organisation is not None else None
    if not user.is_active or user.role not in {Role.LEADER, Role.JUDGE, Role.CLERK}:
        return JudicialSuggestion.objects.none()
    condition = Q(owner=user)
    if court is not None:
        condition |= Q(court_id__in=court_subtree_ids(court))
    return JudicialSuggestion.objects.filter(condition).select_related("owner", "court", "region")


def report_suggestions(user: User, filters: Filters) -> list[Any]:
    """Drafted before the period ended, and either still open or closed during or after it."""
    begin, stop = filters.window()
    return list(
        visible_suggestions(user).filter(created_at__lt=stop)
        .exclude(status="withdrawn")
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=begin))
        .order_by("deadline", "pk")
    )
