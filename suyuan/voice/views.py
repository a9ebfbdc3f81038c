"""Voice pages: a survey (SMS link or portal), complaints, deputies' invitations, leaders' figures.

Thin: parse, call one service or selector, render. A refused step comes back as a message on the
page it was taken from (never a 500, never a half-written record).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.http import request_user
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
from suyuan.common.masking import mask_name
from suyuan.common.views import int_or_none, run_step
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.stage_rows import has_rows
from suyuan.mediation.models import Session
from suyuan.mediation.stage_rows import REFERRAL_ROWS

from . import complaints, deputies, figures, selectors, surveys
from .choices import ComplaintCategory, ComplaintOutcome, ComplaintStatus, InvitationKind
from .lifecycle import COMPLAINT, INVITATION
from .models import Survey
from .questions import SCALE
from .stage_rows import SURVEY_ROWS

_user = request_user


_int = int_or_none


_origin = Origin.from_request


# --- surveys --------------------------------------------------------------------------------

def _survey_page(request: HttpRequest, survey: Survey, *, actor: User | None) -> HttpResponse:
    if request.method == "POST":
        def step() -> None:
            answers = surveys.parse_answers(survey, request.POST)
            surveys.answer_survey(survey_id=survey.pk, actor=actor, origin=_origin(request), answers=answers,
                                  comment=request.POST.get("comment", ""), token_checked=actor is None)

        if run_step(request, step, "感谢您的评价！您的意见将用于改进服务。"):
            return redirect(request.path)
        survey.refresh_from_db()
    expired = survey.status != "answered" and survey.expires_on < timezone.localdate()
    return render(request, "voice/survey.html", {
        "survey": survey, "scale": sorted(SCALE.items()), "expired": expired, "posted": request.POST,
    })


def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    """The SMS link: no sign-in, the signed token names the survey (one answer only)."""
    return _survey_page(request, surveys.survey_from_token(token), actor=None)


@login_required
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.party_surveys(_user(request)).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return _survey_page(request, found, actor=_user(request))


# --- index ----------------------------------------------------------------------------------

@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role == Role.DEPUTY:
        return redirect("voice:deputy_home")
    if user.role == Role.LEADER:
        return redirect("voice:figures")
    complaint_list = selectors.visible_complaints(user)
    status = request.GET.get("status", "")
    if status in ComplaintStatus.values:
        complaint_list = complaint_list.filter(status=status)
    return render(request, "voice/index.html", {
        "surveys": selectors.party_surveys(user)[:50],
        "complaints": complaint_list[:200],
        "invitations": selectors.visible_invitations(user)[:100] if user.role in selectors.INVITER_ROLES else [],
        "statuses": ComplaintStatus.choices, "status": status, "today": timezone.localdate(),
        "show_complainant": user.role != Role.MEDIATOR,
    })


# --- complaints -----------------------------------------------------------------------------

def _dispute_for(user: User, number: str) -> Dispute:
    dispute = visible_disputes(user).filter(number=number).first()
    if dispute is None:
        raise NotFound()
    return dispute


@login_required
def complaint_new(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    if user.role != Role.PARTY and user.role not in selectors.RECORDING_ROLES:
        raise NotFound()
    dispute = _dispute_for(user, number)
    options = complaints.complainable(dispute)
    if request.method == "POST":
        created: list[Any] = []

        target = _int(request.POST.get("target"))

        def step() -> None:
            created.append(complaints.file_complaint(
                actor=user, origin=_origin(request), dispute_id=dispute.pk, target=-1 if target is None else target,
                category=request.POST.get("category", ""), description=request.POST.get("description", ""),
                complainant_id=_int(request.POST.get("complainant")),
            ))

        if run_step(request, step, "投诉已提交，调解组织将在办理期限内答复您。"):
            return redirect("voice:complaint", created[0].pk)
    parties = [(r.party, r.get_role_display()) for r in dispute.dispute_parties.select_related("party")]
    return render(request, "voice/complaint_new.html", {
        "dispute": dispute, "options": [label for _, _, label in options], "categories": ComplaintCategory.choices,
        "parties": parties if user.role != Role.PARTY else [], "posted": request.POST,
    })


@login_required
def complaint(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.get_complaint(user, pk)
    available = {t.action for t in COMPLAINT.available(found, user, {"reason": "-", "outcome": "upheld",
                                                                      "answer": "-", "handler": user})}
    handlers = list(User.objects.filter(role=Role.ORG_ADMIN, organisation_id=found.organisation_id, is_active=True))
    return render(request, "voice/complaint.html", {
        "complaint": found, "available": available, "handlers": handlers, "outcomes": ComplaintOutcome.choices,
        "show_complainant": selectors.sees_complainant(user, found),
        "complainant_label": found.complainant.name if selectors.sees_complainant(user, found)
        else mask_name(found.complainant.name),
    })


@require_POST
@login_required
def complaint_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    found = selectors.get_complaint(user, pk)
    origin, post = _origin(request), request.POST
    version = _int(post.get("version"))
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "assign": (lambda: complaints.assign_complaint(actor=user, origin=origin, complaint_id=found.pk,
                                                       handler_id=_int(post.get("handler")) or 0,
                                                       expected_version=version), "已指定承办人。"),
        "answer": (lambda: complaints.answer_complaint(actor=user, origin=origin, complaint_id=found.pk,
                                                       outcome=post.get("outcome", ""), answer=post.get("answer", ""),
                                                       expected_version=version), "已答复投诉人。"),
        "reopen": (lambda: complaints.reopen_complaint(actor=user, origin=origin, complaint_id=found.pk,
                                                       reason=post.get("reason", "")), "已要求重新办理。"),
        "close": (lambda: complaints.close_complaint(actor=user, origin=origin, complaint_id=found.pk), "投诉已办结。"),
        "withdraw": (lambda: complaints.withdraw_complaint(actor=user, origin=origin, complaint_id=found.pk,
                                                           reason=post.get("reason", "")), "投诉已撤回。"),
    }
    if action not in steps:
        raise NotFound()
    step, done = steps[action]
    run_step(request, step, done)
    return redirect("voice:complaint", found.pk)


# --- deputies -------------------------------------------------------------------------------

@login_required
def deputy_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role != Role.DEPUTY:
        raise NotFound()
    return render(request, "voice/deputy_home.html", {
        "invitations": selectors.visible_invitations(user), "profile": getattr(user, "deputy_profile", None),
    })


def _masked_parties(dispute: Dispute) -> list[tuple[str, str]]:
    return [(r.get_role_display(), mask_name(r.party.name)) for r in dispute.dispute_parties.select_related("party")]


@login_required
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.get_invitation(user, pk)
    available = {t.action for t in INVITATION.available(found, user, {"reason": "-"})}
    return render(request, "voice/invitation.html", {
        "invitation": found, "available": available, "is_deputy": user.role == Role.DEPUTY,
        "parties": _masked_parties(found.dispute), "feedback": found.feedback.select_related("answered_by"),
        "can_feedback": user.role == Role.DEPUTY and found.status in deputies.FEEDBACK_STATES,
        "can_answer": user.role in selectors.INVITER_ROLES,
    })


@require_POST
@login_required
def invitation_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    found = selectors.get_invitation(user, pk)
    origin, post = _origin(request), request.POST
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "accept": (lambda: deputies.respond_to_invitation(actor=user, origin=origin, invitation_id=found.pk,
                                                          accept=True), "已接受邀请。"),
        "decline": (lambda: deputies.respond_to_invitation(actor=user, origin=origin, invitation_id=found.pk,
                                                           accept=False), "已婉拒邀请。"),
        "attend": (lambda: deputies.record_attendance(actor=user, origin=origin, invitation_id=found.pk),
                   "已确认参加。"),
        "cancel": (lambda: deputies.cancel_invitation(actor=user, origin=origin, invitation_id=found.pk,
                                                      reason=post.get("reason", "")), "邀请已取消。"),
        "feedback": (lambda: deputies.leave_feedback(actor=user, origin=origin, invitation_id=found.pk,
                                                     text=post.get("text", "")), "意见已提交，邀请方将答复您。"),
        "answer": (lambda: deputies.answer_feedback(actor=user, origin=origin,
                                                    feedback_id=_int(post.get("feedback")) or 0,
                                                    answer=post.get("answer", "")), "已答复代表委员。"),
    }
    if action not in steps:
        raise NotFound()
    step, done = steps[action]
    run_step(request, step, done)
    return redirect("voice:invitation", found.pk)


def _when(value: str) -> datetime | None:
    parsed = parse_datetime(value.strip().replace(" ", "T")) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@login_required
def invite_new(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    if user.role not in selectors.INVITER_ROLES:
        raise NotFound()
    dispute = _dispute_for(user, number)
    sessions = list(Session.objects.filter(referral__dispute=dispute).order_by("scheduled_at"))
    if request.method == "POST":
        created: list[Any] = []

        def step() -> None:
            created.append(deputies.invite_deputy(
                actor=user, origin=_origin(request), dispute_id=dispute.pk,
                deputy_id=_int(request.POST.get("deputy")) or 0, kind=request.POST.get("kind", ""),
                scheduled_at=_when(request.POST.get("scheduled_at", "")), location=request.POST.get("location", ""),
                note=request.POST.get("note", ""), session_id=_int(request.POST.get("session")),
            ))

        if run_step(request, step, "邀请已发出。"):
            return redirect("voice:invitation", created[0].pk)
    return render(request, "voice/invite_new.html", {
        "dispute": dispute, "deputies": selectors.deputies(), "kinds": InvitationKind.choices, "sessions": sessions,
        "posted": request.POST,
    })


# --- figures --------------------------------------------------------------------------------

@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not figures.leader_may_see(user):
        raise NotFound()
    return render(request, "voice/figures.html", {"tables": figures.voice_tables(user)})


# --- the dispute page's panel -----------------------------------------------------------------

def panel_context(request: HttpRequest, dispute: Dispute) -> dict[str, Any] | None:
    """What ``voice/_dispute_panel.html`` shows on the dispute page (the caller checked scope)."""
    user = _user(request)
    # A complaint is about a referral's mediator or organisation: none without a referral row.
    can_complain = (user.role == Role.PARTY or user.role in selectors.RECORDING_ROLES) and has_rows(
        dispute, REFERRAL_ROWS) and bool(complaints.complainable(dispute))
    can_invite = user.role in selectors.INVITER_ROLES and selectors.deputies().exists()
    open_surveys = (list(selectors.open_surveys(user, dispute.pk).filter(expires_on__gte=timezone.localdate()))
                    if has_rows(dispute, SURVEY_ROWS) else [])
    if not (can_complain or can_invite or open_surveys):
        return None
    return {"can_complain": can_complain, "can_invite": can_invite, "open_surveys": open_surveys}
