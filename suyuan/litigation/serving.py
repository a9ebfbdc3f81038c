"""Service of documents (送达) with proof, the appeal period it starts per party, and the
effective date (生效日期) of a judgment computed from every party's service.

A judgment of first instance becomes legally effective when no party appealed within their period
(民事诉讼法 第一百五十八条, 第一百七十一条): the day after the last party's period ends. A small-claims
judgment is final on pronouncement (一审终审, 民事诉讼法 第一百六十五条) and has no appeal period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict, InvalidInput
from suyuan.disputes.clocks import start_clock
from suyuan.parties.models import Party
from suyuan.rules import periods

from .casework import COURT_ROLES, _event, _lock_case, _require_role, _today
from .choices import APPEAL_RULES, AppealOutcome, CaseStatus, CaseType, Procedure, ServedDocument, ServiceMethod
from .effective import SERVICE_REF
from .models import Case, ServiceConsent, ServiceRecord

# Where each method rests (民事诉讼法 2021/2023 text, same numbering).
METHOD_CITATIONS = {
    ServiceMethod.DIRECT: "《中华人民共和国民事诉讼法》第八十八条",
    ServiceMethod.LEFT_AT_RESIDENCE: "《中华人民共和国民事诉讼法》第八十九条",
    ServiceMethod.ELECTRONIC: "《中华人民共和国民事诉讼法》第九十条",
    ServiceMethod.POST: "《中华人民共和国民事诉讼法》第九十一条",
    ServiceMethod.PUBLICATION: "《中华人民共和国民事诉讼法》第九十五条",
}
SMALL_CLAIMS_FINAL = ("小额诉讼案件实行一审终审（《中华人民共和国民事诉讼法》第一百六十五条），"
                      "判决宣告即发生法律效力，不得上诉。")
SERVABLE = {CaseStatus.JUDGED, CaseStatus.APPEALED}


def parties_of(case: Case) -> list[Party]:
    return [dp.party for dp in case.dispute.dispute_parties.select_related("party").order_by("role", "position")]


def record_service_consent(*, actor: User, origin: Origin, case_id: int, party_id: int, address: str,
                           consented_on: date | None = None) -> ServiceConsent:
    """The party agreed to electronic service at ``address`` (民事诉讼法 第九十条)."""
    _require_role(actor, COURT_ROLES, "记录电子送达同意")
    address = address.strip()
    if not address:
        raise InvalidInput("请填写当事人确认的电子送达地址。", errors={"address": ["请填写电子送达地址。"]})
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if party_id not in {p.pk for p in parties_of(case)}:
            raise InvalidInput("受送达人不是本案当事人。", errors={"party": ["请选择本案当事人。"]})
        if ServiceConsent.objects.filter(case=case, party_id=party_id).exists():
            raise Conflict("该当事人已确认电子送达地址。")
        consent = ServiceConsent.objects.create(case=case, party_id=party_id, address=address[:200],
                                                consented_on=consented_on or _today(), recorded_by=actor)
        _event(case, kind="case.service_consent", title="当事人同意电子送达", actor=actor, origin=origin,
               summary=f"当事人同意电子送达（{METHOD_CITATIONS[ServiceMethod.ELECTRONIC]}）",
               data={"party": party_id})
    return consent


def _proof_problem(method: str, *, case: Case, party_id: int, receipt: str, tracking_number: str) -> str | None:
    if method == ServiceMethod.ELECTRONIC and not ServiceConsent.objects.filter(case=case, party_id=party_id).exists():
        return ("电子送达须经受送达人同意（《中华人民共和国民事诉讼法》第九十条），"
                "该当事人尚未确认电子送达地址，请改用其他方式送达。")
    if method == ServiceMethod.POST and not tracking_number:
        return "邮寄送达须记录邮件单号，以回执上注明的收件日期为送达日期（《中华人民共和国民事诉讼法》第九十一条）。"
    if method in {ServiceMethod.DIRECT, ServiceMethod.LEFT_AT_RESIDENCE} and not receipt:
        return ("直接送达须有受送达人在送达回证上签收；留置送达须记明拒收事由和日期"
                "（《中华人民共和国民事诉讼法》第八十七条至第八十九条），请填写签收或留置情况。")
    return None


def _appeal_period(case: Case, document: str, served_on: date) -> tuple[date | None, str]:
    if case.procedure == Procedure.SMALL_CLAIMS:
        return None, SMALL_CLAIMS_FINAL
    deadline = periods.compute(APPEAL_RULES[ServedDocument(document)], start=served_on)
    assert isinstance(deadline.due, date)
    return deadline.due, deadline.citation


def _check_servable(case: Case) -> None:
    if case.case_type != CaseType.CIVIL_FIRST:
        # A second-instance decision is final: its service starts no appeal period (second_instance.py).
        raise Conflict("第二审裁判是终审裁判，送达日期在录入二审裁判时填写。")
    if case.status not in SERVABLE:
        raise Conflict(f"案件当前状态为“{case.get_status_display()}”，尚无可送达的判决书。")


def serve_document(*, actor: User, origin: Origin, case_id: int, party_id: int, method: str,
                   sent_on: date, document: str = ServedDocument.JUDGMENT, receipt: str = "",
                   tracking_number: str = "", address: str = "",
                   proof_document_id: int | None = None) -> ServiceRecord:
    """Record the service of ``document`` on one party; the party's appeal period runs from it."""
    _require_role(actor, COURT_ROLES, "记录送达")
    receipt, tracking_number = receipt.strip()[:200], tracking_number.strip()[:40]
    if method not in ServiceMethod.values:
        raise InvalidInput("请选择送达方式。", errors={"method": ["请选择送达方式。"]})
    if document not in ServedDocument.values:
        raise InvalidInput("请选择送达的文书。", errors={"document": ["请选择送达的文书。"]})
    if sent_on > _today():
        raise InvalidInput("送达日期不能晚于今天。", errors={"sent_on": ["送达日期不能晚于今天。"]})
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        _check_servable(case)
        if sent_on < case.judgment.pronounced_on:
            raise InvalidInput("送达日期不能早于宣判日期。", errors={"sent_on": ["送达日期不能早于宣判日期。"]})
        if party_id not in {p.pk for p in parties_of(case)}:
            raise InvalidInput("受送达人不是本案当事人。", errors={"party": ["请选择本案当事人。"]})
        problem = _proof_problem(method, case=case, party_id=party_id, receipt=receipt,
                                 tracking_number=tracking_number)
        if problem:
            raise InvalidInput(problem, errors={"method": [problem]})
        if ServiceRecord.objects.filter(case=case, document=document, party_id=party_id).exists():
            raise Conflict("该文书已向该当事人送达，不能重复记录。")
        served_on, citation = sent_on, METHOD_CITATIONS[ServiceMethod(method)]
        if method == ServiceMethod.PUBLICATION:
            # 公告送达: deemed served when the publication period ends (30 days from 2022, 60 before).
            publication = periods.compute("service_by_publication", start=sent_on)
            assert isinstance(publication.due, date)
            served_on, citation = publication.due, publication.citation
        if method == ServiceMethod.ELECTRONIC and not address:
            address = ServiceConsent.objects.get(case=case, party_id=party_id).address
        appeal_due, appeal_citation = _appeal_period(case, document, served_on)
        record = ServiceRecord.objects.create(
            case=case, document=document, party_id=party_id, method=method, sent_on=sent_on, served_on=served_on,
            receipt=receipt, tracking_number=tracking_number, address=address.strip()[:200], citation=citation,
            proof_document_id=proof_document_id, appeal_due=appeal_due, appeal_citation=appeal_citation,
            recorded_by=actor, recorded_at=timezone.now(),
        )
        if appeal_due is not None and document == ServedDocument.JUDGMENT:
            # One clock per party: when the last one lapses unappealed the judgment is effective
            # (effective.on_appeal_period_lapsed).
            start_clock(dispute=case.dispute, rule=APPEAL_RULES[ServedDocument.JUDGMENT], start=served_on,
                        subject=f"判决上诉期（送达记录 #{record.pk}）", object_ref=f"{SERVICE_REF}{record.pk}")
        label = f"{ServiceMethod(method).label}{ServedDocument(document).label}"
        tail = f"，上诉期至 {appeal_due}（{appeal_citation}）" if appeal_due else "；小额诉讼一审终审"
        _event(case, kind="case.served", title=f"{label}", actor=actor, origin=origin,
               summary=f"{label}，{served_on} 送达（{citation}）{tail}",
               data={"service": record.pk, "party": party_id, "served_on": served_on.isoformat(),
                     "appeal_due": appeal_due.isoformat() if appeal_due else ""})
    return record


