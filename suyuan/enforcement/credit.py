"""Use cases of the grace period and the consumption restriction (限制消费); listing in ``credit_listing``.

Every refusal names the ground and its article; every decision is a timeline event and an audit
row; a PDF that was rendered for a refused or failed decision is removed (nothing half-written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.clocks import stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.workflow import apply
from suyuan.documents.choices import DocumentKind
from suyuan.documents.models import Document
from suyuan.documents.services import render_document
from suyuan.rules.calendar import add_months

from . import credit_rules, selectors
from .choices import EnforcementStatus
from .credit_choices import CreditMeasureKind, CreditMeasureStatus, GraceStatus
from .credit_hooks import GRACE_RULE, LISTING_RULE, open_decided_clock
from .credit_lifecycle import CREDIT_GRACE, CREDIT_MEASURE
from .models import CreditGrace, CreditMeasure, EnforcementCase

REASONS_MAX = 500


def _officer_case(actor: User, case_id: int, *, lock: bool = False) -> EnforcementCase:
    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("只有执行员可以决定信用惩戒措施和宽限期。")
    qs = selectors.visible_cases(actor).select_related("dispute", "court", "applicant", "respondent")
    if lock:
        qs = qs.select_for_update()
    case = qs.filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    if case.status != EnforcementStatus.OPEN:
        raise Conflict(f"执行案件 {case.number} 已结案，不能再采取或变更信用惩戒措施。")
    return case


def _text(value: str, field: str, label: str, limit: int = REASONS_MAX) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        message = f"请填写{label}（{limit} 字以内）。"
        raise InvalidInput(message, errors={field: [message]})
    return value


def _with_document(render: Callable[[], Document], write: Callable[[Document], Any]) -> Any:
    """Render the PDF, then write the decision; if the write fails the PDF goes too."""
    with transaction.atomic():
        document = render()
        try:
            return write(document)
        except Exception:
            document.file.storage.delete(document.file.name or "")
            raise


def running_grace(case: EnforcementCase) -> CreditGrace | None:
    return CreditGrace.objects.filter(case=case, status=GraceStatus.RUNNING).first()


# --- grace period -------------------------------------------------------------------------------

def open_grace(*, actor: User, origin: Origin, case_id: int, months: Any, reasons: str) -> CreditGrace:
    """The officer gives the debtor 1–3 months (rules: credit_grace) before any listing, with reasons."""
    case = _officer_case(actor, case_id)
    today = timezone.localdate()
    rule = credit_rules.grace_rules(today)
    try:
        months_n = int(months)
    except (TypeError, ValueError):
        months_n = 0
    if not rule.months_min <= months_n <= rule.months_max:
        message = f"宽限期应为 {rule.months_min} 至 {rule.months_max} 个月（{rule.citation}）。"
        raise InvalidInput(message, errors={"months": [message]})
    reasons = _text(reasons, "reasons", "给予宽限期的理由")
    if running_grace(case) is not None:
        raise Conflict("本案已有正在进行的宽限期，不能重复给予。")
    if CreditMeasure.objects.filter(case=case, kind=CreditMeasureKind.DISHONEST_LIST,
                                    status=CreditMeasureStatus.IN_FORCE).exists():
        raise Conflict(f"被执行人已被纳入失信被执行人名单，宽限期只能在纳入前给予（{rule.citation}）。")
    ends_on = add_months(today, months_n)
    basis = [(f"对被执行人可以给予{rule.months_min}至{rule.months_max}个月的宽限期，宽限期内暂不发布其失信信息，"
              "期满仍未履行的再依法纳入失信被执行人名单。", rule.citation)]

    def render() -> Document:
        return render_document(dispute=case.dispute, kind=DocumentKind.CREDIT_GRACE_NOTICE, actor=actor,
                               origin=origin, context={
                                   "case_number": case.number, "debtor": case.respondent.name,
                                   "creditor": case.applicant.name, "amount": case.amount, "months": months_n,
                                   "reasons": reasons, "notice_date": today, "grace_ends_on": ends_on,
                                   "legal_basis": basis})

    def write(document: Document) -> CreditGrace:
        locked = _officer_case(actor, case_id, lock=True)
        if running_grace(locked) is not None:
            raise Conflict("本案已有正在进行的宽限期，不能重复给予。")
        grace = CreditGrace.objects.create(case=locked, dispute=locked.dispute, months=months_n, reasons=reasons,
                                           starts_on=today, ends_on=ends_on, citation=rule.citation, opened_by=actor)
        open_decided_clock(dispute=locked.dispute, rule=GRACE_RULE, subject="失信惩戒宽限期",
                           object_ref=f"grace:{grace.pk}", start=today, due=ends_on, regime=rule.regime,
                           citation=rule.citation)
        append_event(
            dispute=locked.dispute, kind="credit_grace.opened", title="给予失信惩戒宽限期", actor=actor, origin=origin,
            summary=(f"执行案件 {locked.number}：给予被执行人 {months_n} 个月宽限期（至 {ends_on:%Y年%m月%d日}），"
                     f"理由：{reasons}。宽限期内履行完毕的不予纳入失信被执行人名单；期满未履行的，法院可以依法纳入。"
                     f"已制作《失信惩戒预警暨宽限期告知书》（{rule.citation}）"),
            data={"grace": grace.pk, "months": months_n, "ends_on": ends_on.isoformat(), "document": document.pk,
                  "citation": rule.citation},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="credit_grace",
                     target_id=grace.pk, detail={"case": locked.number, "months": months_n})
        return grace

    result: CreditGrace = _with_document(render, write)
    return result


def _grace_for(actor: User, grace_id: int) -> CreditGrace:
    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("只有执行员可以处理宽限期。")
    grace = CreditGrace.objects.select_related("case").filter(
        pk=grace_id, case__in=selectors.visible_cases(actor)).first()
    if grace is None:
        raise NotFound()
    return grace


def record_grace_performance(*, actor: User, origin: Origin, grace_id: int, note: str) -> CreditGrace:
    """The debtor performed within the grace period: nothing is listed, the restriction is lifted (第九条)."""
    grace = _grace_for(actor, grace_id)
    note = _text(note, "note", "履行情况说明", 300)

    def effect(row: CreditGrace) -> None:
        row.ended_at, row.outcome = timezone.now(), note

    with transaction.atomic():
        grace = apply(CREDIT_GRACE, grace, "perform", actor=actor, origin=origin, effect=effect,
                      summary=f"被执行人在宽限期内履行完毕（{note}），不予纳入失信被执行人名单。")
        stop_clock(dispute=grace.dispute, rule=GRACE_RULE, object_ref=f"grace:{grace.pk}")
        for measure in CreditMeasure.objects.filter(case=grace.case, status=CreditMeasureStatus.IN_FORCE):
            lift_measure(actor=actor, origin=origin, measure_id=measure.pk, ground="performed",
                         note=f"宽限期内履行完毕：{note}")
    return grace


def withdraw_grace(*, actor: User, origin: Origin, grace_id: int, reason: str) -> CreditGrace:
    grace = _grace_for(actor, grace_id)
    reason = _text(reason, "reason", "撤销宽限期的理由", 300)

    def effect(row: CreditGrace) -> None:
        row.ended_at, row.outcome = timezone.now(), reason

    with transaction.atomic():
        grace = apply(CREDIT_GRACE, grace, "withdraw", actor=actor, origin=origin, effect=effect,
                      summary=f"撤销宽限期：{reason}")
        stop_clock(dispute=grace.dispute, rule=GRACE_RULE, object_ref=f"grace:{grace.pk}", outcome="cancelled")
    return grace


# --- consumption restriction --------------------------------------------------------------------

def restrict_consumption(*, actor: User, origin: Origin, case_id: int, grounds: Sequence[str], reasons: str,
                         notice_due: date | None = None) -> CreditMeasure:
    """限制消费令 on a ground of 第一条; ``notice_due`` is the last day the enforcement notice gave."""
    case = _officer_case(actor, case_id)
    today = timezone.localdate()
    rules = credit_rules.restriction_rules(today)
    if not grounds:
        message = "请选择采取限制消费措施的法定情形。"
        raise InvalidInput(message, errors={"grounds": [message]})
    chosen = credit_rules.pick(rules.grounds, list(grounds), what="限制消费情形", field="grounds")
    reasons = _text(reasons, "reasons", "事实与理由")
    for ground in chosen:
        _check_restriction_ground(case, ground, notice_due, today)
    if CreditMeasure.objects.filter(case=case, kind=CreditMeasureKind.CONSUMPTION_RESTRICTION,
                                    status=CreditMeasureStatus.IN_FORCE).exists():
        raise Conflict("本案已对被执行人采取限制消费措施，不能重复发布限制消费令。")
    grace = running_grace(case)
    basis = [(f"被执行人{g.text}的，人民法院可以采取限制消费措施。", g.citation) for g in chosen]

    def render() -> Document:
        return render_document(dispute=case.dispute, kind=DocumentKind.CONSUMPTION_RESTRICTION_ORDER, actor=actor,
                               origin=origin, context={
                                   "case_number": case.number, "debtor": case.respondent.name,
                                   "creditor": case.applicant.name, "order_date": today,
                                   "ground_text": "；".join(g.text for g in chosen),
                                   "citations": "、".join(g.citation for g in chosen),
                                   "grace_ends_on": grace.ends_on if grace else None, "legal_basis": basis})

    def write(document: Document) -> CreditMeasure:
        locked = _officer_case(actor, case_id, lock=True)
        if CreditMeasure.objects.filter(case=locked, kind=CreditMeasureKind.CONSUMPTION_RESTRICTION,
                                        status=CreditMeasureStatus.IN_FORCE).exists():
            raise Conflict("本案已对被执行人采取限制消费措施，不能重复发布限制消费令。")
        measure = CreditMeasure.objects.create(
            case=locked, dispute=locked.dispute, kind=CreditMeasureKind.CONSUMPTION_RESTRICTION, grace=grace,
            grounds=[g.code for g in chosen], grounds_text="；".join(g.describe() for g in chosen),
            regime=rules.regime, reasons=reasons, starts_on=today, decided_by=actor, document=document,
        )
        append_event(
            dispute=locked.dispute, kind="credit_measure.decided", title="发布限制消费令", actor=actor, origin=origin,
            summary=(f"执行案件 {locked.number}：对被执行人{locked.respondent.name}采取限制消费措施，"
                     f"依据{measure.grounds_text}"),
            data={"measure": measure.pk, "kind": measure.kind, "grounds": measure.grounds, "document": document.pk},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="credit_measure",
                     target_id=measure.pk, detail={"case": locked.number, "kind": measure.kind,
                                                   "grounds": measure.grounds})
        return measure

    result: CreditMeasure = _with_document(render, write)
    return result


def _check_restriction_ground(case: EnforcementCase, ground: credit_rules.Ground, notice_due: date | None,
                              today: date) -> None:
    if ground.code == "notice_lapsed":
        if notice_due is None:
            message = f"请填写执行通知书指定的履行期限：{ground.describe()}以该期限届满为前提。"
            raise InvalidInput(message, errors={"notice_due": [message]})
        if today <= notice_due:
            message = (f"执行通知书指定的履行期限（{notice_due:%Y年%m月%d日}）尚未届满，不符合{ground.describe()}，"
                       "不能采取限制消费措施。")
            raise InvalidInput(message, errors={"notice_due": [message]})
    elif ground.code == "listed_dishonest" and not CreditMeasure.objects.filter(
            case=case, kind=CreditMeasureKind.DISHONEST_LIST, status=CreditMeasureStatus.IN_FORCE).exists():
        message = f"被执行人未被纳入失信被执行人名单，不能依据{ground.describe()}采取限制消费措施。"
        raise InvalidInput(message, errors={"grounds": [message]})


# --- ending a measure ---------------------------------------------------------------------------

def _measure_for(actor: User, measure_id: int) -> CreditMeasure:
    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("只有执行员可以解除或纠正信用惩戒措施。")
    measure = CreditMeasure.objects.select_related("case").filter(
        pk=measure_id, case__in=selectors.visible_cases(actor)).first()
    if measure is None:
        raise NotFound()
    return measure


def lift_measure(*, actor: User, origin: Origin, measure_id: int, ground: str, note: str = "") -> CreditMeasure:
    """Lift a restriction (第九条) or remove a listing early (第十条) on a ground the rules in force name."""
    measure = _measure_for(actor, measure_id)
    today = timezone.localdate()
    if measure.kind == CreditMeasureKind.CONSUMPTION_RESTRICTION:
        table, what = credit_rules.restriction_rules(today).lift_grounds, "解除限制消费的情形"
    else:
        table, what = credit_rules.listing_rules(today).removal_grounds, "删除失信信息的情形"
    (chosen,) = credit_rules.pick(table, [ground], what=what, field="ground")
    note = (note or "").strip()[:300]

    def effect(row: CreditMeasure) -> None:
        row.end_ground, row.end_citation, row.end_note, row.ended_at = (
            chosen.code, chosen.citation, note, timezone.now())

    with transaction.atomic():
        summary = f"{measure.get_kind_display()}解除/删除：{chosen.describe()}" + (f"，{note}" if note else "")
        measure = apply(CREDIT_MEASURE, measure, "lift", actor=actor, origin=origin, effect=effect, summary=summary,
                        data={"ground": chosen.code, "citation": chosen.citation})
        stop_clock(dispute=measure.dispute, rule=LISTING_RULE, object_ref=f"measure:{measure.pk}", outcome="cancelled")
    return measure


def correct_measure(*, actor: User, origin: Origin, measure_id: int, note: str) -> CreditMeasure:
    """A measure taken in error is revoked (纠正错误), e.g. on the debtor's review request (第十二条)."""
    measure = _measure_for(actor, measure_id)
    note = _text(note, "note", "纠正理由", 300)

    def effect(row: CreditMeasure) -> None:
        row.end_ground, row.end_note, row.ended_at = "error", note, timezone.now()

    with transaction.atomic():
        measure = apply(CREDIT_MEASURE, measure, "correct", actor=actor, origin=origin, effect=effect,
                        summary=f"{measure.get_kind_display()}因错误撤销：{note}")
        stop_clock(dispute=measure.dispute, rule=LISTING_RULE, object_ref=f"measure:{measure.pk}", outcome="cancelled")
        if measure.kind == CreditMeasureKind.DISHONEST_LIST:
            _correct_restrictions_resting_on(measure, actor=actor, origin=origin, effect=effect)
    return measure


def _correct_restrictions_resting_on(listing: CreditMeasure, *, actor: User, origin: Origin,
                                     effect: Callable[[CreditMeasure], None]) -> None:
    """A restriction whose only ground was the listing falls with the listing revoked in error."""
    for restriction in CreditMeasure.objects.filter(case=listing.case, kind=CreditMeasureKind.CONSUMPTION_RESTRICTION,
                                                    status=CreditMeasureStatus.IN_FORCE):
        ground = credit_rules.restriction_rules(restriction.starts_on).on_listing
        if ground is not None and restriction.grounds == [ground.code]:
            apply(CREDIT_MEASURE, restriction, "correct", actor=actor, origin=origin, effect=effect,
                  summary=f"限制消费的唯一依据（{ground.describe()}）因失信名单错误撤销而不复存在，一并撤销。")
