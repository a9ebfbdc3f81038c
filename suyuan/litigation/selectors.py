"""Reads of cases and confirmation applications, always through the actor's scope.

A case is visible to whoever sees its dispute (``disputes.selectors.visible_disputes``: a court
its own, a party their own, a grid worker their grids …) and to the mediator a court referred it to.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import visible_disputes

from .choices import CaseStatus, ConfirmationStatus
from .models import Appeal, Case, ConfirmationApplication, CourtMediation, JurisdictionObjection
from .objection_choices import ObjectionStatus

UPPER_COURT_ROLES = {Role.CLERK, Role.JUDGE}


def visible_cases(user: User) -> QuerySet[Case]:
    condition = Q(dispute__in=visible_disputes(user).values("pk"))
    if user.role == Role.MEDIATOR:
        condition |= Q(pk__in=CourtMediation.objects.filter(mediator__user=user).values("case_id"))
    court = user.organisation.court() if user.is_active and user.organisation is not None else None
    if user.role in UPPER_COURT_ROLES and court is not None:
        # 上下级法院立案信息流转: the court an appeal went up to sees its own second-instance case
        # and the first-instance case with its file, without re-entry; other courts see neither.
        condition |= Q(court=court) | Q(pk__in=Appeal.objects.filter(upper_court=court).values("case_id"))
        # 移送管辖: the receiving court sees the transferring court's case with its file.
        condition |= Q(pk__in=JurisdictionObjection.objects.filter(
            transfer_to=court, status=ObjectionStatus.TRANSFERRED).values("case_id"))
    return Case.objects.filter(condition)


def get_case(user: User, pk: int) -> Case:
    case = visible_cases(user).select_related("dispute", "court", "filed_by", "registered_by").filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


def registration_queue(user: User) -> QuerySet[Case]:
    """Suits awaiting the registration decision in the clerk's court, oldest first."""
    if user.role not in {Role.CLERK, Role.JUDGE, Role.LEADER}:
        return Case.objects.none()
    return (
        visible_cases(user)
        .filter(status__in=[CaseStatus.FILED, CaseStatus.AWAITING_MATERIALS])
        .select_related("dispute", "court")
        .order_by("filed_at", "pk")
    )


def case_list(user: User, *, status: str = "") -> QuerySet[Case]:
    qs = visible_cases(user).select_related("dispute", "court")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-filed_at", "-pk")


def cases_of_dispute(user: User, dispute: Dispute) -> QuerySet[Case]:
    return visible_cases(user).filter(dispute=dispute).order_by("-filed_at", "-pk")


def pending_court_mediation(case: Case) -> CourtMediation | None:
    return case.court_mediations.select_related("mediator").order_by("-assigned_at", "-pk").first()


def visible_confirmations(user: User) -> QuerySet[ConfirmationApplication]:
    return ConfirmationApplication.objects.filter(dispute__in=visible_disputes(user).values("pk"))


def get_confirmation(user: User, pk: int) -> ConfirmationApplication:
    app = visible_confirmations(user).select_related("dispute", "court").filter(pk=pk).first()
    if app is None:
        raise NotFound()
    return app


def confirmation_queue(user: User) -> QuerySet[ConfirmationApplication]:
    if user.role not in {Role.CLERK, Role.JUDGE, Role.LEADER}:
        return ConfirmationApplication.objects.none()
    return (
        visible_confirmations(user)
        .filter(status__in=[ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED])
        .select_related("dispute")
        .order_by("applied_at", "pk")
    )
