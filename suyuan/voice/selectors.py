"""Reads of the voice app, always through the actor's scope.

* A party sees their own surveys and the complaints they made.
* An organisation admin sees the complaints about their organisation and its mediators; a mediator
  the complaints about themself (the complainant masked); staff who recorded one, that one.
* A deputy sees only the invitations addressed to them, and through each only what it shows.
* Inviters (mediator, organisation admin, judge) see the invitations on the disputes they see.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
from suyuan.disputes.selectors import visible_disputes

from .choices import SurveyStatus
from .models import Complaint, Invitation, Survey

INVITER_ROLES = frozenset({Role.MEDIATOR, Role.ORG_ADMIN, Role.JUDGE})
# Staff who may record a complaint a party makes by phone or at the window.
RECORDING_ROLES = frozenset({Role.ORG_ADMIN, Role.CENTRE_STAFF, Role.CLERK})


def party_surveys(user: User) -> QuerySet[Survey]:
    if not user.is_active or user.role != Role.PARTY or user.party_id is None:
        return Survey.objects.none()
    return Survey.objects.filter(party_id=user.party_id).select_related("dispute", "mediator", "organisation")


def open_surveys(user: User, dispute_id: int) -> QuerySet[Survey]:
    return party_surveys(user).filter(dispute_id=dispute_id, status=SurveyStatus.SENT)


def complaint_scope(user: User) -> Q | None:
    if not user.is_active:
        return None
    if user.role == Role.PARTY:
        return Q(complainant_id=user.party_id) if user.party_id else None
    if user.role == Role.MEDIATOR:
        return Q(mediator__user=user)
    if user.role == Role.ORG_ADMIN and user.organisation_id:
        return Q(organisation_id=user.organisation_id)
    if user.role in RECORDING_ROLES:
        return Q(recorded_by=user)
    return None


def visible_complaints(user: User) -> QuerySet[Complaint]:
    condition = complaint_scope(user)
    if condition is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(condition).select_related(
        "dispute", "mediator", "organisation", "complainant", "handler"
    )


def can_see_complaint(user: User, complaint: Complaint) -> bool:
    return visible_complaints(user).filter(pk=complaint.pk).exists()


def get_complaint(user: User, pk: int) -> Complaint:
    complaint = visible_complaints(user).filter(pk=pk).first()
    if complaint is None:
        raise NotFound()
    return complaint


def sees_complainant(user: User, complaint: Complaint) -> bool:
    """The handler needs to reach the complainant; the mediator complained about does not."""
    return user.role in {Role.ORG_ADMIN, Role.CENTRE_STAFF, Role.CLERK} or (
        user.role == Role.PARTY and user.party_id == complaint.complainant_id
    )


def visible_invitations(user: User) -> QuerySet[Invitation]:
    if not user.is_active:
        return Invitation.objects.none()
    qs = Invitation.objects.select_related("dispute", "deputy", "deputy__deputy_profile", "invited_by")
    if user.role == Role.DEPUTY:
        return qs.filter(deputy=user)
    if user.role in INVITER_ROLES:
        return qs.filter(Q(invited_by=user) | Q(dispute__in=visible_disputes(user).values("pk")))
    return qs.none()


def get_invitation(user: User, pk: int) -> Invitation:
    invitation = visible_invitations(user).filter(pk=pk).first()
    if invitation is None:
        raise NotFound()
    return invitation


def can_see_invitation(user: User, invitation: Invitation) -> bool:
    return visible_invitations(user).filter(pk=invitation.pk).exists()


def deputies() -> QuerySet[User]:
    return User.objects.filter(role=Role.DEPUTY, is_active=True).select_related("deputy_profile").order_by(
        "full_name", "pk"
    )
