"""Survey.status, Complaint.status and Invitation.status: the three lifecycles of the voice app.

A survey is an opinion about the service, not a step of the dispute: it is recorded in the audit
chain only (``dispute_of`` None), never on the dispute's timeline, which the other party reads.
A complaint's steps are on the timeline with neutral titles and no content (its own notices go to
the complainant and the handlers only, see ``hooks``); an invitation of a deputy is on the timeline,
so the parties are told who will observe.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t

from . import selectors
from .choices import ComplaintOutcome
from .choices import ComplaintStatus as C
from .choices import InvitationStatus as V
from .choices import SurveyStatus as S
from .models import Complaint, Invitation, Survey

INVITERS = {Role.MEDIATOR, Role.ORG_ADMIN, Role.JUDGE}


def _survey_in_scope(survey: Survey, actor: User) -> bool:
    return actor.role == Role.PARTY and actor.party_id == survey.party_id


def _scores_given(survey: Survey, actor: User | None, payload: dict[str, Any]) -> str | None:
    answers = payload.get("answers") or {}
    codes = [q["code"] for q in survey.questions]
    missing = [q["text"] for q in survey.questions if q["code"] not in answers]
    if missing:
        return f"请为每一项打分（尚未评分：{'、'.join(missing)}）。"
    if any(not isinstance(answers[c], int) or not 1 <= answers[c] <= 5 for c in codes):
        return "评分须为 1 至 5 分。"
    return None


SURVEY_TRANSITIONS = [
    t(S.SENT, "answer", S.ANSWERED, {Role.PARTY, SYSTEM}, "提交满意度评价", _scores_given,
      "每一题评 1–5 分；短信链接提交时以签名令牌确认当事人"),
    t(S.SENT, "expire", S.EXPIRED, {SYSTEM}, "评价期满未提交"),
]

SURVEY = register(Lifecycle(
    name="survey", title="满意度评价", model=Survey, states=S, transitions=SURVEY_TRANSITIONS,
    dispute_of=lambda survey: None, in_scope=_survey_in_scope,
))


def _complaint_in_scope(complaint: Complaint, actor: User) -> bool:
    if actor.role == Role.ORG_ADMIN:
        return actor.organisation_id == complaint.organisation_id
    if actor.role == Role.PARTY:
        return actor.party_id == complaint.complainant_id
    return False


def _handler_of_organisation(complaint: Complaint, actor: User | None, payload: dict[str, Any]) -> str | None:
    handler = payload.get("handler")
    if not isinstance(handler, User) or handler.role != Role.ORG_ADMIN or not handler.is_active \
            or handler.organisation_id != complaint.organisation_id:
        return "请选择本组织的管理人员承办。"
    return None


def _answer_given(complaint: Complaint, actor: User | None, payload: dict[str, Any]) -> str | None:
    if payload.get("outcome") not in ComplaintOutcome.values:
        return "请选择核查结论。"
    if not str(payload.get("answer", "")).strip():
        return "请填写答复内容。"
    return None


def _reason_given(obj: Any, actor: User | None, payload: dict[str, Any]) -> str | None:
    return None if str(payload.get("reason", "")).strip() else "请填写原因。"


COMPLAINT_TRANSITIONS = [
    t(C.RECEIVED, "assign", C.ASSIGNED, {Role.ORG_ADMIN}, "指定承办人", _handler_of_organisation,
      "承办人为本组织在岗的管理人员"),
    t(C.ASSIGNED, "answer", C.ANSWERED, {Role.ORG_ADMIN}, "答复投诉人", _answer_given, "须选择核查结论并填写答复"),
    t(C.ANSWERED, "reopen", C.ASSIGNED, {Role.PARTY}, "投诉人对答复不满意，要求重新办理", _reason_given,
      "须填写不满意的原因"),
    t(C.ANSWERED, "close", C.CLOSED, {Role.ORG_ADMIN, Role.PARTY}, "投诉办结"),
    t((C.RECEIVED, C.ASSIGNED), "withdraw", C.WITHDRAWN, {Role.PARTY}, "投诉人撤回投诉", _reason_given,
      "须填写撤回原因"),
]

COMPLAINT = register(Lifecycle(
    name="complaint", title="投诉", model=Complaint, states=C, transitions=COMPLAINT_TRANSITIONS,
    dispute_of=lambda complaint: complaint.dispute, in_scope=_complaint_in_scope,
))


def _invitation_in_scope(invitation: Invitation, actor: User) -> bool:
    if actor.role == Role.DEPUTY:
        return invitation.deputy_id == actor.pk
    return actor.role in INVITERS and selectors.can_see_invitation(actor, invitation)


INVITATION_TRANSITIONS = [
    t(V.SENT, "accept", V.ACCEPTED, {Role.DEPUTY}, "代表委员接受邀请"),
    t(V.SENT, "decline", V.DECLINED, {Role.DEPUTY}, "代表委员婉拒邀请"),
    t((V.SENT, V.ACCEPTED), "cancel", V.CANCELLED, INVITERS, "取消邀请", _reason_given, "须填写取消原因"),
    t(V.ACCEPTED, "attend", V.ATTENDED, {Role.DEPUTY, *INVITERS}, "确认代表委员已参加"),
]

INVITATION = register(Lifecycle(
    name="invitation", title="代表委员邀请", model=Invitation, states=V, transitions=INVITATION_TRANSITIONS,
    dispute_of=lambda invitation: invitation.dispute, in_scope=_invitation_in_scope,
))
