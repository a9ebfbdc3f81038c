"""Jurisdiction objections (管辖权异议) and the receipt of the complaint copy they count from.

民事诉讼法 第一百三十条: a party objecting to the court's jurisdiction raises it within the answer
period (``answer`` rule, 第一百二十八条: 15 days from receipt of the complaint copy). The court
examines it and rules: upheld → the case is transferred to the court with jurisdiction once the
ruling is effective (``transfers``); otherwise rejected. A party who objects in many cases, or
again after a rejection in the same case, is shown to the judge as a possible abuse of procedural
rights (诚信原则, 第十三条) with the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.choices import PartyRole
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Dispute
from suyuan.disputes.workflow import apply
from suyuan.network.models import Organisation
from suyuan.rules import periods, thresholds
from suyuan.rules.calendar import add_months

from .choices import UNDECIDED_CASE_STATUSES
from .models import Case, ComplaintService, JurisdictionObjection
from .objection_choices import ObjectionStatus
from .objection_lifecycle import OBJECTION
from .selectors import visible_cases
from .transfers import start_ruling_appeal_period

OBJECTION_CITATION = "《中华人民共和国民事诉讼法》第一百三十条第一款"
COURT_STAFF = {Role.CLERK, Role.JUDGE}
OBJECTORS = {Role.PARTY, Role.CLERK}
# Registered and not yet decided: the only stages in which jurisdiction is still open.
OPEN_FOR_OBJECTION = UNDECIDED_CASE_STATUSES


def _locked_case(actor: User, case_id: int) -> Case:
    if not visible_cases(actor).filter(pk=case_id).exists():
        raise NotFound()
    case = Case.objects.select_for_update().select_related("dispute", "court").get(pk=case_id)
    Dispute.objects.select_for_update().filter(pk=case.dispute_id).first()  # events need the dispute lock
    return case


def _defendant(case: Case, party_id: int) -> None:
    if not case.dispute.dispute_parties.filter(party_id=party_id, role=PartyRole.RESPONDENT).exists():
        raise InvalidInput("该当事人不是本案被告（被申请人），不能登记送达或提出管辖权异议。",
                           errors={"party": ["请选择本案被告。"]})


def record_complaint_service(*, actor: User, origin: Origin, case_id: int, party_id: int,
                             received_on: date) -> ComplaintService:
    """The clerk records the day a defendant received the complaint copy: the answer period runs from it."""
    if actor.role not in COURT_STAFF:
        raise NotPermitted("只有法院工作人员可以登记起诉状副本送达。")
    if received_on > timezone.localdate():
        raise InvalidInput("收到起诉状副本之日不能晚于今天。", errors={"received_on": ["日期不能晚于今天。"]})
    with transaction.atomic():
        case = _locked_case(actor, case_id)
        _defendant(case, party_id)
        if ComplaintService.objects.filter(case=case, party_id=party_id).exists():
            raise Conflict("已登记该被告收到起诉状副本之日，不能重复登记。")
        service = ComplaintService.objects.create(case=case, party_id=party_id, received_on=received_on,
                                                  recorded_at=timezone.now(), recorded_by=actor)
        answer = periods.compute("answer", start=received_on)
        append_event(dispute=case.dispute, kind="case.complaint_served", title="送达起诉状副本", actor=actor,
                     origin=origin,
                     summary=f"被告于 {received_on} 收到起诉状副本，答辩期至 {answer.due}（{answer.citation}）",
                     data={"case": case.pk, "service": service.pk, "answer_due": str(answer.due)})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="complaint_service",
                     target_id=service.pk, detail={"case": case.number})
    return service


def file_jurisdiction_objection(*, actor: User, origin: Origin, case_id: int, party_id: int | None,
                                grounds: str) -> JurisdictionObjection:
    """A defendant (or the clerk on their behalf) objects to jurisdiction — only within the answer period."""
    if actor.role not in OBJECTORS:
        raise NotPermitted("您的角色不能提出管辖权异议。")
    if actor.role == Role.PARTY:
        party_id = actor.party_id
    if not party_id:
        raise InvalidInput("请选择提出异议的被告。", errors={"party": ["请选择提出异议的被告。"]})
    if not grounds.strip():
        raise InvalidInput("请写明管辖权异议的理由。", errors={"grounds": ["请写明异议理由。"]})
    today = timezone.localdate()
    with transaction.atomic():
        case = _locked_case(actor, case_id)
        if case.status not in OPEN_FOR_OBJECTION:
            raise Conflict(f"案件当前状态为“{case.get_status_display()}”，只能对已立案、尚未审结的案件提出管辖权异议。")
        _defendant(case, party_id)
        service = ComplaintService.objects.filter(case=case, party_id=party_id).first()
        if service is None:
            reason = ("尚未登记该被告收到起诉状副本之日，无法计算答辩期。"
                      f"请书记员先登记送达，再受理管辖权异议（{OBJECTION_CITATION}：异议应在答辩期内提出）。")
            raise InvalidInput(reason, errors={"__all__": [reason]})
        answer = periods.compute("answer", start=service.received_on)
        if today > answer.due:  # type: ignore[operator]
            reason = (f"管辖权异议应当在提交答辩状期间提出（{OBJECTION_CITATION}）。该被告于 {service.received_on} "
                      f"收到起诉状副本，答辩期已于 {answer.due} 届满（{answer.citation}），本异议不予受理。")
            raise InvalidInput(reason, errors={"__all__": [reason]})
        if JurisdictionObjection.objects.filter(case=case, party_id=party_id, status=ObjectionStatus.FILED).exists():
            raise Conflict("该被告已有待裁定的管辖权异议，请等待法院裁定。")
        objection = JurisdictionObjection.objects.create(
            case=case, party_id=party_id, grounds=grounds.strip(), filed_on=today, filed_at=timezone.now(),
            filed_by=actor, answer_due=answer.due,
        )
        append_event(dispute=case.dispute, kind="jurisdiction_objection.file", title="提出管辖权异议", actor=actor,
                     origin=origin, summary=f"被告在答辩期内（至 {answer.due}）提出管辖权异议（{OBJECTION_CITATION}）",
                     data={"case": case.pk, "objection": objection.pk})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="jurisdiction_objection",
                     target_id=objection.pk, detail={"case": case.number})
    return objection


def rule_on_objection(*, actor: User, origin: Origin, objection_id: int, upheld: bool, reasons: str,
                      transfer_to_id: int | None = None, expected_version: int | None = None) -> JurisdictionObjection:
    """The judge's ruling (裁定) with reasons: upheld → transfer to the court with jurisdiction; else rejected."""
    court = Organisation.objects.filter(pk=transfer_to_id).exclude(court_code="").first() if transfer_to_id else None
    if transfer_to_id and court is None:
        raise InvalidInput("移送法院不存在。", errors={"transfer_to": ["请选择有管辖权的人民法院。"]})

    def effect(obj: JurisdictionObjection) -> None:
        obj.ruling_reasons = reasons.strip()
        obj.ruled_at = timezone.now()
        obj.ruled_by = actor
        obj.transfer_to = court if upheld else None

    action = "uphold" if upheld else "reject"
    summary = (f"裁定异议成立，移送{court.name}（{OBJECTION_CITATION}）" if upheld and court is not None
               else f"裁定驳回管辖权异议（{OBJECTION_CITATION}）")
    with transaction.atomic():
        ruled: JurisdictionObjection = apply(
            OBJECTION, objection_id, action, actor=actor, origin=origin, effect=effect,
            payload={"reasons": reasons, "transfer_to": court}, summary=summary,
            data={"transfer_to": court.pk if court is not None else None}, expected_version=expected_version)
        if upheld:
            # The case moves when the ruling is effective: after its appeal period (transfers.py).
            start_ruling_appeal_period(ruled)
    return ruled


