"""Control measures (查封、扣押、冻结、扣划): place, renew, release, deduct, transfer, substitute, expire.

The registry is called before anything is written: when the institution refuses or does not
answer, nothing is recorded and the user is told to try again (no half-written measure).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound
from suyuan.disputes.events import append_event
from suyuan.disputes.workflow import apply

from . import expiry, hooks, rules
from .adapters import ControlResponse, RegistryError, get_registry
from .choices import MEASURES_FOR_KIND, AssetKind, MeasureKind, MeasureStatus
from .common import locked_dispute, money, ref_of
from .lifecycle import ASSET_MEASURE
from .models import Asset, Measure
from .scope import check_may_act, holder_kind

DEPOSITS = frozenset({AssetKind.BANK, AssetKind.ONLINE_PAYMENT})


def _control(asset: Asset, kind: str, amount: Decimal, until: date) -> ControlResponse:
    try:
        return get_registry().control(asset=ref_of(asset), kind=kind, amount=amount, until=until)
    except RegistryError:
        raise InvalidInput(f"{asset.institution}暂未反馈，本次操作未生效，请稍后重试。") from None


def active_total(holder: str, *, exclude: int | None = None) -> Decimal:
    rows = Measure.objects.filter(holder=holder, status=MeasureStatus.ACTIVE)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def _next_priority(asset: Asset) -> int:
    """轮候: the first measure on a real asset ranks 1; later ones (of any court or holder) wait."""
    same = Measure.objects.filter(status=MeasureStatus.ACTIVE, asset__kind=asset.kind,
                                  asset__institution=asset.institution, asset__identifier=asset.identifier)
    return int(same.aggregate(m=Max("priority"))["m"] or 0) + 1


def _until(asset: Asset, start: date, until: date | None) -> tuple[date, rules.MeasurePeriod]:
    period = rules.measure_period(asset.kind, start)
    if until is None:
        return period.longest, period
    if until <= start:
        raise InvalidInput("届满日必须晚于起始日。", errors={"until": ["届满日必须晚于起始日。"]})
    if until > period.longest:
        message = (f"{AssetKind(asset.kind).label}的控制期限最长至 {period.longest:%Y年%m月%d日}"
                   f"（{period.citation}）。")
        raise InvalidInput(message, errors={"until": [message]})
    return until, period


def _over_seizure_message(on: date, claim: Decimal, total: Decimal) -> str:
    rule = rules.over_seizure_rule(on)
    return (f"控制财产合计 {total} 元将超过应保全（执行）金额 {claim} 元，属于超标的查封、扣押、冻结，"
            f"依照{rule['citation']}不得实施。如{rule['exception']}，请填写理由后提交（理由将记录在案）。")


def place_measure(*, actor: User, origin: Origin, holder: str, asset_id: int, kind: str, amount: Any,
                  claim_amount: Any, over_reason: str = "", until: date | None = None) -> Measure:
    """Freeze / seize / distrain (or deduct directly) one asset of the holder."""
    holder_kind(holder)
    amount = money(amount, "amount")
    claim = money(claim_amount, "claim_amount")
    over_reason = over_reason.strip()
    if len(over_reason) > 300:
        raise InvalidInput("理由不得超过 300 字。", errors={"over_reason": ["理由不得超过 300 字。"]})
    asset = Asset.objects.select_related("party", "dispute").filter(pk=asset_id, holder=holder).first()
    if asset is None:
        raise NotFound()
    check_may_act(actor, holder, asset.dispute)
    if kind not in MEASURES_FOR_KIND[asset.kind]:
        allowed = "、".join(str(MeasureKind(k).label) for k in sorted(MEASURES_FOR_KIND[asset.kind]))
        raise InvalidInput(f"{AssetKind(asset.kind).label}只能采取{allowed}措施。",
                           errors={"kind": [f"可选：{allowed}"]})
    if kind == MeasureKind.DEDUCT and holder_kind(holder) != "enforcement":
        raise InvalidInput("保全程序只能冻结，不能扣划；扣划须在执行程序中进行。")
    today = timezone.localdate()
    ends_on, period = _until(asset, today, until)
    with transaction.atomic():
        dispute = locked_dispute(asset.dispute_id)
        # The holder's own rows are serialised by the dispute lock; the sum is read under it.
        total = active_total(holder) + amount
        if total > claim and not over_reason:
            message = _over_seizure_message(today, claim, total)
            raise InvalidInput(message, errors={"over_reason": [message]})
        answer = _control(asset, kind, amount, ends_on)
        if not answer.accepted:
            raise InvalidInput(f"{asset.institution}未能办理：{answer.message}。本次措施未生效。")
        deducted = kind == MeasureKind.DEDUCT
        measure = Measure.objects.create(
            dispute=dispute, holder=holder, asset=asset, kind=kind, requested_amount=amount, amount=answer.amount,
            deducted_amount=answer.amount if deducted else Decimal("0"), priority=_next_priority(asset),
            starts_on=today, ends_on=ends_on, placed_by=actor, over_reason=over_reason if total > claim else "",
            registry_reference=answer.reference,
            status=MeasureStatus.DEDUCTED if deducted else MeasureStatus.ACTIVE,
            ended_at=timezone.now() if deducted else None,
        )
        if not deducted:
            expiry.start_measure_clock(measure, period.citation, period.regime)
        label = MeasureKind(kind).label
        summary = (f"{label}{asset.institution} {asset.masked_identifier}，{answer.amount} 元，"
                   f"第{measure.priority}顺位，至 {ends_on:%Y年%m月%d日}（{period.citation}）")
        if answer.amount < amount:
            summary += f"；{answer.message}"
        if measure.over_reason:
            summary += f"；超出应控制金额，理由：{measure.over_reason}"
        append_event(dispute=dispute, kind="asset_measure.placed", title=f"{label}财产", actor=actor, origin=origin,
                     summary=summary, data={"measure": measure.pk, "holder": holder, "amount": str(measure.amount),
                                            "requested": str(amount), "priority": measure.priority,
                                            "over_reason": measure.over_reason})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="asset_measure",
                     target_id=measure.pk, detail={"dispute": dispute.number, "holder": holder, "kind": kind,
                                                   "amount": str(measure.amount), "over_reason": measure.over_reason})
        hooks.placed(measure, origin)
        if deducted:
            hooks.deducted(measure, measure.deducted_amount)
    return measure


def _measure(actor: User | None, measure_id: int) -> Measure:
    measure = Measure.objects.select_related("asset__party", "dispute").filter(pk=measure_id).first()
    if measure is None:
        raise NotFound()
    check_may_act(actor, measure.holder, measure.dispute)
    return measure


def _active(measure: Measure) -> None:
    if measure.status != MeasureStatus.ACTIVE:
        raise Conflict(f"该措施当前状态为“{measure.get_status_display()}”，不能再办理。请刷新页面查看最新状态。")


def renew_measure(*, actor: User, origin: Origin, measure_id: int, until: date | None = None,
                  expected_version: int | None = None) -> Measure:
    """续行 before the end; the new period may not exceed the legal length (民诉法解释 第四百八十五条)."""
    measure = _measure(actor, measure_id)
    _active(measure)
    today = timezone.localdate()
    if measure.ends_on < today:
        raise InvalidInput(f"该措施已于 {measure.ends_on:%Y年%m月%d日} 届满，不能续行；如需继续控制，请重新采取措施。")
    ends_on, period = _until(measure.asset, measure.ends_on, until)
    answer = _control(measure.asset, measure.kind, measure.amount, ends_on)

    def effect(row: Measure) -> None:
        row.ends_on = ends_on
        row.renewals += 1
        row.registry_reference = answer.reference
        expiry.start_measure_clock(row, period.citation, period.regime)

    return apply(ASSET_MEASURE, measure, "renew", actor=actor, origin=origin, effect=effect,
                 expected_version=expected_version,
                 summary=f"续行{measure.get_kind_display()}{measure.asset.institution} "
                         f"{measure.asset.masked_identifier}至 {ends_on:%Y年%m月%d日}（{period.citation}）",
                 data={"ends_on": ends_on.isoformat(), "holder": measure.holder})


def release_measure(*, actor: User, origin: Origin, measure_id: int, reason: str,
                    expected_version: int | None = None) -> Measure:
    measure = _measure(actor, measure_id)
    reason = reason.strip()
    if not reason or len(reason) > 300:
        raise InvalidInput("请填写解除理由（300 字以内）。", errors={"reason": ["请填写解除理由（300 字以内）。"]})
    _active(measure)
    answer = _control(measure.asset, "release", measure.amount, timezone.localdate())

    def effect(row: Measure) -> None:
        row.reason = reason
        row.ended_at = timezone.now()
        row.registry_reference = answer.reference
        expiry.stop_measure_clock(row)

    return apply(ASSET_MEASURE, measure, "release", actor=actor, origin=origin, effect=effect,
                 expected_version=expected_version,
                 summary=f"解除{measure.get_kind_display()}{measure.asset.institution} "
                         f"{measure.asset.masked_identifier}：{reason}", data={"holder": measure.holder})


def deduct_measure(*, actor: User, origin: Origin, measure_id: int, amount: Any,
                   expected_version: int | None = None) -> Measure:
    """扣划 frozen funds to the applicant; what is left stays frozen (partial deduction)."""
    measure = _measure(actor, measure_id)
    wanted = money(amount, "amount")
    _active(measure)
    if holder_kind(measure.holder) != "enforcement":
        raise InvalidInput("保全程序只能冻结，不能扣划；扣划须在执行程序中进行。")
    if measure.asset.kind not in DEPOSITS or measure.kind != MeasureKind.FREEZE:
        raise InvalidInput("只有已冻结的银行存款或网络支付账户资金可以扣划。")
    if wanted > measure.amount:
        message = f"扣划金额不能超过已冻结的 {measure.amount} 元。"
        raise InvalidInput(message, errors={"amount": [message]})
    answer = _control(measure.asset, MeasureKind.DEDUCT, wanted, measure.ends_on)
    paid = answer.amount
    if not answer.accepted or paid <= 0:
        raise InvalidInput(f"{measure.asset.institution}未能扣划：{answer.message}。")
    action = "deduct" if paid >= measure.amount else "deduct_part"

    def effect(row: Measure) -> None:
        row.amount = row.amount - paid
        row.deducted_amount = row.deducted_amount + paid
        row.registry_reference = answer.reference
        if action == "deduct":
            row.ended_at = timezone.now()
            expiry.stop_measure_clock(row)

    with transaction.atomic():
        summary = f"从{measure.asset.institution} {measure.asset.masked_identifier}扣划 {paid} 元给申请执行人"
        done = apply(ASSET_MEASURE, measure, action, actor=actor, origin=origin, effect=effect,
                     expected_version=expected_version,
                     summary=summary + ("" if action == "deduct" else f"，其余 {measure.amount - paid} 元继续冻结"),
                     data={"paid": str(paid), "holder": measure.holder})
        hooks.deducted(done, paid)
    return done


def transfer_measures(*, actor: User, origin: Origin, from_holder: str, to_holder: str,
                      to_dispute_id: int | None = None) -> list[Measure]:
    """保全转执行: active preservation measures become enforcement measures, same asset, priority and
    period running on, without a new order (财产保全规定 第十七条), except those already expired."""
    if holder_kind(from_holder) != "preservation" or holder_kind(to_holder) != "enforcement":
        raise InvalidInput("只能将保全措施转为执行措施。")
    today = timezone.localdate()
    moved: list[Measure] = []
    with transaction.atomic():
        olds = list(Measure.objects.select_related("asset__party", "dispute")
                    .filter(holder=from_holder, status=MeasureStatus.ACTIVE, ends_on__gte=today).order_by("pk"))
        if not olds:
            return []
        dispute = locked_dispute(to_dispute_id or olds[0].dispute_id)
        check_may_act(actor, to_holder, dispute)
        citation = rules.transfer_rule(today)["citation"]
        for old in olds:
            asset, _ = Asset.objects.get_or_create(
                holder=to_holder, kind=old.asset.kind, institution=old.asset.institution,
                identifier=old.asset.identifier,
                defaults={"dispute": dispute, "party": old.asset.party, "description": old.asset.description,
                          "value": old.asset.value, "source": old.asset.source, "search": old.asset.search},
            )
            new = Measure.objects.create(
                dispute=dispute, holder=to_holder, asset=asset, kind=old.kind, requested_amount=old.requested_amount,
                amount=old.amount, priority=old.priority, starts_on=old.starts_on, ends_on=old.ends_on,
                renewals=old.renewals, placed_by=actor, over_reason=old.over_reason,
                registry_reference=old.registry_reference, transferred_from=old,
            )
            expiry.start_measure_clock(new, citation, rules.transfer_rule(today)["regime"])
            expiry.stop_measure_clock(old)
            apply(ASSET_MEASURE, old, "transfer", actor=actor, origin=origin,
                  effect=lambda row: setattr(row, "ended_at", timezone.now()),
                  summary=f"{old.get_kind_display()}{old.asset.institution} {old.asset.masked_identifier}"
                          f"转为执行措施，顺位与期限连续计算（{citation}）",
                  data={"to_holder": to_holder, "new_measure": new.pk})
            moved.append(new)
            hooks.placed(new, origin)
    return moved


def substitute_asset(*, actor: User, origin: Origin, measure_id: int, new_asset_id: int, reason: str) -> Measure:
    """变更控制财产 (善意文明执行): control another asset of sufficient value, then release the first."""
    measure = _measure(actor, measure_id)
    _active(measure)
    reason = reason.strip()
    if not reason or len(reason) > 300:
        raise InvalidInput("请填写变更理由（300 字以内）。", errors={"reason": ["请填写变更理由（300 字以内）。"]})
    new_asset = Asset.objects.select_related("party").filter(pk=new_asset_id, holder=measure.holder).first()
    if new_asset is None or new_asset.pk == measure.asset_id:
        raise InvalidInput("请选择本程序中另一项财产。", errors={"new_asset_id": ["请选择本程序中另一项财产。"]})
    if new_asset.value is None or new_asset.value < measure.amount:
        citation = rules.substitution_rule(timezone.localdate())["citation"]
        message = f"替换财产的价值须不低于原控制金额 {measure.amount} 元（{citation}）。"
        raise InvalidInput(message, errors={"new_asset_id": [message]})
    kind = sorted(MEASURES_FOR_KIND[new_asset.kind])[0] if measure.kind not in MEASURES_FOR_KIND[new_asset.kind] \
        else measure.kind
    kind = MeasureKind.FREEZE if kind == MeasureKind.DEDUCT else kind
    today = timezone.localdate()
    ends_on, period = _until(new_asset, today, None)
    with transaction.atomic():
        dispute = locked_dispute(measure.dispute_id)
        answer = _control(new_asset, kind, measure.amount, ends_on)
        if not answer.accepted or answer.amount < measure.amount:
            raise InvalidInput(f"{new_asset.institution}实际只能控制 {answer.amount} 元，不足原控制金额，未予变更。")
        new = Measure.objects.create(
            dispute=dispute, holder=measure.holder, asset=new_asset, kind=kind, requested_amount=measure.amount,
            amount=answer.amount, priority=_next_priority(new_asset), starts_on=today, ends_on=ends_on,
            placed_by=actor, reason=reason, registry_reference=answer.reference,
        )
        _control(measure.asset, "release", measure.amount, today)
        expiry.start_measure_clock(new, period.citation, period.regime)

        def effect(row: Measure) -> None:
            row.reason = reason
            row.ended_at = timezone.now()
            expiry.stop_measure_clock(row)

        apply(ASSET_MEASURE, measure, "substitute", actor=actor, origin=origin, effect=effect,
              summary=f"以{new_asset.institution} {new_asset.masked_identifier}替换"
                      f"{measure.asset.institution} {measure.asset.masked_identifier}（{period.citation}）：{reason}",
              data={"new_measure": new.pk, "holder": measure.holder})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="asset_measure",
                     target_id=new.pk, detail={"dispute": dispute.number, "substitutes": measure.pk})
    return new


def expire_measure(*, measure_id: int, origin: Origin = WORKER) -> Measure:
    """The period ran out without renewal: the measure lapses (the worker's sweep)."""
    def effect(row: Measure) -> None:
        row.ended_at = timezone.now()

    return apply(ASSET_MEASURE, measure_id, "expire", actor=None, origin=origin, effect=effect,
                 summary="期限届满未续行，措施失效")
