"""Measures of a preservation recorded by the clerk: freeze / seize / distrain an asset, renew, substitute.

These are measures taken outside the network (a written 协助执行通知书 served by hand) and recorded here.
Measures placed through the registries are ``assets.Measure`` rows of holder ``preservation:<pk>``; they
count as the preservation's measures too (``asset_measures.py``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import start_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Clock
from suyuan.disputes.workflow import apply
from suyuan.rules import periods

from . import expiry
from .choices import AssetKind, MeasureKind, MeasureStatus, PreservationKind, PreservationStatus
from .legal import LAPSE, measure_rule, rules_on
from .lifecycle import PRESERVATION
from .models import Preservation, PreservationMeasure
from .services import _court_of, money

OPEN = (PreservationStatus.GRANTED, PreservationStatus.IN_FORCE, PreservationStatus.FOLLOWING)


def _lock_in_court(actor: User, preservation_id: int) -> Preservation:
    court = _court_of(actor)
    p = Preservation.objects.select_for_update().select_related("dispute").filter(
        pk=preservation_id, court=court).first()
    if p is None:
        raise NotFound()
    return p


def over_claim(p: Preservation, adding: Decimal) -> Decimal:
    """How far the active measures plus ``adding`` go beyond the amount preserved (0 when within)."""
    return max(p.active_total + adding - p.amount, Decimal("0"))


def place_measure(*, actor: User, origin: Origin, preservation_id: int, asset_kind: str, asset: str, kind: str,
                  amount: str, over_reason: str = "", starts_on: date | None = None) -> PreservationMeasure:
    """Record a measure taken; the first one puts the preservation in force and starts the 30 days."""
    errors: dict[str, list[str]] = {}
    if asset_kind not in AssetKind.values:
        errors["asset_kind"] = ["请选择财产类型。"]
    if kind not in MeasureKind.values:
        errors["kind"] = ["请选择保全措施（冻结、查封或扣押）。"]
    asset = asset.strip()
    if not asset or len(asset) > 200:
        errors["asset"] = ["请填写被保全的财产（200 字以内），如开户行及账号尾号、不动产权证号。"]
    value = money(amount, "amount", errors)
    if errors:
        raise InvalidInput("保全措施有误，请修改后重新提交。", errors=errors)
    assert value is not None
    today = timezone.localdate()
    start = starts_on or today
    with transaction.atomic():
        p = _lock_in_court(actor, preservation_id)
        if p.status not in OPEN:
            raise Conflict(f"当前状态为“{p.get_status_display()}”，不能采取保全措施。")
        excess = over_claim(p, value)
        if excess and not over_reason.strip():
            # 超标的查封: the whole step is refused, nothing is written.
            message = (f"保全措施合计将超过请求保全的金额 {p.amount} 元（超出 {excess} 元）。保全限于请求的范围"
                       f"（{rules_on(today).scope_citation}），确需超出的（如财产不可分），请写明理由。")
            raise InvalidInput(message, errors={"over_reason": [message]})
        rule = measure_rule(asset_kind, kind)
        ends_on = periods.compute(rule, start=start).due
        measure = PreservationMeasure.objects.create(
            preservation=p, asset_kind=asset_kind, asset=asset, kind=kind, amount=value, starts_on=start,
            ends_on=ends_on, over_reason=over_reason.strip()[:300] if excess else "", placed_by=actor,
        )
        expiry.start_measure_clock(measure)
        summary = f"{measure.get_kind_display()}{asset} {value} 元，期限至 {ends_on}"
        if p.status == PreservationStatus.GRANTED:
            put_in_force(p, actor=actor, origin=origin, start=start, summary=summary, data={"measure": measure.pk})
        else:
            append_event(dispute=p.dispute, kind="preservation.measure", title="采取保全措施", actor=actor,
                         origin=origin, summary=summary, data={"preservation": p.pk, "measure": measure.pk})
        if excess:
            record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="preservation_measure",
                         target_id=measure.pk, detail={"over_claim": str(excess), "reason": measure.over_reason})
    return measure


def put_in_force(p: Preservation, *, actor: User | None, origin: Origin, start: date, summary: str,
                 data: dict[str, object]) -> None:
    """The first measure: the preservation is in force, and a pre-suit one's 30 days run from ``start``."""
    def effect(row: Preservation) -> None:
        row.measures_taken_on = start

    apply(PRESERVATION, p, "take_measures", actor=actor, origin=origin, effect=effect, summary=summary, data=data)
    if p.kind == PreservationKind.PRE_SUIT:
        start_clock(dispute=p.dispute, rule=LAPSE, start=start,
                    subject="诉前保全后起诉或申请仲裁期限（30日）", object_ref=p.ref)


