"""Measures placed through the assets app (the one way to the registries) for a preservation.

``assets.Measure`` rows of holder ``preservation:<pk>`` are the preservation's measures as much as the ones
the clerk records by hand (``PreservationMeasure``): the first of either kind puts the preservation in force
and starts a pre-suit preservation's 30-day clock; together they may not exceed the amount preserved without
a reason; the clerk's lift releases them at the institutions; the to-dos list them. Carrying them into
enforcement needs the enforcement case, so enforcement does that when the preservation is transferred
(``enforcement/preservation_transfer.py``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.assets import hooks as asset_hooks
from suyuan.assets.choices import MeasureStatus as AssetMeasureStatus
from suyuan.assets.measures import release_measure
from suyuan.assets.models import Measure
from suyuan.common.errors import Conflict, InvalidInput

from .choices import PreservationStatus
from .legal import rules_on
from .models import Preservation

PREFIX = "preservation"
OPEN = (PreservationStatus.GRANTED, PreservationStatus.IN_FORCE, PreservationStatus.FOLLOWING)


def preservation_id_of(holder: str) -> int | None:
    kind, _, pk = holder.partition(":")
    return int(pk) if kind == PREFIX and pk.isdigit() else None


def active(p: Preservation) -> list[Measure]:
    return list(Measure.objects.select_related("asset").filter(holder=p.ref, status=AssetMeasureStatus.ACTIVE))


def active_amount(p: Preservation) -> Decimal:
    total = Measure.objects.filter(holder=p.ref, status=AssetMeasureStatus.ACTIVE).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0")


def listing(measures: list[Measure]) -> list[str]:
    return [f"{m.get_kind_display()}{m.asset.institution} {m.asset.masked_identifier} {m.amount} 元" for m in measures]


def on_measure_placed(measure: Measure, origin: Origin) -> None:
    """Inside the assets step's transaction: refuse it (rolling it back) or put the preservation in force."""
    from .measures import put_in_force

    pk = preservation_id_of(measure.holder)
    if pk is None:
        return
    p = Preservation.objects.select_for_update().select_related("dispute").filter(pk=pk).first()
    if p is None:
        raise InvalidInput("该保全不存在，不能采取措施。")
    if p.status not in OPEN:
        raise Conflict(f"保全当前状态为“{p.get_status_display()}”，不能采取保全措施。")
    if p.active_total > p.amount and not measure.over_reason:
        # The assets step checked its own measures against what was left; the clerk's recorded ones count too.
        raise InvalidInput(f"保全措施合计 {p.active_total} 元将超过请求保全的金额 {p.amount} 元。保全限于请求的范围"
                           f"（{rules_on(measure.starts_on).scope_citation}），确需超出的，请写明理由。")
    if p.status == PreservationStatus.GRANTED:
        put_in_force(p, actor=measure.placed_by, origin=origin, start=measure.starts_on,
                     summary=f"{measure.get_kind_display()}{measure.asset.institution} "
                             f"{measure.asset.masked_identifier} {measure.amount} 元，期限至 {measure.ends_on}",
                     data={"asset_measure": measure.pk})


def release_all(p: Preservation, *, actor: User, origin: Origin, reason: str) -> list[Measure]:
    """Release every active registry measure of ``p`` at its institution (the clerk's confirmed lift)."""
    released = active(p)
    for m in released:
        release_measure(actor=actor, origin=origin, measure_id=m.pk, reason=reason[:300])
    return released


def connect() -> None:
    asset_hooks.on_measure_placed(on_measure_placed)
