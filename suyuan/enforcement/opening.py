"""Opening an enforcement case (执行立案) in one step, from a defaulted plan or an effective document.

The applicant sees the enforcement legal-risk notice (执行风险告知) before applying and confirms
it; the case is numbered (执), the 执行通知书 and 报告财产令 are rendered as PDFs and their service
recorded on the case, and the enforcement triage suggests a track.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.sequences import next_value
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.clocks import stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute, DisputeParty
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import apply
from suyuan.documents.choices import DocumentKind
from suyuan.documents.services import render_document
from suyuan.litigation.models import format_case_number
from suyuan.rules import periods

from . import selectors
from .choices import EnforcementBasis, InstalmentStatus
from .deadlines import RULE as ENFORCEMENT_RULE
from .deadlines import enforcement_period
from .lifecycle import PLAN
from .models import EnforcementCase, PerformancePlan

CASE_TYPE = "执"
DIRECT_BASES = (EnforcementBasis.JUDGMENT, EnforcementBasis.CONFIRMATION_RULING, EnforcementBasis.COURT_MEDIATION)
RISK_REQUIRED = "请先阅读并确认《执行风险告知》。"


@dataclass(frozen=True)
class RiskItem:
    text: str
    citation: str


def risk_notice(on: date) -> list[RiskItem]:
    """执行风险告知, in plain words, shown to the applicant before applying."""
    period = periods.rule_in_force(ENFORCEMENT_RULE, on=on)
    return [
        RiskItem("被执行人可能确实没有可供执行的财产。法院穷尽财产调查措施仍未发现财产的，可以裁定终结本次执行程序"
                 "（终本）；以后发现被执行人有财产的，您可以随时申请恢复执行，不需要重新交费。",
                 "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》（2022年修正）第五百一十七条；"
                 "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》（法〔2016〕373号）第一条"),
        RiskItem("请尽量向法院提供被执行人的财产线索（银行账户、房产、车辆、股权等）。线索越具体，执行越快。",
                 "《最高人民法院关于民事执行中财产调查若干问题的规定》（2020年修正）第一条"),
        RiskItem(f"申请执行的期间为{period.length}年，自{period.starts}起计算；超过期间申请的，可能得不到强制执行。",
                 period.citation),
        RiskItem("申请执行费不需要预交，执行后由被执行人负担；评估、拍卖等实际支出的费用可能需要先行垫付。",
                 "《诉讼费用交纳办法》第十条、第二十条"),
        RiskItem("执行中可以与被执行人自愿达成执行和解；对方不履行和解协议的，您可以申请恢复执行，已履行的部分予以扣除。",
                 "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》（2022年修正）第四百六十五条"),
    ]


def apply_for_enforcement(*, plan_id: int, actor: User, origin: Origin, risk_acknowledged: bool) -> EnforcementCase:
    """Default → one step: the dispute moves to enforcement and the case is numbered (see hooks)."""
    plan = selectors.visible_plans(actor).select_related("dispute").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    _obligee(actor, plan.obligee_id)
    if not risk_acknowledged:
        raise InvalidInput(RISK_REQUIRED, errors={"risk_acknowledged": [RISK_REQUIRED]})
    with transaction.atomic():
        apply(DISPUTE, plan.dispute, "apply_enforcement", actor=actor, origin=origin, payload={"plan": plan.pk})
    return EnforcementCase.objects.get(plan=plan)


def apply_on_document(
    *, dispute_id: int, actor: User, origin: Origin, basis: str, basis_reference: str, amount: str,
    performance_due: str, applicant_party_id: int, respondent_party_id: int, risk_acknowledged: bool,
) -> EnforcementCase:
    """Apply on an effective judgment, confirmation ruling or court mediation statement (no tracked plan)."""
    dispute = visible_disputes(actor).filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    data = _parse_basis(dispute, basis=basis, basis_reference=basis_reference, amount=amount,
                        performance_due=performance_due, applicant=applicant_party_id, respondent=respondent_party_id,
                        risk_acknowledged=risk_acknowledged)
    _obligee(actor, data["applicant"])
    if selectors.original_plans().filter(dispute=dispute).exists():
        raise Conflict("该纠纷有履行方案，请在“履行情况”页面就逾期款项申请强制执行。")
    with transaction.atomic():
        apply(DISPUTE, dispute, "apply_enforcement", actor=actor, origin=origin, payload={"basis": data})
    return EnforcementCase.objects.filter(dispute=dispute).latest("pk")


def _obligee(actor: User, obligee_id: int) -> None:
    if actor.role == Role.PARTY and actor.party_id != obligee_id:
        raise NotPermitted("只有权利人本人可以申请强制执行。")


def _parse_basis(dispute: Dispute, *, basis: str, basis_reference: str, amount: str, performance_due: str,
                 applicant: int, respondent: int, risk_acknowledged: bool) -> dict[str, Any]:
    from .services import _money

    errors: dict[str, list[str]] = {}
    if basis not in DIRECT_BASES:
        errors["basis"] = ["请选择执行依据：生效判决书、司法确认裁定书或法院调解书。"]
    reference = basis_reference.strip()
    if not reference or len(reference) > 60:
        errors["basis_reference"] = ["请填写执行依据的文书编号（60 字以内），如（2026）宁0202民初123号。"]
    money = _money(amount, "amount", errors)
    try:
        due = date.fromisoformat(performance_due.strip())
    except ValueError:
        due = None
        errors["performance_due"] = ["请填写法律文书确定的履行期间最后一日（YYYY-MM-DD）。"]
    if due is not None and due >= timezone.localdate():
        errors["performance_due"] = ["履行期间尚未届满，不能申请强制执行。"]
    party_ids = set(DisputeParty.objects.filter(dispute=dispute).values_list("party_id", flat=True))
    for key, value in (("applicant_party_id", applicant), ("respondent_party_id", respondent)):
        if value not in party_ids:
            errors[key] = ["必须是本纠纷的当事人。"]
    if applicant == respondent:
        errors["respondent_party_id"] = ["申请执行人与被执行人不能是同一当事人。"]
    if not risk_acknowledged:
        errors["risk_acknowledged"] = [RISK_REQUIRED]
    if due is not None and "performance_due" not in errors:
        period = enforcement_period(due)
        if period.expired(timezone.localdate()):
            errors["performance_due"] = [
                f"申请执行的期间已于 {period.due:%Y年%m月%d日} 届满（{period.citation}），"
                "本平台不能再提交强制执行申请。"
                "如有中止、中断事由，请持相关证明到法院窗口办理。"]
    if errors:
        raise InvalidInput("强制执行申请有误，请修改后重新提交。", errors=errors)
    return {"basis": basis, "basis_reference": reference, "amount": str(money), "performance_due": due.isoformat()
            if due else "", "applicant": applicant, "respondent": respondent}


def open_from_plan(*, plan: PerformancePlan, actor: User | None, origin: Origin) -> EnforcementCase:
    """Called by the dispute hook inside the "apply_enforcement" step: plan step, number, case."""
    if actor is None:
        raise NotPermitted("强制执行须由权利人或法院工作人员申请。")
    _obligee(actor, plan.obligee_id)
    today = timezone.localdate()
    plan = apply(PLAN, plan, "apply_enforcement", actor=actor, origin=origin)
    unpaid = [i for i in plan.instalments.all() if i.status != InstalmentStatus.PAID and i.due < today]
    # Each instalment's period runs from its own last day: instalments already out of time are left out.
    in_time = [i for i in unpaid if not enforcement_period(i.due).expired(today)]
    amount = sum((i.remaining for i in in_time), Decimal("0"))
    if amount <= 0:
        raise Conflict("没有在申请执行期间内的逾期款项，不能申请强制执行。")
    period = enforcement_period(plan.last_default_due or in_time[-1].due)
    skipped = len(unpaid) - len(in_time)
    case = _create_case(
        dispute=plan.dispute, actor=actor, origin=origin, plan=plan, basis=EnforcementBasis.PERFORMANCE_PLAN,
        basis_reference="", performance_due=plan.last_default_due, applicant_id=plan.obligee_id,
        respondent_id=plan.obligor_id, amount=amount, citation=period.citation,
        note=(f"（另有 {skipped} 期已超过申请执行期间，未列入）" if skipped else "")
        + ("" if period.certain else "；申请执行期间届满日的节假日顺延尚无法核实，请人工核对"),
    )
    stop_clock(dispute=plan.dispute, rule=ENFORCEMENT_RULE, object_ref=f"plan:{plan.pk}")
    return case


def open_from_basis(*, dispute: Dispute, data: dict[str, Any], actor: User | None, origin: Origin) -> EnforcementCase:
    if actor is None:
        raise NotPermitted("强制执行须由权利人或法院工作人员申请。")
    due = date.fromisoformat(data["performance_due"])
    period = enforcement_period(due)
    return _create_case(
        dispute=dispute, actor=actor, origin=origin, plan=None, basis=data["basis"],
        basis_reference=data["basis_reference"], performance_due=due, applicant_id=data["applicant"],
        respondent_id=data["respondent"], amount=Decimal(data["amount"]), citation=period.citation,
        note="" if period.certain else "；申请执行期间届满日的节假日顺延尚无法核实，请人工核对",
    )


def _create_case(*, dispute: Dispute, actor: User, origin: Origin, plan: PerformancePlan | None, basis: str,
                 basis_reference: str, performance_due: date | None, applicant_id: int, respondent_id: int,
                 amount: Decimal, citation: str, note: str) -> EnforcementCase:
    today = timezone.localdate()
    court = dispute.court
    if not court.court_code:
        raise Conflict("管辖法院没有案号代字，无法编立执行案号。")
    serial = next_value(f"case_number:{court.court_code}:{today.year}:{CASE_TYPE}")
    now = timezone.now()
    case = EnforcementCase.objects.create(
        plan=plan, dispute=dispute, court=court, year=today.year, serial=serial,
        number=format_case_number(year=today.year, court_code=court.court_code, case_type=CASE_TYPE, serial=serial),
        basis=basis, basis_reference=basis_reference, performance_due=performance_due,
        applicant_id=applicant_id, respondent_id=respondent_id, amount=amount, applied_at=now,
        applied_by=actor, period_citation=citation, risk_notice_shown_at=now,
    )
    append_event(
        dispute=dispute, kind="enforcement.registered", title="执行立案", actor=actor, origin=origin,
        summary=f"申请强制执行（{EnforcementBasis(basis).label}{'，' + basis_reference if basis_reference else ''}），"
        f"执行案号 {case.number}，申请执行标的 {amount} 元；申请人已阅读并确认执行风险告知" + note,
        data={"case": case.pk, "number": case.number, "amount": str(amount), "citation": citation, "basis": basis},
    )
    record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="enforcement_case",
                 target_id=case.pk, detail={"dispute": dispute.number, "number": case.number})
    _serve_notices(case, origin)
    from .tracks import suggest_track

    suggest_track(case=case, origin=origin)
    return case


def _serve_notices(case: EnforcementCase, origin: Origin) -> None:
    """执行通知书 and 报告财产令, rendered by the court (system) and served through the platform.

    Service is recorded on the case (``notice_served_at``, ``report_order_served_at``): the
    platform has no service records of its own yet; electronic service to the debtor's account.
    """
    today = timezone.localdate()
    respondent, applicant = case.respondent, case.applicant
    common = {"notice_date": today, "case_number": case.number, "obligor": respondent.name}
    notice = render_document(dispute=case.dispute, kind=DocumentKind.ENFORCEMENT_NOTICE, actor=None, origin=origin,
                             context={**common, "amount": str(case.amount), "obligee": applicant.name,
                                      "basis_label": EnforcementBasis(case.basis).label,
                                      "basis_reference": case.basis_reference})
    order = render_document(dispute=case.dispute, kind=DocumentKind.PROPERTY_REPORT_ORDER, actor=None, origin=origin,
                            context=common)
    now = timezone.now()
    EnforcementCase.objects.filter(pk=case.pk).update(notice_served_at=now, report_order_served_at=now)
    case.notice_served_at = case.report_order_served_at = now
    append_event(
        dispute=case.dispute, kind="enforcement.served", title="送达执行通知书、报告财产令", actor=None, origin=origin,
        summary=f"向被执行人送达执行通知书（第{notice.version}版）和报告财产令（第{order.version}版）",
        data={"case": case.pk, "documents": [notice.pk, order.pk]},
    )


def dispute_can_apply_on_document(dispute: Dispute) -> bool:
    return (dispute.status == DisputeStatus.PERFORMING
            and not selectors.original_plans().filter(dispute=dispute).exists())
