"""Court fees: the notice to pay (7 days), half-fee grounds, and fee relief (缓减免) with its decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict, InvalidInput, NotFound
from suyuan.disputes import clocks
from suyuan.rules import thresholds

from .casework import COURT_ROLES, _event, _lock_case, _parse_amount, _require_role
from .choices import FeeStatus, ReliefDecision, ReliefKind
from .models import FeeNotice, FeeRelief


def notify_fee(*, actor: User, origin: Origin, case_id: int, amount: str | Decimal, half_fee_ground: str = "",
               notified_on: date | None = None) -> FeeNotice:
    """Notify the fee due; the 7-day payment period (诉讼费用交纳办法 第二十二条) runs from the notice."""
    _require_role(actor, COURT_ROLES, "通知交纳诉讼费用")
    value = _parse_amount(amount)
    if value is None:
        raise InvalidInput("请填写应交金额。", errors={"amount": ["请填写应交金额。"]})
    on = notified_on or timezone.localdate()
    grounds = {g.code: g for g in thresholds.half_fee_grounds(on)}
    if half_fee_ground and half_fee_ground not in grounds:
        raise InvalidInput("减半收取的事由不在法定范围内。", errors={"half_fee_ground": ["请选择法定事由。"]})
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if case.fee_notices.filter(status=FeeStatus.NOTIFIED).exists():
            raise Conflict("本案已有尚未交纳的交费通知。")
        clock = clocks.start_clock(dispute=case.dispute, rule="fee_payment", start=on, subject="交纳诉讼费用期限",
                                   object_ref=f"case:{case.pk}")
        notice = FeeNotice.objects.create(case=case, amount=value, half_fee_ground=half_fee_ground, notified_on=on,
                                          notified_by=actor, due=clock.due_on, citation=clock.citation)
        chosen = grounds.get(half_fee_ground)
        ground = f"（{chosen.label}，减半收取，{chosen.citation}）" if chosen else ""
        _event(case, kind="case.fee_notice", title="通知交纳诉讼费用", actor=actor, origin=origin,
               summary=f"应交 {value} 元{ground}，于 {clock.due_on} 前交纳（{clock.citation}）",
               data={"amount": str(value), "due": clock.due_on.isoformat()})
    return notice


def record_fee_payment(*, actor: User, origin: Origin, notice_id: int, paid_on: date | None = None) -> FeeNotice:
    _require_role(actor, COURT_ROLES, "登记交费")
    with transaction.atomic():
        notice = FeeNotice.objects.filter(pk=notice_id).first()
        if notice is None:
            raise NotFound()
        case = _lock_case(actor, notice.case_id)
        notice = FeeNotice.objects.select_for_update().get(pk=notice_id)
        if notice.status == FeeStatus.PAID:
            raise Conflict("该笔诉讼费用已登记交纳。")
        notice.status, notice.paid_on = FeeStatus.PAID, paid_on or timezone.localdate()
        notice.save(update_fields=["status", "paid_on"])
        clocks.stop_clock(dispute=case.dispute, rule="fee_payment", object_ref=f"case:{case.pk}")
        _event(case, kind="case.fee_paid", title="交纳诉讼费用", actor=actor, origin=origin,
               summary=f"已交纳诉讼费用 {notice.amount} 元（{notice.paid_on}）")
    return notice


def apply_fee_relief(*, actor: User, origin: Origin, case_id: int, kind: str, grounds: str) -> FeeRelief:
    """A party (or the clerk on their behalf) applies to defer, reduce or waive the fee."""
    _require_role(actor, {Role.PARTY, Role.CLERK}, "申请缓减免诉讼费用")
    errors = {}
    if kind not in ReliefKind.values:
        errors["kind"] = ["请选择缓交、减交或免交。"]
    if not grounds.strip():
        errors["grounds"] = ["请写明申请理由（如经济困难的情况）。"]
    if errors:
        raise InvalidInput("申请信息不完整。", errors=errors)
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if case.fee_reliefs.filter(decision=ReliefDecision.PENDING).exists():
            raise Conflict("已有待审查的缓减免申请。")
        relief = FeeRelief.objects.create(case=case, kind=kind, grounds=grounds.strip(), applied_by=actor,
                                          applied_at=timezone.now())
        _event(case, kind="case.fee_relief", title="申请缓减免诉讼费用", actor=actor, origin=origin,
               summary=f"申请{relief.get_kind_display()}诉讼费用", data={"relief": relief.pk})
    return relief


def decide_fee_relief(*, actor: User, origin: Origin, relief_id: int, granted: bool, reason: str) -> FeeRelief:
    _require_role(actor, COURT_ROLES, "审查缓减免申请")
    if not granted and not reason.strip():
        raise InvalidInput("不准许的，应当说明理由。", errors={"reason": ["请填写不准许的理由。"]})
    with transaction.atomic():
        relief = FeeRelief.objects.filter(pk=relief_id).first()
        if relief is None:
            raise NotFound()
        case = _lock_case(actor, relief.case_id)
        relief = FeeRelief.objects.select_for_update().get(pk=relief_id)
        if relief.decision != ReliefDecision.PENDING:
            raise Conflict("该申请已经审查。")
        relief.decision = ReliefDecision.GRANTED if granted else ReliefDecision.REFUSED
        relief.decision_reason, relief.decided_by, relief.decided_at = reason.strip(), actor, timezone.now()
        relief.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        _event(case, kind="case.fee_relief_decided", title="缓减免申请审查", actor=actor, origin=origin,
               summary=f"{relief.get_kind_display()}申请：{relief.get_decision_display()}"
                       f"{('。' + relief.decision_reason[:200]) if relief.decision_reason else ''}")
    return relief
