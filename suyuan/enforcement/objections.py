"""Derivative cases: 执行异议 (执异, examined by the enforcing court within the period of rule
``enforcement_objection``) and 执行复议 (执复, at the court above, rule ``enforcement_review``),
each numbered, linked to the main case and shown on it.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.sequences import next_value
from suyuan.disputes.clocks import start_clock, stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.workflow import apply
from suyuan.litigation.models import format_case_number
from suyuan.network.models import Organisation
from suyuan.rules import periods
from suyuan.rules.calendar import CalendarUnknown

from . import selectors
from .choices import DerivativeKind, DerivativeStatus
from .lifecycle import DERIVATIVE
from .models import DerivativeCase, EnforcementCase

OBJECTION_RULE, REVIEW_RULE, REVIEW_APPLICATION_RULE = (
    "enforcement_objection", "enforcement_review", "enforcement_review_application")
CASE_TYPES: dict[str, str] = {DerivativeKind.OBJECTION: "执异", DerivativeKind.REVIEW: "执复"}
RULES: dict[str, str] = {DerivativeKind.OBJECTION: OBJECTION_RULE, DerivativeKind.REVIEW: REVIEW_RULE}


def _parse(grounds: str, received_on: str) -> tuple[str, date]:
    errors: dict[str, list[str]] = {}
    grounds = grounds.strip()
    if not grounds or len(grounds) > 2000:
        errors["grounds"] = ["请填写异议/复议的请求和理由（2000 字以内）。"]
    try:
        received = date.fromisoformat(received_on.strip())
    except ValueError:
        received = timezone.localdate()
        errors["received_on"] = ["请填写收到书面申请的日期（YYYY-MM-DD）。"]
    if received > timezone.localdate():
        errors["received_on"] = ["收到日期不能晚于今天。"]
    if errors:
        raise InvalidInput("申请有误，请修改后重新提交。", errors=errors)
    return grounds, received


def _open(*, main: EnforcementCase, kind: str, court: Organisation, applicant_id: int, grounds: str,
          received: date, actor: User, origin: Origin, reviews: DerivativeCase | None = None) -> DerivativeCase:
    if not court.court_code:
        raise Conflict("审查法院没有案号代字，无法编立案号。")
    year = timezone.localdate().year
    case_type = CASE_TYPES[kind]
    serial = next_value(f"case_number:{court.court_code}:{year}:{case_type}")
    rule = RULES[kind]
    derivative = DerivativeCase.objects.create(
        main_case=main, reviews=reviews, kind=kind, court=court, year=year, serial=serial,
        number=format_case_number(year=year, court_code=court.court_code, case_type=case_type, serial=serial),
        applicant_id=applicant_id, grounds=grounds, received_on=received, filed_by=actor,
    )
    try:
        clock = start_clock(dispute=main.dispute, rule=rule, start=received, object_ref=f"derivative:{derivative.pk}",
                            subject=f"{DerivativeKind(kind).label}审查期限（{derivative.number}）")
        derivative.due_on, derivative.citation = clock.due_on, clock.citation
    except CalendarUnknown:
        derivative.citation = periods.rule_in_force(rule, on=received).citation
    derivative.save(update_fields=["due_on", "citation"])
    append_event(dispute=main.dispute, kind=f"enforcement.{kind}_filed", title=f"受理{DerivativeKind(kind).label}",
                 actor=actor, origin=origin,
                 summary=f"{derivative.number}（{court.name}），关联执行案件 {main.number}；"
                 f"应于 {derivative.due_on} 前审查完毕"
                 f"（{derivative.citation}）",
                 data={"case": main.pk, "derivative": derivative.pk, "number": derivative.number})
    record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="enforcement_derivative",
                 target_id=derivative.pk, detail={"number": derivative.number, "main": main.number})
    return derivative


def file_objection(*, case_id: int, actor: User, origin: Origin, applicant_party_id: int, grounds: str,
                   received_on: str) -> DerivativeCase:
    """A written objection to an enforcement act, registered by the enforcing court (执异)."""
    if actor.role not in (Role.ENFORCEMENT, Role.JUDGE, Role.CLERK):
        raise NotPermitted("执行异议由法院登记立案。")
    main = selectors.visible_cases(actor).select_related("dispute", "court").filter(pk=case_id).first()
    if main is None:
        raise NotFound()
    if applicant_party_id not in (main.applicant_id, main.respondent_id):
        raise InvalidInput("异议人应为本案当事人。", errors={"applicant_party_id": ["异议人应为本案当事人。"]})
    grounds, received = _parse(grounds, received_on)
    with transaction.atomic():
        return _open(main=main, kind=DerivativeKind.OBJECTION, court=main.court, applicant_id=applicant_party_id,
                     grounds=grounds, received=received, actor=actor, origin=origin)


def file_review(*, objection_id: int, actor: User, origin: Origin, grounds: str, received_on: str) -> DerivativeCase:
    """执复: against a decided objection, at the court above the enforcing court."""
    if actor.role not in (Role.ENFORCEMENT, Role.JUDGE, Role.CLERK):
        raise NotPermitted("执行复议由法院登记立案。")
    objection = (selectors.visible_derivatives(actor).select_related("main_case__dispute", "court__parent")
                 .filter(pk=objection_id, kind=DerivativeKind.OBJECTION).first())
    if objection is None:
        raise NotFound()
    if objection.status not in (DerivativeStatus.UPHELD, DerivativeStatus.DISMISSED):
        raise Conflict("执行异议尚未作出裁定，不能申请复议。")
    grounds, received = _parse(grounds, received_on)
    if objection.decided_at is not None:
        try:
            window = periods.compute(REVIEW_APPLICATION_RULE, start=timezone.localtime(objection.decided_at).date())
        except CalendarUnknown:
            window = None
        if window is not None and received > window.due:
            raise InvalidInput(f"复议申请应在异议裁定送达之日起{window.rule.length}日内提出（{window.citation}），"
                               f"已于 {window.due} 届满。", errors={"received_on": ["已超过申请复议期间。"]})
    above = objection.court.parent
    if above is None or not above.is_court:
        raise Conflict("没有找到上一级人民法院，无法登记执行复议。")
    with transaction.atomic():
        return _open(main=objection.main_case, kind=DerivativeKind.REVIEW, court=above,
                     applicant_id=objection.applicant_id, grounds=grounds, received=received, actor=actor,
                     origin=origin, reviews=objection)


def decide(*, derivative_id: int, actor: User, origin: Origin, action: str, decision: str) -> DerivativeCase:
    if action not in ("uphold", "dismiss", "withdraw"):
        raise InvalidInput("未知的审查结果。")
    found = selectors.visible_derivatives(actor).select_related("main_case__dispute").filter(pk=derivative_id)
    derivative = found.first()
    if derivative is None:
        raise NotFound()
    decision = decision.strip()
    if not decision or len(decision) > 300:
        raise InvalidInput("请填写审查结果及理由（300 字以内）。", errors={"decision": ["请填写审查结果及理由。"]})

    def effect(row: DerivativeCase) -> None:
        row.decision = decision
        row.decided_at = timezone.now()

    with transaction.atomic():
        done = apply(DERIVATIVE, derivative, action, actor=actor, origin=origin, effect=effect,
                     summary=f"{derivative.number}：{decision}", data={"case": derivative.main_case_id})
        stop_clock(dispute=derivative.main_case.dispute, rule=RULES[DerivativeKind(derivative.kind)],
                   object_ref=f"derivative:{derivative.pk}")
    return done
