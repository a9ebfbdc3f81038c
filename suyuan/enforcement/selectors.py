"""Reads of the enforcement app, through the actor's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.selectors import visible_disputes
from suyuan.preservation.choices import MeasureStatus as PreservationMeasureStatus
from suyuan.preservation.models import PreservationMeasure

from .choices import PerformanceSource
from .models import DerivativeCase, EnforcementCase, EnforcementGroup, Instalment, PerformancePlan


def original_plans() -> QuerySet[PerformancePlan]:
    """The plans from the disputes' legal documents, without the settlements reached in enforcement."""
    return PerformancePlan.objects.exclude(source=PerformanceSource.ENFORCEMENT_SETTLEMENT)


def original_plan(dispute_id: int) -> PerformancePlan | None:
    return original_plans().filter(dispute_id=dispute_id).select_related("obligor", "obligee").first()


def visible_plans(user: User) -> QuerySet[PerformancePlan]:
    return PerformancePlan.objects.filter(dispute__in=visible_disputes(user))


def visible_instalments(user: User) -> QuerySet[Instalment]:
    return Instalment.objects.filter(plan__in=visible_plans(user))


def visible_cases(user: User) -> QuerySet[EnforcementCase]:
    """Enforcement officers: their court's enforcement cases; others: cases of disputes they see."""
    if user.role == Role.ENFORCEMENT:
        court = user.organisation.court() if user.organisation else None
        if court is None:
            return EnforcementCase.objects.none()
        return EnforcementCase.objects.filter(court=court)
    if user.role == Role.PARTY:
        return EnforcementCase.objects.filter(dispute__in=visible_disputes(user)).filter(
            Q(applicant_id=user.party_id) | Q(respondent_id=user.party_id))
    return EnforcementCase.objects.filter(dispute__in=visible_disputes(user))


def visible_groups(user: User) -> QuerySet[EnforcementGroup]:
    return EnforcementGroup.objects.filter(cases__in=visible_cases(user)).distinct()


def visible_derivatives(user: User) -> QuerySet[DerivativeCase]:
    """Officers and judges of the examining court, plus everyone who sees the main case."""
    if user.role in (Role.ENFORCEMENT, Role.JUDGE):
        court = user.organisation.court() if user.organisation else None
        if court is not None:
            return DerivativeCase.objects.filter(Q(court=court) | Q(main_case__in=visible_cases(user)))
    return DerivativeCase.objects.filter(main_case__in=visible_cases(user))


def derivatives_of(case: EnforcementCase) -> QuerySet[DerivativeCase]:
    return DerivativeCase.objects.filter(main_case=case).select_related("court", "applicant", "reviews")


def carried_measures(case: EnforcementCase) -> QuerySet[PreservationMeasure]:
    """Measures the clerk recorded by hand in a preservation of the case's dispute and carried into
    enforcement (保全转执行): their periods run on under this case and must be renewed in time.
    Registry measures carried over are the case's own ``assets.Measure`` rows (the assets panel)."""
    return (PreservationMeasure.objects.filter(preservation__dispute_id=case.dispute_id,
                                               preservation__court_id=case.court_id,
                                               status=PreservationMeasureStatus.TRANSFERRED)
            .select_related("preservation").order_by("ends_on", "pk"))
