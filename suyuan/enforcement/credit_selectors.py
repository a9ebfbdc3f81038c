"""Reads of the credit measures, through the actor's scope (enforcement cases they may see)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from suyuan.accounts.models import User

from .credit_choices import GraceStatus
from .models import CreditGrace, CreditMeasure, CreditReview, EnforcementCase
from .selectors import visible_cases


def graces_of(user: User, case: EnforcementCase) -> QuerySet[CreditGrace]:
    return CreditGrace.objects.filter(case=case, case__in=visible_cases(user)).order_by("-opened_at", "-pk")


def measures_of(user: User, case: EnforcementCase) -> QuerySet[CreditMeasure]:
    return CreditMeasure.objects.filter(case=case, case__in=visible_cases(user)).order_by("-decided_at", "-pk")


def reviews_of(user: User, case: EnforcementCase) -> QuerySet[CreditReview]:
    return CreditReview.objects.filter(measure__case=case, measure__case__in=visible_cases(user))


def grace_figures(user: User, *, since: date | None = None, until: date | None = None) -> dict[str, int]:
    """Grace periods started (by start date in [since, until)) and how they ended, for the governance figures."""
    qs = CreditGrace.objects.filter(case__in=visible_cases(user))
    if since is not None:
        qs = qs.filter(starts_on__gte=since)
    if until is not None:
        qs = qs.filter(starts_on__lt=until)
    return {
        "started": qs.count(),
        "ended_in_performance": qs.filter(status=GraceStatus.PERFORMED).count(),
        "lapsed": qs.filter(status=GraceStatus.LAPSED).count(),
        "running": qs.filter(status=GraceStatus.RUNNING).count(),
    }
