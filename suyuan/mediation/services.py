"""Writes of mediation: referral, dispatch, receipt, sessions, offers, outcome.

Every service locks the dispute row first (then the referral, through ``apply``), so concurrent
steps on one dispute queue in the same order and never deadlock; status fields change only through
the lifecycles (REFERRAL here, DISPUTE for the dispute's stage) in the same transaction.
Consent: ``consent.py``; the agreement and signatures: ``agreements.py``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes import clocks
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute, DisputeParty
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.services import parse_amount
from suyuan.disputes.workflow import apply
from suyuan.network.choices import OrganisationKind
from suyuan.network.models import Mediator, Organisation
from suyuan.rules import periods

from . import selectors
from .adapters import video_meetings
from .choices import MediationKind, OfferStatus, ReferralStatus, SessionMode
from .lifecycle import REFERRAL
from .models import Offer, Referral, Session

KIND_BY_ORGANISATION = {
    OrganisationKind.PEOPLES_MEDIATION: MediationKind.PEOPLES,
    OrganisationKind.ADMINISTRATIVE_MEDIATION: MediationKind.ADMINISTRATIVE,
    OrganisationKind.INDUSTRY_MEDIATION: MediationKind.INDUSTRY,
    OrganisationKind.LAWYER_MEDIATION: MediationKind.LAWYER,
}
REFERRER_ROLES = frozenset({Role.CLERK, Role.CENTRE_STAFF, Role.GRID_WORKER, Role.ORG_ADMIN})
# Court pre-filing referral (委派调解) is the only non-litigation mediation with a legal period;
# 《人民调解法》 and the rules for administrative, industry and lawyer mediation set none, so those
# referrals run without a clock rather than with an invented one.
COURT_REFERRAL_RULE = "pre_filing_mediation"
CLOSED_STATES = (ReferralStatus.SETTLED, ReferralStatus.FAILED, ReferralStatus.WITHDRAWN)


def lock_dispute(dispute_id: int) -> Dispute:
    dispute = Dispute.objects.select_for_update().filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    return dispute


def referral_ref(referral: Referral) -> str:
    return f"referral:{referral.pk}"


def _locked_referral(actor: User, referral_id: int) -> tuple[Dispute, Referral]:
    """Scope check, then lock the dispute and read the referral fresh (apply locks it again)."""
    referral = selectors.get_referral(actor, referral_id)
    dispute = lock_dispute(referral.dispute_id)
    referral = Referral.objects.select_related("organisation", "mediator").get(pk=referral.pk)
    return dispute, referral


# ---------------------------------------------------------------------------------------------
# Referral and dispatch
# ---------------------------------------------------------------------------------------------

def referral_organisations(actor: User) -> list[Organisation]:
    """Where the actor may send a dispute: active mediation organisations (an admin: their own)."""
    qs = Organisation.objects.filter(kind__in=list(KIND_BY_ORGANISATION), active=True)
    if actor.role == Role.ORG_ADMIN:
        qs = qs.filter(pk=actor.organisation_id) if actor.organisation_id is not None else qs.none()
    return list(qs.select_related("region").order_by("region__code", "name"))


def refer_dispute(
    *, actor: User, origin: Origin, dispute_id: int, organisation_id: int, note: str = "",
) -> Referral:
    """A governance centre, court clerk, grid worker (or the organisation itself) refers a dispute."""
    if actor.role not in REFERRER_ROLES:
        raise NotPermitted("您的角色不能委派调解。")
    dispute_row = visible_disputes(actor).filter(pk=dispute_id).first()
    if dispute_row is None:
        raise NotFound()
    organisation = Organisation.objects.filter(
        pk=organisation_id, kind__in=list(KIND_BY_ORGANISATION), active=True
    ).first()
    if organisation is None or (actor.role == Role.ORG_ADMIN and organisation.pk != actor.organisation_id):
        message = "请选择一个启用中的调解组织。"
        raise InvalidInput(message, errors={"organisation": [message]})
    note = note.strip()
    if len(note) > 500:
        raise InvalidInput("委派说明不能超过 500 字。", errors={"note": ["委派说明不能超过 500 字。"]})
    action = "refer_again" if dispute_row.status == DisputeStatus.MEDIATION_FAILED else "refer_to_mediation"
    with transaction.atomic():
        dispute = lock_dispute(dispute_id)

        def hand_over(d: Dispute) -> None:
            d.handling_organisation = organisation
            d.mediator = None

        apply(DISPUTE, dispute, action, actor=actor, origin=origin, effect=hand_over,
              summary=f"委派{organisation.name}调解" + (f"：{note}" if note else ""),
              data={"organisation": organisation.pk})
        court = actor.organisation.court() if actor.organisation is not None else None
        referral = Referral.objects.create(
            dispute=dispute, organisation=organisation, kind=KIND_BY_ORGANISATION[OrganisationKind(organisation.kind)],
            referred_by=actor, referred_by_organisation=actor.organisation, referred_at=timezone.now(),
            court_referred=actor.role == Role.CLERK and court is not None, note=note,
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="referral",
                     target_id=referral.pk, detail={"dispute": dispute.number, "organisation": organisation.pk})
    return referral


def assign_mediator(*, actor: User, origin: Origin, referral_id: int, mediator_id: int) -> Referral:
    """The organisation admin dispatches (or re-dispatches) a referral to a mediator of its roster."""
    with transaction.atomic():
        dispute, referral = _locked_referral(actor, referral_id)
        action = "assign" if referral.status == ReferralStatus.REFERRED else "reassign"
        mediator = Mediator.objects.filter(pk=mediator_id).first()

        def dispatch(r: Referral) -> None:
            r.mediator = mediator

        done = apply(REFERRAL, referral, action, actor=actor, origin=origin, payload={"mediator": mediator_id},
                     effect=dispatch, summary=f"分派调解员：{mediator.name if mediator else ''}",
                     data={"mediator": mediator_id})
        # The mediator's view of disputes follows the dispatch (disputes.selectors: mediator scope).
        Dispute.objects.filter(pk=dispute.pk).update(mediator=mediator, updated_at=timezone.now())
    return done


def accept_referral(
    *, actor: User, origin: Origin, referral_id: int, signed_at: datetime | None = None,
) -> Referral:
    """The mediator signs the receipt. A court's pre-filing referral starts its period from this day."""
    now = timezone.now()
    signed_at = signed_at or now
    with transaction.atomic():
        dispute, referral = _locked_referral(actor, referral_id)
        if signed_at > now or signed_at < referral.referred_at:
            message = "签收时间应在委派之后、当前时间之前。"
            raise InvalidInput(message, errors={"signed_at": [message]})

        def sign(r: Referral) -> None:
            r.signed_receipt_at = signed_at

        done = apply(REFERRAL, referral, "accept", actor=actor, origin=origin, effect=sign,
                     summary=f"调解员签收，签收时间 {timezone.localtime(signed_at):%Y-%m-%d %H:%M}",
                     data={"signed_receipt_at": signed_at.isoformat()})
        _start_referral_clock(dispute, done)
    return done


