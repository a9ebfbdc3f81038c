"""The end of a recorded measure's period as a dispute clock (registry measures: ``assets.expiry``).

A measure the clerk recorded by hand (``PreservationMeasure``) lapses at the end of its period unless
it is renewed before then (续行, 民诉法解释 第四百八十五条; the periods are the rules ``measure_bank``,
``measure_movable``, ``measure_property`` in ``rules/data/periods/preservation.toml``). Each live
measure has one open clock of its rule (object ``preservation_measure:<pk>``) due on its last day,
so the sweep reminds the court's staff before it and marks it overdue after it:

- placed, or put in place of another (变更保全标的物): the clock starts; the replaced one's stops;
- renewed: the clock restarts on the new period (the clock and ``ends_on`` come from the same rule
  and start, so they agree);
- released (解除保全): the clock stops;
- carried into enforcement (保全转执行): the clock runs on, since the period runs on under the
  enforcement case (财产保全规定 第十七条) and must still be renewed in time;
- its last day passed without renewal: an active measure is marked expired (a timeline event);
  a carried one stays as it is, its clock overdue; so does one whose last day was provisional;
- the reminder comes ``measure_expiry_warning`` days before (rules data, shared with registry measures).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.context import WORKER
from suyuan.assets.rules import expiry_warning_days
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import register_expiry_handler, register_reminder_window, start_clock, stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Clock

from .choices import MeasureStatus
from .legal import MEASURE_RULES, measure_rule
from .models import PreservationMeasure

PREFIX = "preservation_measure"


def ref(measure: PreservationMeasure) -> str:
    return f"{PREFIX}:{measure.pk}"


def subject(measure: PreservationMeasure) -> str:
    what = f"{measure.get_kind_display()}{measure.asset}"
    if len(what) > 88:  # the clock's subject holds 100 characters
        what = what[:87] + "…"
    return f"保全措施（{what}）的期限"


def start_measure_clock(measure: PreservationMeasure, *, start: object | None = None) -> Clock:
    """Inside the transaction that placed or renewed the measure; ``start`` is where its current period
    was counted from (the placing day, or the end of the previous period for a renewal)."""
    return start_clock(
        dispute=measure.preservation.dispute, rule=measure_rule(measure.asset_kind, measure.kind),
        start=start or measure.starts_on,  # type: ignore[arg-type]
        subject=subject(measure), object_ref=ref(measure),
    )


def stop_measure_clock(measure: PreservationMeasure) -> None:
    stop_clock(dispute=measure.preservation.dispute, rule=measure_rule(measure.asset_kind, measure.kind),
               object_ref=ref(measure), outcome=ClockStatus.CANCELLED)


def _expire(clock: Clock) -> None:
    prefix, _, pk = clock.object_ref.partition(":")
    if prefix != PREFIX:
        return
    if clock.provisional:
        # The end was counted on a holiday schedule not yet published (rules/calendar.py): the true last
        # day may be later, so nothing is marked expired on it; the overdue clock tells the staff to check.
        return
    with transaction.atomic():
        # The clock of the current period only: a renewal cancels the old clock and starts a new one.
        measure = PreservationMeasure.objects.select_for_update().select_related("preservation__dispute").filter(
            pk=int(pk), status=MeasureStatus.ACTIVE, ends_on=clock.due_on).first()
        if measure is None:
            return
        measure.status = MeasureStatus.EXPIRED
        measure.ended_at = timezone.now()
        measure.end_reason = "期限届满未续行"
        measure.save(update_fields=["status", "ended_at", "end_reason"])
        append_event(dispute=measure.preservation.dispute, kind="preservation.measure_expired",
                     title="保全措施期限届满", actor=None, origin=WORKER,
                     summary=f"{measure.get_kind_display()}{measure.asset} {measure.amount} 元已于 {measure.ends_on} "
                             f"届满，未办理续行，措施失效（{clock.citation}）",
                     data={"preservation": measure.preservation_id, "measure": measure.pk})


def connect() -> None:
    from suyuan.notices.recipients import register_staff_only_clock

    for rule in MEASURE_RULES:
        register_expiry_handler(rule, _expire)
        register_staff_only_clock(rule)
        # The same lead as registry measures (rules data ``measure_expiry_warning``): banks and registries
        # need the renewal notice days before the end.
        register_reminder_window(rule, expiry_warning_days)
