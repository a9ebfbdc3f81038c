"""两代表一委员: invitations of NPC deputies and CPPCC members, their feedback and its answer.

A mediator, an organisation admin or a judge invites a deputy to observe or take part in a
mediation session, or to a demonstration case (示范案件), on a dispute they can see. The deputy
sees only what they were invited to, with the parties' particulars masked (``views``).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.events import append_event
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import apply
from suyuan.mediation.models import Session

from . import notify
from .choices import InvitationKind, InvitationStatus
from .lifecycle import INVITATION
from .models import Feedback, Invitation
from .selectors import INVITER_ROLES, get_invitation

KEY = "voice.invitation"
FEEDBACK_STATES = (InvitationStatus.ACCEPTED, InvitationStatus.ATTENDED)


def invite_deputy(*, actor: User, origin: Origin, dispute_id: int, deputy_id: int, kind: str,
                  scheduled_at: datetime | None, location: str, note: str = "",
                  session_id: int | None = None) -> Invitation:
    if actor.role not in INVITER_ROLES:
        raise NotPermitted("只有调解员、调解组织管理员和法官可以邀请代表委员。")
    errors: dict[str, list[str]] = {}
    if kind not in InvitationKind.values:
        errors["kind"] = ["请选择邀请事项。"]
    if scheduled_at is None:
        errors["scheduled_at"] = ["请填写时间（如 2026-12-10 09:30）。"]
    elif scheduled_at < timezone.now():
        errors["scheduled_at"] = ["时间不能早于现在。"]
    if not location.strip():
        errors["location"] = ["请填写地点。"]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    assert scheduled_at is not None  # refused above
    with transaction.atomic():
        dispute = visible_disputes(actor).select_for_update().filter(pk=dispute_id).first()
        if dispute is None:
            raise NotFound()
        deputy = User.objects.filter(pk=deputy_id, role=Role.DEPUTY, is_active=True).first()
        if deputy is None:
            raise InvalidInput("请选择受邀的人大代表或政协委员。", errors={"deputy": ["请选择受邀的代表委员。"]})
        session = None
        if session_id is not None:
            session = Session.objects.filter(pk=session_id, referral__dispute=dispute).first()
            if session is None:
                raise InvalidInput("所选调解安排不属于本纠纷。", errors={"session": ["所选调解安排不属于本纠纷。"]})
        if Invitation.objects.filter(deputy=deputy, dispute=dispute, kind=kind, scheduled_at=scheduled_at,
                                     status__in=[InvitationStatus.SENT, InvitationStatus.ACCEPTED]).exists():
            raise Conflict("已向该代表委员发出同一事项的邀请。")
        invitation = Invitation.objects.create(
            deputy=deputy, dispute=dispute, kind=kind, session=session, scheduled_at=scheduled_at,
            location=location.strip()[:200], note=note.strip()[:500], invited_by=actor,
        )
        label = InvitationKind(kind).label
        event = append_event(dispute=dispute, kind="invitation.sent", title="邀请代表委员", actor=actor,
                             origin=origin,
                             summary=f"邀请{_deputy_label(deputy)}{label}（{scheduled_at:%Y-%m-%d %H:%M}）",
                             data={"invitation": invitation.pk, "kind": kind})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="invitation",
                     target_id=invitation.pk, detail={"dispute": dispute.number, "deputy": deputy.pk, "kind": kind})
        notify.to_users(event=event, users=[deputy], key=KEY, title=f"邀请您{label}",
                        link=reverse("voice:invitation", args=[invitation.pk]),
                        text=f"{actor.display_name}邀请您{label}，时间 {scheduled_at:%Y-%m-%d %H:%M}，"
                             f"地点 {invitation.location}。")
    return invitation


def _deputy_label(deputy: User) -> str:
    profile = getattr(deputy, "deputy_profile", None)
    return f"{profile.get_kind_display()}{deputy.display_name}" if profile is not None else deputy.display_name


def respond_to_invitation(*, actor: User, origin: Origin, invitation_id: int, accept: bool) -> Invitation:
    action = "accept" if accept else "decline"
    return apply(INVITATION, invitation_id, action, actor=actor, origin=origin,
                 summary=f"{_deputy_label(actor)}{'接受' if accept else '婉拒'}邀请")


def record_attendance(*, actor: User, origin: Origin, invitation_id: int) -> Invitation:
    return apply(INVITATION, invitation_id, "attend", actor=actor, origin=origin, summary="代表委员已参加")


def cancel_invitation(*, actor: User, origin: Origin, invitation_id: int, reason: str) -> Invitation:
    return apply(INVITATION, invitation_id, "cancel", actor=actor, origin=origin, payload={"reason": reason},
                 summary=f"取消邀请：{reason.strip()[:100]}")


def leave_feedback(*, actor: User, origin: Origin, invitation_id: int, text: str) -> Feedback:
    text = text.strip()
    if not text:
        raise InvalidInput("请填写意见建议。", errors={"text": ["请填写意见建议。"]})
    if len(text) > 2000:
        raise InvalidInput("意见建议不能超过 2000 字。", errors={"text": ["意见建议不能超过 2000 字。"]})
    if actor.role != Role.DEPUTY:
        raise NotPermitted("只有受邀的代表委员可以提出意见。")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=get_invitation(actor, invitation_id).pk).get()
        if invitation.status not in FEEDBACK_STATES:
            raise Conflict(f"邀请当前为“{invitation.get_status_display()}”，接受邀请后才能提出意见。")
        feedback = Feedback.objects.create(invitation=invitation, text=text)
        event = append_event(dispute=invitation.dispute, kind="invitation.feedback", title="代表委员提出意见",
                             actor=actor, origin=origin, summary="代表委员提出意见建议，待答复",
                             data={"invitation": invitation.pk, "feedback": feedback.pk})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="deputy_feedback",
                     target_id=feedback.pk, detail={"invitation": invitation.pk})
        notify.to_users(event=event, users=[invitation.invited_by], key=KEY, title="代表委员提出了意见",
                        link=reverse("voice:invitation", args=[invitation.pk]),
                        text=f"{_deputy_label(actor)}对纠纷 {invitation.dispute.number} 提出了意见建议，请及时答复。")
    return feedback


def answer_feedback(*, actor: User, origin: Origin, feedback_id: int, answer: str) -> Feedback:
    answer = answer.strip()
    if not answer:
        raise InvalidInput("请填写答复。", errors={"answer": ["请填写答复。"]})
    if actor.role not in INVITER_ROLES:
        raise NotPermitted("只有邀请方可以答复代表委员的意见。")
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().select_related("invitation").filter(pk=feedback_id).first()
        if feedback is None:
            raise NotFound()
        invitation = get_invitation(actor, feedback.invitation_id)
        if feedback.answered_at is not None:
            raise Conflict("该意见已经答复，请刷新页面查看。")
        feedback.answer, feedback.answered_by, feedback.answered_at = answer[:2000], actor, timezone.now()
        feedback.save()
        event = append_event(dispute=invitation.dispute, kind="invitation.feedback_answered",
                             title="答复代表委员意见", actor=actor, origin=origin, summary="已答复代表委员的意见建议",
                             data={"invitation": invitation.pk, "feedback": feedback.pk})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="deputy_feedback",
                     target_id=feedback.pk, detail={"answered": True})
        notify.to_users(event=event, users=[invitation.deputy], key=KEY, title="您的意见已有答复",
                        link=reverse("voice:invitation", args=[invitation.pk]),
                        text=f"您对纠纷 {invitation.dispute.number} 提出的意见已有答复，请登录查看。")
    return feedback