def referral_rule(referral: Referral) -> str | None:
    """The legal period this referral runs under, judged on the receipt day; None if the law sets none."""
    if not referral.court_referred or referral.signed_receipt_at is None:
        return None
    receipt_day = timezone.localtime(referral.signed_receipt_at).date()
    try:
        periods.rule_in_force(COURT_REFERRAL_RULE, on=receipt_day)
    except InvalidInput:
        # From 2025-01-01 a court registers first; its pre-filing referral period no longer exists.
        return None
    return COURT_REFERRAL_RULE


def _start_referral_clock(dispute: Dispute, referral: Referral) -> None:
    rule = referral_rule(referral)
    if rule is None:
        return
    assert referral.signed_receipt_at is not None
    clocks.start_clock(
        dispute=dispute, rule=rule, start=timezone.localtime(referral.signed_receipt_at).date(),
        subject="委派调解期限", object_ref=referral_ref(referral),
    )


def _stop_referral_clock(dispute: Dispute, referral: Referral, outcome: str = "met") -> None:
    rule = referral_rule(referral)
    if rule is not None:
        clocks.stop_clock(dispute=dispute, rule=rule, object_ref=referral_ref(referral), outcome=outcome)


def decline_referral(*, actor: User, origin: Origin, referral_id: int, reason: str) -> Referral:
    with transaction.atomic():
        _, referral = _locked_referral(actor, referral_id)

        def note_decline(r: Referral) -> None:
            if r.mediator_id is not None:
                r.declined_mediators.add(r.mediator_id)

        return apply(REFERRAL, referral, "decline", actor=actor, origin=origin, payload={"reason": reason.strip()},
                     effect=note_decline, summary=f"调解员拒收：{reason.strip()[:200]}",
                     data={"reason": reason.strip()[:500]})


