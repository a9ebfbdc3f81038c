"""Reads of the enforcement app, through the actor's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.selectors import visible_disputes

from .models import EnforcementCase, Instalment, PerformancePlan


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
    return EnforcementCase.objects.filter(dispute__in=visible_disputes(user))
