"""Writes of the enforcement app: performance plans, payments, default, enforcement cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.sequences import next_value
from suyuan.disputes.choices import ClockStatus, DisputeStatus
from suyuan.disputes.clocks import start_clock, stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock, Dispute, DisputeParty
from suyuan.disputes.workflow import apply
from suyuan.litigation.models import format_case_number
from suyuan.rules.calendar import CalendarUnknown

from . import selectors
from .choices import InstalmentStatus, PerformanceSource, PlanStatus
from .deadlines import RULE as ENFORCEMENT_RULE
from .deadlines import enforcement_period
from .lifecycle import ENFORCEMENT_CASE, INSTALMENT, PLAN
from .models import EnforcementCase, Instalment, PerformancePlan

# Clocks on agreed due dates. An instalment's due date is contractual (or fixed by the judgment),
# not a legal period, so it has no rules entry: the clock carries the agreed date itself.
INSTALMENT_RULE = "instalment_due"
CASE_TYPE = "执"


def _money(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[field] = ["请填写金额（元），如 3000.00。"]
        return None
    if amount <= 0:
        errors[field] = ["金额必须大于零。"]
        return None
    return amount


def _parse_performance(dispute: Dispute, data: Any) -> dict[str, Any]:
    """Validate the "performance" payload (docs/workflow-contracts.md); list every error at once."""
    errors: dict[str, list[str]] = {}
    if not isinstance(data, dict):
        raise InvalidInput("履行方案格式有误。", errors={"performance": ["履行方案格式有误。"]})
    total = _money(data.get("total"), "performance.total", errors)
    source = data.get("source", "")
    if source not in PerformanceSource.values:
        errors["performance.source"] = ["履行依据无效。"]
    party_ids = set(DisputeParty.objects.filter(dispute=dispute).values_list("party_id", flat=True))
    obligor, obligee = data.get("obligor_party_id"), data.get("obligee_party_id")
    for key, value in (("obligor_party_id", obligor), ("obligee_party_id", obligee)):
        if value not in party_ids:
            errors[f"performance.{key}"] = ["必须是本纠纷的当事人。"]
    if obligor is not None and obligor == obligee:
        errors["performance.obligee_party_id"] = ["权利人与义务人不能是同一当事人。"]
    raw_rows = data.get("instalments") or []
    rows = _parse_instalments(raw_rows, errors)
    if total is not None and len(rows) == len(raw_rows) and rows and sum(a for _, a in rows) != total:
        errors["performance.total"] = [f"各期金额合计 {sum(a for _, a in rows)} 元与总额 {total} 元不符。"]
    if errors:
        raise InvalidInput("履行方案有误，请修改后重新提交。", errors=errors)
    return {"total": total, "source": source, "obligor": obligor, "obligee": obligee, "rows": rows}


def _parse_instalments(raw_rows: Any, errors: dict[str, list[str]]) -> list[tuple[date, Decimal]]:
    if not isinstance(raw_rows, list) or not raw_rows:
        errors["performance.instalments"] = ["请至少填写一期履行期限和金额。"]
        return []
    rows: list[tuple[date, Decimal]] = []
    for n, row in enumerate(raw_rows, start=1):
        field = f"performance.instalments.{n}"
        try:
            due = date.fromisoformat(str(row.get("due", "")))
        except (ValueError, AttributeError):
            errors[f"{field}.due"] = [f"第{n}期履行期限应为 YYYY-MM-DD 格式的日期。"]
            continue
        amount = _money(row.get("amount"), f"{field}.amount", errors)
        if amount is not None:
            rows.append((due, amount))
    if any(b[0] <= a[0] for a, b in pairwise(rows)):
        errors["performance.instalments"] = ["各期履行期限应按时间先后排列且不重复。"]
    return rows


def create_plan(
    *, dispute: Dispute, performance: dict[str, Any], actor: User | None, origin: Origin
) -> PerformancePlan:
    """Create the plan and its instalments' clocks; runs inside the dispute's "performing" step."""
    data = _parse_performance(dispute, performance)
    with transaction.atomic():
        if PerformancePlan.objects.filter(dispute=dispute).exists():
            raise Conflict("该纠纷已有履行方案。")
        plan = PerformancePlan.objects.create(
            dispute=dispute, source=data["source"], obligor_id=data["obligor"], obligee_id=data["obligee"],
            total=data["total"],
        )
        label = PerformanceSource(plan.source).label
        for n, (due, amount) in enumerate(data["rows"], start=1):
            instalment = Instalment.objects.create(plan=plan, position=n, due=due, amount=amount)
            Clock.objects.create(
                dispute=dispute, rule=INSTALMENT_RULE, subject=f"第{n}期履行期限（{amount} 元）",
                object_ref=f"instalment:{instalment.pk}", regime="约定履行期限",
                citation=f"{label}确定的履行期限（约定期限，非法定期间）",
                started_on=timezone.localdate(), due_on=due,
            )
        append_event(
            dispute=dispute, kind="performance.created", title="建立履行方案", actor=actor, origin=origin,
            summary=f"依{label}履行，共 {len(data['rows'])} 期，合计 {plan.total} 元",
            data={"plan": plan.pk, "total": str(plan.total), "instalments": len(data["rows"])},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="performance_plan",
                     target_id=plan.pk, detail={"dispute": dispute.number})
    return plan


def _side(actor: User, plan: PerformancePlan, side: str) -> None:
    """A party may act only for their own side of the obligation; court staff for either."""
    if actor.role != Role.PARTY:
        return
    expected = plan.obligor_id if side == "obligor" else plan.obligee_id
    if actor.party_id != expected:
        raise NotPermitted(
            "只有义务人本人可以报告付款。" if side == "obligor" else "只有权利人本人可以确认收款或申请执行。"
        )


def _open_instalment(actor: User, instalment_id: int) -> Instalment:
    found = selectors.visible_instalments(actor).select_related("plan__dispute").filter(pk=instalment_id)
    instalment = found.first()
    if instalment is None:
        raise NotFound()
    if instalment.plan.status == PlanStatus.ENFORCEMENT_APPLIED:
        raise Conflict("已申请强制执行，履行情况请向执行法院报告。")
    if instalment.plan.status == PlanStatus.PERFORMED:
        raise Conflict("该履行方案已履行完毕。")
    return instalment


def report_payment(*, instalment_id: int, actor: User, amount: str, origin: Origin, note: str = "") -> Instalment:
    instalment = _open_instalment(actor, instalment_id)
    _side(actor, instalment.plan, "obligor")
    errors: dict[str, list[str]] = {}
    paid = _money(amount, "amount", errors)
    if paid is not None and paid > instalment.remaining:
        errors["amount"] = [f"本期尚欠 {instalment.remaining} 元，报告金额不能超过该数。"]
    if len(note) > 200:
        errors["note"] = ["付款说明不得超过 200 字。"]
    if errors:
        raise InvalidInput("付款报告有误。", errors=errors)

    def effect(locked: Instalment) -> None:
        locked.reported_amount = paid
        locked.report_note = note.strip()
        locked.reported_at = timezone.now()

    return apply(INSTALMENT, instalment, "report_payment", actor=actor, origin=origin, effect=effect,
                 summary=f"报告第{instalment.position}期付款 {paid} 元", data={"amount": str(paid)})


def _overdue_again(instalment: Instalment) -> Instalment:
    """Back to pending after the agreed date: the default the sweep recorded still stands."""
    if instalment.status == InstalmentStatus.PENDING and instalment.due < timezone.localdate():
        return apply(INSTALMENT, instalment, "mark_overdue", actor=None, origin=WORKER)
    return instalment


def confirm_payment(*, instalment_id: int, actor: User, origin: Origin) -> Instalment:
    """The obligee confirms receipt; the last confirmed payment completes the plan and the dispute."""
    instalment = _open_instalment(actor, instalment_id)
    _side(actor, instalment.plan, "obligee")
    with transaction.atomic():
        locked = Instalment.objects.select_for_update().select_related("plan__dispute").get(pk=instalment.pk)
        if locked.status != InstalmentStatus.REPORTED or locked.reported_amount is None:
            raise Conflict("该期没有待确认的付款报告，请刷新页面查看最新状态。")
        received = locked.reported_amount
        new_paid = min(locked.paid_amount + received, locked.amount)
        action = "confirm_payment" if new_paid >= locked.amount else "confirm_partial"

        def effect(row: Instalment) -> None:
            row.paid_amount = new_paid
            row.confirmed_at = timezone.now()
            row.reported_amount = None

        done = apply(INSTALMENT, locked, action, actor=actor, origin=origin, effect=effect,
                     summary=f"确认收到第{locked.position}期款项 {received} 元", data={"amount": str(received)})
        plan = done.plan
        if action == "confirm_payment":
            stop_clock(dispute=plan.dispute, rule=INSTALMENT_RULE, object_ref=f"instalment:{done.pk}")
        else:
            done = _overdue_again(done)
        if not plan.instalments.exclude(status=InstalmentStatus.PAID).exists():
            _complete(plan, actor, origin)
    return done


def _complete(plan: PerformancePlan, actor: User | None, origin: Origin) -> None:
    apply(PLAN, plan, "mark_performed", actor=actor, origin=origin, summary=f"履行完毕，合计 {plan.total} 元")
    stop_clock(dispute=plan.dispute, rule=ENFORCEMENT_RULE, object_ref=f"plan:{plan.pk}",
               outcome=ClockStatus.CANCELLED)
    dispute = Dispute.objects.get(pk=plan.dispute_id)
    if dispute.status == DisputeStatus.PERFORMING:
        apply(DISPUTE, dispute, "confirm_performance", actor=actor, origin=origin)


def reject_payment(*, instalment_id: int, actor: User, origin: Origin, reason: str) -> Instalment:
    instalment = _open_instalment(actor, instalment_id)
    _side(actor, instalment.plan, "obligee")
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise InvalidInput("请填写退回理由（200 字以内）。", errors={"reason": ["请填写退回理由（200 字以内）。"]})

    def effect(row: Instalment) -> None:
        row.reported_amount = None

    with transaction.atomic():
        done = apply(INSTALMENT, instalment, "reject_report", actor=actor, origin=origin, effect=effect,
                     summary=f"未收到第{instalment.position}期款项，退回付款报告：{reason}")
        return _overdue_again(done)


def on_instalment_due(clock: Clock) -> None:
    """Expiry handler (clocks sweep): an instalment still unpaid after its agreed date is a default."""
    instalment = Instalment.objects.select_related("plan").filter(pk=int(clock.object_ref.split(":")[1])).first()
    if instalment is None or instalment.status != InstalmentStatus.PENDING:
        # Paid, or reported and waiting for the obligee: no default unless the report is rejected.
        return
    apply(INSTALMENT, instalment, "mark_overdue", actor=None, origin=WORKER)
    plan = PerformancePlan.objects.select_for_update().get(pk=instalment.plan_id)
    last = max(plan.last_default_due or instalment.due, instalment.due)
    if plan.status == PlanStatus.PERFORMING:

        def effect(row: PerformancePlan) -> None:
            row.last_default_due = last

        apply(PLAN, plan, "default", actor=None, origin=WORKER, effect=effect,
              summary=f"第{instalment.position}期（{instalment.due}，{instalment.amount} 元）逾期未履行，"
              "权利人可申请强制执行")
    else:
        PerformancePlan.objects.filter(pk=plan.pk).update(last_default_due=last)
    _start_enforcement_clock(plan.dispute, plan.pk, last)


def _start_enforcement_clock(dispute: Dispute, plan_id: int, start: date) -> None:
    ref = f"plan:{plan_id}"
    try:
        start_clock(dispute=dispute, rule=ENFORCEMENT_RULE, start=start, subject="申请强制执行期间", object_ref=ref)
    except CalendarUnknown:
        # Two years ahead is past the published holiday calendar: keep the nominal last day.
        period = enforcement_period(start)
        Clock.objects.filter(dispute=dispute, rule=ENFORCEMENT_RULE, object_ref=ref,
                             status=ClockStatus.OPEN).update(status=ClockStatus.CANCELLED, closed_at=timezone.now())
        Clock.objects.create(dispute=dispute, rule=ENFORCEMENT_RULE, subject="申请强制执行期间", object_ref=ref,
                             regime=period.regime, citation=period.citation, started_on=start, due_on=period.due)


def apply_for_enforcement(*, plan_id: int, actor: User, origin: Origin) -> EnforcementCase:
    """Default → one step: the dispute moves to enforcement and the case is numbered (see hooks)."""
    plan = selectors.visible_plans(actor).select_related("dispute").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    _side(actor, plan, "obligee")
    with transaction.atomic():
        apply(DISPUTE, plan.dispute, "apply_enforcement", actor=actor, origin=origin, payload={"plan": plan.pk})
    return EnforcementCase.objects.get(plan=plan)


def open_enforcement_case(*, plan: PerformancePlan, actor: User | None, origin: Origin) -> EnforcementCase:
    """Called by the dispute hook inside the "apply_enforcement" step: plan step, number, case."""
    if actor is None:
        raise NotPermitted("强制执行须由权利人或法院工作人员申请。")
    _side(actor, plan, "obligee")
    today = timezone.localdate()
    plan = apply(PLAN, plan, "apply_enforcement", actor=actor, origin=origin)
    unpaid = [i for i in plan.instalments.all() if i.status != InstalmentStatus.PAID and i.due < today]
    # Each instalment's period runs from its own last day: instalments already out of time are left out.
    in_time = [i for i in unpaid if not enforcement_period(i.due).expired(today)]
    amount = sum((i.remaining for i in in_time), Decimal("0"))
    if amount <= 0:
        raise Conflict("没有在申请执行期间内的逾期款项，不能申请强制执行。")
    court = plan.dispute.court
    if not court.court_code:
        raise Conflict("管辖法院没有案号代字，无法编立执行案号。")
    serial = next_value(f"case_number:{court.court_code}:{today.year}:{CASE_TYPE}")
    period = enforcement_period(plan.last_default_due or in_time[-1].due)
    case = EnforcementCase.objects.create(
        plan=plan, dispute=plan.dispute, court=court, year=today.year, serial=serial,
        number=format_case_number(year=today.year, court_code=court.court_code, case_type=CASE_TYPE, serial=serial),
        applicant=plan.obligee, respondent=plan.obligor, amount=amount, applied_at=timezone.now(),
        applied_by=actor, period_citation=period.citation,
    )
    skipped = len(unpaid) - len(in_time)
    append_event(
        dispute=plan.dispute, kind="enforcement.registered", title="执行立案", actor=actor, origin=origin,
        summary=f"申请强制执行，执行案号 {case.number}，申请执行标的 {amount} 元"
        + (f"（另有 {skipped} 期已超过申请执行期间，未列入）" if skipped else "")
        + ("" if period.certain else "；申请执行期间届满日的节假日顺延尚无法核实，请人工核对"),
        data={"case": case.pk, "number": case.number, "amount": str(amount), "citation": period.citation},
    )
    record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="enforcement_case",
                 target_id=case.pk, detail={"dispute": plan.dispute.number, "number": case.number})
    stop_clock(dispute=plan.dispute, rule=ENFORCEMENT_RULE, object_ref=f"plan:{plan.pk}")
    return case


def conclude_enforcement(*, case_id: int, actor: User, origin: Origin, outcome: str) -> EnforcementCase:
    case = selectors.visible_cases(actor).select_related("dispute").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    outcome = outcome.strip()
    if not outcome or len(outcome) > 200:
        raise InvalidInput("请填写结案情况（200 字以内）。", errors={"outcome": ["请填写结案情况（200 字以内）。"]})
    with transaction.atomic():
        apply(DISPUTE, case.dispute, "conclude_enforcement", actor=actor, origin=origin, payload={"outcome": outcome})
    case.refresh_from_db()
    return case


def close_case(*, case: EnforcementCase, actor: User | None, origin: Origin, outcome: str) -> EnforcementCase:
    def effect(row: EnforcementCase) -> None:
        row.outcome = outcome[:200]
        row.concluded_at = timezone.now()

    return apply(ENFORCEMENT_CASE, case, "conclude", actor=actor, origin=origin, effect=effect,
                 summary=f"执行案件 {case.number} 结案：{outcome[:200]}")
