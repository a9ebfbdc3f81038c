"""Writes of the enforcement app: performance plans, payments, default.

The enforcement case itself: ``opening``, ``tracks``, ``settlement``, ``conclusion``, ``objections``.
"""

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
from suyuan.disputes.choices import ClockStatus, DisputeStatus
from suyuan.disputes.clocks import start_clock, stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock, Dispute, DisputeParty
from suyuan.disputes.workflow import apply
from suyuan.rules.calendar import CalendarUnknown

from . import selectors
from .choices import EnforcementStatus, InstalmentStatus, PerformanceSource, PlanStatus
from .deadlines import RULE as ENFORCEMENT_RULE
from .deadlines import enforcement_period
from .lifecycle import INSTALMENT, PLAN
from .models import EnforcementCase, Instalment, PerformancePlan

# Clocks on agreed due dates. An instalment's due date is contractual (or fixed by the judgment),
# not a legal period, so it has no rules entry: the clock carries the agreed date itself.
INSTALMENT_RULE = "instalment_due"


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
    *, dispute: Dispute, performance: dict[str, Any], actor: User | None, origin: Origin,
    settlement: bool = False,
) -> PerformancePlan:
    """Create the plan and its instalments' clocks; runs inside the dispute's "performing" step.

    ``settlement``: the plan of a 执行和解协议 (``settlement.enter_settlement``), the only kind a
    dispute may have more than one of.
    """
    data = _parse_performance(dispute, performance)
    settled = data["source"] == PerformanceSource.ENFORCEMENT_SETTLEMENT
    if settled != settlement:
        raise InvalidInput("履行依据无效。", errors={"performance.source": ["执行和解协议只能在执行案件中达成。"]})
    with transaction.atomic():
        if not settlement and selectors.original_plans().filter(dispute=dispute).exists():
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
    if (instalment.plan.source == PerformanceSource.ENFORCEMENT_SETTLEMENT
            and not EnforcementCase.objects.filter(settlement_plan=instalment.plan,
                                                   status=EnforcementStatus.SETTLEMENT).exists()):
        raise Conflict("执行和解已不在履行中（已恢复执行或已结案），履行情况请向执行法院报告。")
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
    if plan.source == PerformanceSource.ENFORCEMENT_SETTLEMENT:
        from .settlement import on_settlement_performed

        on_settlement_performed(plan, actor=actor, origin=origin)
        return
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

        settled = plan.source == PerformanceSource.ENFORCEMENT_SETTLEMENT
        apply(PLAN, plan, "default", actor=None, origin=WORKER, effect=effect,
              summary=f"第{instalment.position}期（{instalment.due}，{instalment.amount} 元）逾期未履行，"
              + ("申请执行人可申请恢复执行（民诉法解释第四百六十五条）" if settled else "权利人可申请强制执行"))
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
