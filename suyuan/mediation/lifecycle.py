"""Referral.status and Agreement.status: the two lifecycles of non-litigation mediation.

The services in ``services.py`` / ``agreements.py`` / ``consent.py`` take these steps through
``workflow.apply`` and move the dispute's stage (DISPUTE) in the same transaction.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.choices import PartyRole
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t
from suyuan.network.choices import MediatorStatus
from suyuan.network.models import Mediator

from . import selectors
from .choices import AgreementStatus as A
from .choices import ReferralStatus as R
from .models import Agreement, Referral

WORKING = (R.REFERRED, R.ASSIGNED, R.DECLINED, R.ACCEPTED, R.IN_SESSION)


def _mediator_of_organisation(referral: Referral, actor: User | None, payload: dict[str, Any]) -> str | None:
    mediator_id = payload.get("mediator")
    mediator = (
        Mediator.objects.filter(pk=mediator_id, organisations=referral.organisation_id).first()
        if isinstance(mediator_id, int) else None
    )
    if mediator is None:
        return "请选择本组织名册中的调解员。"
    if mediator.status != MediatorStatus.ACTIVE:
        return f"调解员{mediator.name}当前状态为“{mediator.get_status_display()}”，不能分派。"
    if referral.mediator_id == mediator.pk:
        return f"本案已分派给{mediator.name}，请选择其他调解员。"
    if mediator.user_id is None:
        return f"调解员{mediator.name}没有登录账户，无法签收，请先为其开通账户。"
    return None


def _parties_consent(referral: Referral, actor: User | None, payload: dict[str, Any]) -> str | None:
    return selectors.consent_gap(referral.dispute, online=payload.get("mode") == "online")


def _has_effective_agreement(referral: Referral, actor: User | None, payload: dict[str, Any]) -> str | None:
    if not Agreement.objects.filter(referral=referral, status=A.EFFECTIVE).exists():
        return "调解协议尚未经各方当事人签署生效。"
    return None


def _reason_given(referral: Referral, actor: User | None, payload: dict[str, Any]) -> str | None:
    return None if str(payload.get("reason", "")).strip() else "请填写原因。"


def _applicant_or_mediator(referral: Referral, actor: User | None, payload: dict[str, Any]) -> str | None:
    if actor is not None and actor.role == Role.PARTY:
        applicants = referral.dispute.dispute_parties.filter(role=PartyRole.APPLICANT)
        if actor.party_id is None or not applicants.filter(party_id=actor.party_id).exists():
            return "只有申请人可以撤回调解申请。"
    return _reason_given(referral, actor, payload)


REFERRAL_TRANSITIONS = [
    t(R.REFERRED, "assign", R.ASSIGNED, {Role.ORG_ADMIN}, "分派调解员", _mediator_of_organisation,
      "所选调解员在本组织名册中、在册可派且有登录账户"),
    t((R.ASSIGNED, R.DECLINED), "reassign", R.ASSIGNED, {Role.ORG_ADMIN}, "改派调解员", _mediator_of_organisation,
      "所选调解员在本组织名册中、在册可派、有登录账户，且不是当前调解员"),
    t(R.ASSIGNED, "accept", R.ACCEPTED, {Role.MEDIATOR}, "调解员签收"),
    t(R.ASSIGNED, "decline", R.DECLINED, {Role.MEDIATOR}, "调解员拒收", _reason_given, "须填写拒收原因"),
    t(R.ACCEPTED, "open_session", R.IN_SESSION, {Role.MEDIATOR}, "开始调解", _parties_consent,
      "各方当事人同意调解（在线调解另须各方同意在线调解）"),
    t(R.IN_SESSION, "settle", R.SETTLED, {SYSTEM}, "调解协议生效，调解成功", _has_effective_agreement,
      "调解协议已由各方当事人签署生效"),
    t(WORKING, "fail", R.FAILED, {Role.MEDIATOR, Role.ORG_ADMIN, SYSTEM}, "终止调解（调解不成）", _reason_given,
      "须填写原因（如：当事人不同意调解）"),
    t(WORKING, "withdraw", R.WITHDRAWN, {Role.PARTY, Role.MEDIATOR}, "撤回调解申请", _applicant_or_mediator,
      "当事人撤回的须为申请人；须填写原因"),
]

REFERRAL = register(
    Lifecycle(
        name="referral",
        title="调解委派",
        model=Referral,
        states=R,
        transitions=REFERRAL_TRANSITIONS,
        dispute_of=lambda referral: referral.dispute,
        in_scope=lambda referral, actor: selectors.can_see_referral(actor, referral),
    )
)


def _issuable(agreement: Agreement, actor: User | None, payload: dict[str, Any]) -> str | None:
    if agreement.referral.status != R.IN_SESSION:
        return "调解已结束，不能再送签调解协议。"
    if not agreement.terms.strip():
        return "协议内容不能为空。"
    return None


def _all_parties_signed(agreement: Agreement, actor: User | None, payload: dict[str, Any]) -> str | None:
    missing = selectors.unsigned_parties(agreement)
    if missing:
        return f"尚有当事人未签署：{'、'.join(p.name for p in missing)}。"
    return None


AGREEMENT_TRANSITIONS = [
    # The mediator's own signature and the organisation's seal (《人民调解法》第二十九条) are given
    # by issuing: the rendered document carries them before the parties sign.
    t(A.DRAFT, "issue", A.AWAITING_SIGNATURES, {Role.MEDIATOR}, "调解员签署并送当事人签署", _issuable,
      "调解仍在进行且协议内容不为空"),
    t(A.AWAITING_SIGNATURES, "revise", A.DRAFT, {Role.MEDIATOR}, "撤回修改调解协议（已有签署作废）"),
    t(A.AWAITING_SIGNATURES, "take_effect", A.EFFECTIVE, {SYSTEM}, "各方当事人签署完毕，调解协议生效",
      _all_parties_signed, "每一位当事人均已签署"),
]

AGREEMENT = register(
    Lifecycle(
        name="agreement",
        title="调解协议",
        model=Agreement,
        states=A,
        transitions=AGREEMENT_TRANSITIONS,
        dispute_of=lambda agreement: agreement.dispute,
        in_scope=lambda agreement, actor: selectors.can_see_referral(actor, agreement.referral),
    )
)
