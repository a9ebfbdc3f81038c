"""Enforcement indicators for leaders (issue 12): 执行到位率, 执行完毕率, 终本率, days to first measure,
share concluded through settlement, grace periods that ended in performance.

Cases are those registered in the dashboard's period, within the leader's scope (their courts'
cases, or the cases of disputes in their county / township). Rates over concluded cases count
终本 as a conclusion (it closes the case in court statistics, though it may be resumed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from suyuan.enforcement.choices import EnforcementStatus as E
from suyuan.enforcement.credit_choices import GraceStatus
from suyuan.enforcement.models import CreditGrace, EnforcementCase
from suyuan.network.models import Region
from suyuan.rules.calendar import add_months

from .selectors import Filters, Scope

CONCLUDED = [E.COMPLETED, E.ROUND_ENDED, E.TERMINATED, E.NOT_ENFORCED, E.CONCLUDED]


@dataclass(frozen=True)
class EnforcementFigures:
    cases: int
    concluded: int
    applied: Decimal
    recovered: Decimal
    recovery_rate: Decimal | None  # 执行到位率 = recovered / applied
    completed_rate: Decimal | None  # 执行完毕率 = 执行完毕 / concluded
    round_ended_rate: Decimal | None  # 终本率 = 终本 / concluded
    settlement_share: Decimal | None  # concluded through 执行和解 / concluded
    days_to_first_measure: Decimal | None  # mean, over cases with a measure
    grace_performed_share: Decimal | None  # of the grace periods that ended, share ended in performance


def _rate(n: Decimal | int, d: Decimal | int) -> Decimal | None:
    return (Decimal(n) / Decimal(d)).quantize(Decimal("0.001")) if d else None


def cases_in(scope: Scope, filters: Filters) -> QuerySet[EnforcementCase]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(filters.start, time.min, tzinfo=tz)
    end = datetime.combine(add_months(filters.end, 1), time.min, tzinfo=tz)
    cases = EnforcementCase.objects.filter(applied_at__gte=start, applied_at__lt=end)
    if filters.category:
        cases = cases.filter(dispute__category=filters.category)
    if filters.channel:
        cases = cases.filter(dispute__channel=filters.channel)
    if scope.court_ids is not None:
        cases = cases.filter(court_id__in=scope.court_ids)
    elif not (scope.county or scope.township or scope.everything):
        return cases.none()
    # The chosen county narrows any scope (it was checked against the scope when parsed); a county
    # or township leader without one is held to their own area.
    code = filters.county or scope.county or scope.township
    if code:
        region = Region.objects.filter(code=code).first()
        return cases.filter(dispute__region__path__startswith=region.path) if region else cases.none()
    return cases


def grace_periods_performed(cases: QuerySet[EnforcementCase]) -> Decimal | None:
    """Share of ended grace periods (宽限期) that ended in performance (running ones are not counted)."""
    graces = CreditGrace.objects.filter(case__in=cases)
    ended = graces.filter(status__in=[GraceStatus.PERFORMED, GraceStatus.LAPSED]).count()
    return _rate(graces.filter(status=GraceStatus.PERFORMED).count(), ended)


def figures(cases: QuerySet[EnforcementCase]) -> EnforcementFigures:
    agg = cases.aggregate(
        n=Count("id"), concluded=Count("id", filter=Q(status__in=CONCLUDED)),
        completed=Count("id", filter=Q(status=E.COMPLETED)), round_ended=Count("id", filter=Q(status=E.ROUND_ENDED)),
        settled=Count("id", filter=Q(status=E.COMPLETED, through_settlement=True)),
        applied=Sum("amount"), recovered=Sum("recovered"),
    )
    waits = [m - a for a, m in cases.filter(first_measure_at__isnull=False).values_list("applied_at",
                                                                                       "first_measure_at")
             if m is not None]
    days = (Decimal(sum(waits, timedelta()).total_seconds()) / Decimal(86400 * len(waits))).quantize(Decimal("0.1")) \
        if waits else None
    applied, recovered = agg["applied"] or Decimal(0), agg["recovered"] or Decimal(0)
    return EnforcementFigures(
        cases=agg["n"], concluded=agg["concluded"], applied=applied, recovered=recovered,
        recovery_rate=_rate(recovered, applied), completed_rate=_rate(agg["completed"], agg["concluded"]),
        round_ended_rate=_rate(agg["round_ended"], agg["concluded"]),
        settlement_share=_rate(agg["settled"], agg["concluded"]), days_to_first_measure=days,
        grace_performed_share=grace_periods_performed(cases),
    )