def _lock_measure(actor: User, measure_id: int, *, renewable: bool = False) -> PreservationMeasure:
    """The measure, locked, in the actor's court; only an active one may be acted on, except that a
    measure carried into enforcement may still be renewed (``renewable``), by the enforcement officer too."""
    if renewable and actor.role == Role.ENFORCEMENT:
        court = actor.organisation.court() if actor.organisation else None
        if court is None:
            raise NotFound()
    else:
        court = _court_of(actor)
    m = PreservationMeasure.objects.select_for_update().select_related("preservation__dispute").filter(
        pk=measure_id, preservation__court=court).first()
    if m is None:
        raise NotFound()
    if renewable and actor.role == Role.ENFORCEMENT:
        allowed: tuple[str, ...] = (MeasureStatus.TRANSFERRED,)  # the officer renews what enforcement carries
    elif renewable:
        allowed = (MeasureStatus.ACTIVE, MeasureStatus.TRANSFERRED)
    else:
        allowed = (MeasureStatus.ACTIVE,)
    if m.status not in allowed:
        raise Conflict(f"该措施{m.get_status_display()}，不能再操作。")
    return m


def renew_measure(*, actor: User, origin: Origin, measure_id: int) -> PreservationMeasure:
    """续行: a new period of the same length from the day after the current one ends, applied for before
    it ends. A measure carried into enforcement runs on there and is renewed the same way, also by the
    enforcement officer."""
    with transaction.atomic():
        m = _lock_measure(actor, measure_id, renewable=True)
        rule = measure_rule(m.asset_kind, m.kind)
        if m.ends_on < timezone.localdate() and not _provisional_end(m):
            citation = periods.compute(rule, start=m.ends_on).citation
            raise Conflict(f"该措施已于 {m.ends_on} 届满，不能续行（续行须在期限届满前办理，{citation}）；"
                           "如需继续控制该财产，请重新采取保全措施。")
        previous_end = m.ends_on
        deadline = periods.compute(rule, start=previous_end)
        m.ends_on = deadline.due  # type: ignore[assignment]
        m.renewals += 1
        m.save(update_fields=["ends_on", "renewals"])
        expiry.start_measure_clock(m, start=previous_end)
        append_event(dispute=m.preservation.dispute, kind="preservation.renew", title="续行保全措施", actor=actor,
                     origin=origin, summary=f"续行{m.get_kind_display()}{m.asset}至 {m.ends_on}（{deadline.citation}）",
                     data={"preservation": m.preservation_id, "measure": m.pk})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="preservation_measure",
                     target_id=m.pk, detail={"renewed_to": m.ends_on.isoformat(), "renewals": m.renewals})
    return m


def _provisional_end(m: PreservationMeasure) -> bool:
    """The current period's end was counted on a holiday schedule not yet published: not a date to refuse on."""
    return Clock.objects.filter(object_ref=expiry.ref(m), status__in=[ClockStatus.OPEN, ClockStatus.OVERDUE],
                                due_on=m.ends_on, provisional=True).exists()


def substitute_asset(*, actor: User, origin: Origin, measure_id: int, asset_kind: str, asset: str, value: str,
                     reason: str) -> PreservationMeasure:
    """The respondent offers other property of equal value (善意文明: e.g. spare a business's operating account)."""
    errors: dict[str, list[str]] = {}
    worth = money(value, "value", errors)
    if asset_kind not in AssetKind.values:
        errors["asset_kind"] = ["请选择财产类型。"]
    if not asset.strip():
        errors["asset"] = ["请填写替换的财产。"]
    if not reason.strip():
        errors["reason"] = ["请填写被申请人的申请理由。"]
    if errors:
        raise InvalidInput("变更保全标的物的申请有误。", errors=errors)
    assert worth is not None
    with transaction.atomic():
        old = _lock_measure(actor, measure_id)
        citation = rules_on(timezone.localdate()).substitution_citation
        if worth < old.amount:
            raise InvalidInput(f"替换财产价值 {worth} 元低于原保全金额 {old.amount} 元，不能变更保全标的物"
                               f"（须提供其他等值担保财产，{citation}）。", errors={"value": ["替换财产价值不足。"]})
        kind = MeasureKind.FREEZE if asset_kind in (AssetKind.BANK, AssetKind.ONLINE_PAYMENT) else MeasureKind.SEIZE
        start = timezone.localdate()
        ends_on = periods.compute(measure_rule(asset_kind, kind), start=start).due
        new = PreservationMeasure.objects.create(
            preservation=old.preservation, asset_kind=asset_kind, asset=asset.strip()[:200], kind=kind,
            amount=old.amount, starts_on=start, ends_on=ends_on,
            substitute_for=old, placed_by=actor,
        )
        old.status = MeasureStatus.SUBSTITUTED
        old.ended_at = timezone.now()
        old.ended_by = actor
        old.end_reason = reason.strip()[:300]
        old.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
        expiry.stop_measure_clock(old)
        expiry.start_measure_clock(new)
        append_event(dispute=old.preservation.dispute, kind="preservation.substitute", title="变更保全标的物",
                     actor=actor, origin=origin,
                     summary=f"解除{old.get_kind_display()}{old.asset}，改为{new.get_kind_display()}{new.asset}"
                             f" {new.amount} 元（{reason.strip()[:100]}；{citation}）",
                     data={"preservation": old.preservation_id, "old": old.pk, "new": new.pk})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="preservation_measure",
                     target_id=old.pk, detail={"substituted_by": new.pk})
    return new
