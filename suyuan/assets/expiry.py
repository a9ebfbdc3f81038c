"""The end of a measure's period as a dispute clock: the sweep warns before and expires after.

Each active measure has one open clock (rule ``asset_measure``, object ``asset_measure:<pk>``)
due on its last day. The reminder comes ``SUYUAN_REMINDER_DAYS`` before (the sweep's window);
once the last day has passed without renewal (续行, 民诉法解释 第四百八十五条) the handler below
marks the measure expired.
"""

from __future__ import annotations

from django.utils import timezone

from suyuan.accounts.context import WORKER
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import register_expiry_handler, register_reminder_window, stop_clock
from suyuan.disputes.models import Clock

from .choices import MeasureStatus
from .models import Measure
from .rules import expiry_warning_days

RULE = "asset_measure"


def ref(measure: Measure) -> str:
    return f"asset_measure:{measure.pk}"


def start_measure_clock(measure: Measure, citation: str, regime: str) -> Clock:
    """Call inside the transaction that placed, renewed or carried over the measure."""
    Clock.objects.filter(dispute_id=measure.dispute_id, rule=RULE, object_ref=ref(measure),
                         status=ClockStatus.OPEN).update(status=ClockStatus.CANCELLED, closed_at=timezone.now())
    return Clock.objects.create(
        dispute_id=measure.dispute_id, rule=RULE, object_ref=ref(measure), regime=regime, citation=citation,
        subject=f"{measure.get_kind_display()}{measure.asset.institution} {measure.asset.masked_identifier}的期限",
        started_on=measure.starts_on, due_on=measure.ends_on,
    )


def stop_measure_clock(measure: Measure) -> None:
    stop_clock(dispute=measure.dispute, rule=RULE, object_ref=ref(measure), outcome=ClockStatus.CANCELLED)


def _expire(clock: Clock) -> None:
    from .measures import expire_measure

    pk = int(clock.object_ref.partition(":")[2])
    # The clock of the current period only (a renewal cancels the old clock and starts a new one).
    if Measure.objects.filter(pk=pk, status=MeasureStatus.ACTIVE, ends_on=clock.due_on).exists():
        expire_measure(measure_id=pk, origin=WORKER)


def connect() -> None:
    from suyuan.notices.recipients import register_staff_only_clock

    register_expiry_handler(RULE, _expire)
    register_staff_only_clock(RULE)
    # The renewal must reach the institutions before the end: remind as early as the rules data says.
    register_reminder_window(RULE, expiry_warning_days)