# ---------------------------------------------------------------------------------------------
# Sessions and offers
# ---------------------------------------------------------------------------------------------

def schedule_session(
    *, actor: User, origin: Origin, referral_id: int, mode: str, scheduled_at: datetime | None,
    location: str = "", summary: str = "",
) -> Session:
    """The mediator holds a session; the first one opens the mediation (consent checked each time)."""
    errors: dict[str, list[str]] = {}
    if mode not in SessionMode.values:
        errors["mode"] = ["请选择调解方式。"]
    if scheduled_at is None:
        errors["scheduled_at"] = ["请填写调解时间。"]
    if mode == SessionMode.IN_PERSON and not location.strip():
        errors["location"] = ["现场调解请填写地点。"]
    if errors:
        raise InvalidInput("调解会信息不完整。", errors=errors)
    assert scheduled_at is not None
    online = mode == SessionMode.ONLINE
    with transaction.atomic():
        dispute, referral = _locked_referral(actor, referral_id)
        if actor.role != Role.MEDIATOR:
            raise NotPermitted("只有承办调解员可以安排调解。")
        if referral.status == ReferralStatus.ACCEPTED:
            referral = apply(REFERRAL, referral, "open_session", actor=actor, origin=origin,
                             payload={"mode": mode}, summary="开始调解（各方当事人同意调解）")
        elif referral.status == ReferralStatus.IN_SESSION:
            gap = selectors.consent_gap(dispute, online=online)
            if gap:
                raise InvalidInput(gap, errors={"__all__": [gap]})
        else:
            raise Conflict(f"当前状态为“{referral.get_status_display()}”，不能安排调解。请刷新页面查看最新状态。")
        session = Session(referral=referral, mode=mode, scheduled_at=scheduled_at, location=location.strip()[:200],
                          summary=summary.strip(), created_by=actor)
        if online:
            meeting = video_meetings().create_meeting(topic=f"{dispute.number} 在线调解", starts_at=scheduled_at)
            session.meeting_url, session.meeting_ref = meeting.url, meeting.ref
            session.meeting_provider = meeting.provider
        session.save()
        append_event(
            dispute=dispute, kind="referral.session", title="安排调解", actor=actor, origin=origin,
            summary=f"{session.get_mode_display()}：{timezone.localtime(scheduled_at):%Y-%m-%d %H:%M}"
            + (f"，{session.location}" if session.location else ""),
            data={"referral": referral.pk, "session": session.pk, "mode": mode, "meeting_ref": session.meeting_ref},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="mediation_session",
                     target_id=session.pk, detail={"dispute": dispute.number, "mode": mode})
    return session


def _acting_party(actor: User, dispute: Dispute) -> int | None:
    """The party a party-user acts as on this dispute; None for staff."""
    if actor.role != Role.PARTY:
        return None
    if actor.party_id is None or not DisputeParty.objects.filter(dispute=dispute, party_id=actor.party_id).exists():
        raise NotPermitted("您不是本纠纷的当事人。")
    return actor.party_id


def make_offer(
    *, actor: User, origin: Origin, referral_id: int, terms: str, amount: str | Decimal | None = None,
    party_id: int | None = None,
) -> Offer:
    """A party proposes (for themself), or the mediator records a party's proposal or their own plan."""
    try:
        value = parse_amount(amount, label="金额")
    except ValueError as exc:
        raise InvalidInput(str(exc), errors={"amount": [str(exc)]}) from exc
    terms = terms.strip()
    if not terms:
        raise InvalidInput("请填写方案内容。", errors={"terms": ["请填写方案内容。"]})
    with transaction.atomic():
        dispute, referral = _locked_referral(actor, referral_id)
        own = _acting_party(actor, dispute)
        if own is None and actor.role != Role.MEDIATOR:
            raise NotPermitted("只有当事人和承办调解员可以提出调解方案。")
        if referral.status != ReferralStatus.IN_SESSION:
            raise Conflict("调解尚未开始或已经结束，不能提出方案。")
        proposer = own if own is not None else party_id
        if proposer is not None and not DisputeParty.objects.filter(dispute=dispute, party_id=proposer).exists():
            raise InvalidInput("提出方须为本纠纷当事人。", errors={"party": ["提出方须为本纠纷当事人。"]})
        offer = Offer.objects.create(referral=referral, proposed_by_party_id=proposer, amount=value, terms=terms,
                                     created_by=actor)
        append_event(dispute=dispute, kind="referral.offer", title="提出调解方案", actor=actor, origin=origin,
                     summary=f"{offer.proposer_label}提出方案" + (f"：{value} 元" if value is not None else ""),
                     data={"referral": referral.pk, "offer": offer.pk})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="mediation_offer",
                     target_id=offer.pk, detail={"dispute": dispute.number})
    return offer