@dataclass(frozen=True)
class PartyPeriod:
    party: Party
    served_on: date | None
    appeal_due: date | None
    citation: str
    appealed: bool


@dataclass(frozen=True)
class Effectiveness:
    """Where a judgment stands: ``state`` is final | pending_service | running | appealed | effective, or after
    the second instance amended | set_aside."""

    state: str
    label: str
    effective_on: date | None = None
    parties: list[PartyPeriod] = field(default_factory=list)


def judgment_effectiveness(case: Case, *, today: date | None = None) -> Effectiveness | None:
    """Computed from the service of the judgment on every party and their appeal periods."""
    judgment = getattr(case, "judgment", None)
    if judgment is None:
        return None
    today = today or _today()
    if case.procedure == Procedure.SMALL_CLAIMS:
        return Effectiveness("final", SMALL_CLAIMS_FINAL, judgment.pronounced_on)
    if case.case_type == CaseType.CIVIL_SECOND:  # an amending judgment of the second instance (second_instance.py)
        return Effectiveness("final", f"第二审判决是终审判决，不得上诉，于 {judgment.effective_on} 发生法律效力。",
                             judgment.effective_on)
    served = {r.party_id: r for r in case.service_records.filter(document=ServedDocument.JUDGMENT)}
    appealed = set(case.appeals.values_list("party_id", flat=True))
    rows = [PartyPeriod(p, served[p.pk].served_on if p.pk in served else None,
                        served[p.pk].appeal_due if p.pk in served else None,
                        served[p.pk].appeal_citation if p.pk in served else "", p.pk in appealed)
            for p in parties_of(case)]
    if appealed:
        return _after_appeal(case, judgment, rows)
    if not rows or any(r.appeal_due is None for r in rows):
        return Effectiveness("pending_service", "判决书尚未向全部当事人送达，生效日期待定。", None, rows)
    last = max(r.appeal_due for r in rows if r.appeal_due is not None)
    effective_on = last + timedelta(days=1)
    if today >= effective_on:
        return Effectiveness("effective", f"各方当事人均未在上诉期内上诉，判决于 {effective_on} 发生法律效力。",
                             effective_on, rows)
    return Effectiveness("running", f"上诉期至 {last} 届满；届时无人上诉的，判决于 {effective_on} 发生法律效力。",
                         effective_on, rows)


