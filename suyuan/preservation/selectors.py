"""Reads of the preservation app, always through the actor's scope.

Court staff see their court's preservations; a party those they apply for or are subject to; a
mediator (or organisation admin) those of the disputes referred to them, read-only (保调对接).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.models import Clock
from suyuan.disputes.selectors import visible_disputes

from .models import Preservation

COURT_STAFF = {Role.CLERK, Role.JUDGE, Role.ENFORCEMENT}


def visible_preservations(user: User) -> QuerySet[Preservation]:
    if not user.is_active:
        return Preservation.objects.none()
    if user.role in COURT_STAFF:
        court = user.organisation.court() if user.organisation else None
        return Preservation.objects.filter(court=court) if court else Preservation.objects.none()
    if user.role == Role.PARTY:
        if not user.party_id:
            return Preservation.objects.none()
        return Preservation.objects.filter(Q(applicant_id=user.party_id) | Q(respondent_id=user.party_id))
    if user.role in {Role.MEDIATOR, Role.ORG_ADMIN}:
        return Preservation.objects.filter(dispute__in=visible_disputes(user))
    return Preservation.objects.none()


def clocks_of(preservation: Preservation) -> QuerySet[Clock]:
    return Clock.objects.filter(dispute_id=preservation.dispute_id, object_ref=preservation.ref).order_by("pk")