def withdraw_objection(*, actor: User, origin: Origin, objection_id: int) -> JurisdictionObjection:
    return apply(OBJECTION, objection_id, "withdraw", actor=actor, origin=origin)


# --- the abuse-of-procedural-rights signal -------------------------------------------------------


@dataclass(frozen=True)
class AbuseEvidence:
    case_number: str
    court: str
    filed_on: date
    outcome: str


@dataclass(frozen=True)
class AbuseSignal:
    party_name: str
    reasons: list[str]
    evidence: list[AbuseEvidence]
    citation: str


def abuse_signals(*, actor: User, case: Case) -> list[AbuseSignal]:
    """For the judge: objectors of this case who object in many cases or again after a rejection.

    The evidence spans courts (the point of the signal), so it is shown to the judge and leaders only.
    """
    if actor.role not in {Role.JUDGE, Role.LEADER} or not visible_cases(actor).filter(pk=case.pk).exists():
        return []
    today = timezone.localdate()
    rule = thresholds.objection_abuse(on=today)
    if rule is None:
        return []
    since = add_months(today, -rule.window_months)
    signals = []
    party_ids = case.jurisdiction_objections.values_list("party_id", flat=True).distinct()
    for party_id in party_ids:
        history = list(
            JurisdictionObjection.objects.filter(party_id=party_id, filed_on__gte=since)
            .select_related("case__court", "party").order_by("filed_on", "pk")
        )
        reasons = []
        cases = {o.case_id for o in history}
        if len(cases) >= rule.cases:
            reasons.append(f"{rule.window_months}个月内在 {len(cases)} 件案件中提出管辖权异议（阈值 {rule.cases} 件）")
        in_case = [o for o in history if o.case_id == case.pk]
        if any(o.status == ObjectionStatus.REJECTED for o in in_case[:-1]):
            reasons.append("本案管辖权异议被裁定驳回后再次提出")
        if reasons:
            signals.append(AbuseSignal(
                party_name=history[0].party.name, reasons=reasons, citation=rule.citation,
                evidence=[AbuseEvidence(case_number=o.case.label, court=o.case.court.name, filed_on=o.filed_on,
                                        outcome=o.get_status_display()) for o in history],
            ))
    return signals