def _after_appeal(case: Case, judgment: Any, rows: list[PartyPeriod]) -> Effectiveness:
    """An appealed judgment never takes effect by its periods: the second instance decides (second_instance.py)."""
    decision = case.appeal_decisions.select_related("second_case", "retrial_case").first()
    if decision is None:
        return Effectiveness("appealed", "当事人已提起上诉，一审判决不发生法律效力，由第二审法院审理。", None, rows)
    number = decision.second_case.number
    if decision.outcome == AppealOutcome.AFFIRM and judgment.effective_on is not None:
        return Effectiveness("effective", f"第二审（{number}）判决驳回上诉、维持原判，本判决于 "
                             f"{judgment.effective_on} 发生法律效力（终审）。", judgment.effective_on, rows)
    if decision.outcome == AppealOutcome.AMEND:
        return Effectiveness("amended", f"第二审（{number}）已改判，按第二审判决履行。", None, rows)
    retrial = decision.retrial_case.number if decision.retrial_case else ""
    return Effectiveness("set_aside", f"第二审（{number}）裁定撤销本判决，发回重审（重审案号 {retrial}）。", None, rows)


def effective_on(case: Case, *, today: date | None = None) -> date | None:
    """The date the judgment became legally effective, or ``None`` while it has not."""
    state = judgment_effectiveness(case, today=today)
    return state.effective_on if state is not None and state.state in {"final", "effective"} else None