def respond_to_offer(*, actor: User, origin: Origin, offer_id: int, accept: bool) -> Offer:
    """The other side answers (a party online, or the mediator recording what was said in session)."""
    offer = Offer.objects.filter(pk=offer_id).select_related("referral").first()
    if offer is None:
        raise NotFound()
    with transaction.atomic():
        dispute, referral = _locked_referral(actor, offer.referral_id)
        offer = Offer.objects.select_for_update(of=("self",)).select_related("proposed_by_party").get(pk=offer_id)
        own = _acting_party(actor, dispute)
        if own is None and actor.role != Role.MEDIATOR:
            raise NotPermitted("只有当事人和承办调解员可以答复调解方案。")
        if own is not None and own == offer.proposed_by_party_id:
            raise NotPermitted("不能答复自己提出的方案。")
        if referral.status != ReferralStatus.IN_SESSION:
            raise Conflict("调解尚未开始或已经结束，不能答复方案。")
        if offer.status != OfferStatus.OPEN:
            raise Conflict(f"该方案已{offer.get_status_display()}，请刷新页面。")
        offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
        offer.responded_by, offer.responded_at = actor, timezone.now()
        offer.save(update_fields=["status", "responded_by", "responded_at"])
        append_event(dispute=dispute, kind="referral.offer_answered", title="答复调解方案", actor=actor,
                     origin=origin, summary=f"{offer.proposer_label}提出的方案{offer.get_status_display()}",
                     data={"referral": referral.pk, "offer": offer.pk, "accepted": accept})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="mediation_offer",
                     target_id=offer.pk, detail={"dispute": dispute.number, "accepted": accept})
    return offer


# ---------------------------------------------------------------------------------------------
# Outcome: failed or withdrawn (settled: agreements.py, when the last party signs)
# ---------------------------------------------------------------------------------------------

def end_referral(
    *, actor: User | None, origin: Origin, action: str, reason: str, dispute: Dispute, referral: Referral,
) -> Referral:
    """Fail or withdraw the referral and move the dispute's stage; the caller holds the dispute lock."""
    reason = reason.strip()[:500]
    dispute_action = {"fail": "fail_mediation", "withdraw": "withdraw"}[action]

    def close(r: Referral) -> None:
        r.outcome_reason, r.closed_at = reason, timezone.now()

    title = "终止调解" if action == "fail" else "撤回调解申请"
    done = apply(REFERRAL, referral, action, actor=actor, origin=origin, payload={"reason": reason}, effect=close,
                 summary=f"{title}：{reason}", data={"reason": reason})
    _stop_referral_clock(dispute, done, outcome="met" if action == "fail" else "cancelled")
    apply(DISPUTE, dispute, dispute_action, actor=actor, origin=origin, summary=f"{reason}",
          data={"referral": done.pk, "reason": reason})
    return done


def fail_referral(*, actor: User, origin: Origin, referral_id: int, reason: str) -> Referral:
    """调解不成: the mediator (or the admin) ends the mediation; the party may then go to court."""
    with transaction.atomic():
        dispute, referral = _locked_referral(actor, referral_id)
        return end_referral(actor=actor, origin=origin, action="fail", reason=reason,
                            dispute=dispute, referral=referral)


def withdraw_referral(*, actor: User, origin: Origin, referral_id: int, reason: str) -> Referral:
    """The applicant (or the mediator on their written request) withdraws the mediation application."""
    with transaction.atomic():
        dispute, referral = _locked_referral(actor, referral_id)
        return end_referral(actor=actor, origin=origin, action="withdraw", reason=reason, dispute=dispute,
                            referral=referral)

