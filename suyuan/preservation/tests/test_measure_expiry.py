"""A recorded measure's period is a clock: reminded before its last day, expired after it unless renewed in
time; a release stops it, a substitution moves it, a carry into enforcement keeps it running."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from suyuan.assets.rules import expiry_warning_days
from suyuan.common.errors import Conflict, NotFound
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import sweep
from suyuan.disputes.models import Clock
from suyuan.preservation import measures, services
from suyuan.preservation.choices import AssetKind, MeasureStatus
from suyuan.preservation.expiry import ref
from suyuan.preservation.models import PreservationMeasure
from suyuan.rules.periods import CHINA

from .helpers import ORIGIN, in_force

pytestmark = pytest.mark.django_db


def clocks(m: PreservationMeasure) -> list[tuple[str, date]]:
    return list(Clock.objects.filter(object_ref=ref(m)).order_by("pk").values_list("status", "due_on"))


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=CHINA)


def test_placing_starts_the_clock_and_renewal_restarts_it_on_the_new_period(world):  # type: ignore[no-untyped-def]
    p = in_force(world, on=date(2026, 6, 1))
    m = p.measures.get()
    clock = Clock.objects.get(object_ref=ref(m))
    assert (clock.rule, clock.status, clock.due_on) == ("measure_bank", ClockStatus.OPEN, m.ends_on)
    assert "第四百八十五条" in clock.citation and "石嘴山银行账户" in clock.subject
    renewed = measures.renew_measure(actor=world.clerk, origin=ORIGIN, measure_id=m.pk)
    assert clocks(m) == [(ClockStatus.CANCELLED, m.ends_on), (ClockStatus.OPEN, renewed.ends_on)]


def test_the_sweep_reminds_before_the_last_day_and_expires_an_unrenewed_measure(world):  # type: ignore[no-untyped-def]
    p = in_force(world, on=date(2025, 6, 1))
    m = p.measures.get()
    assert m.ends_on < date(2026, 12, 1)
    lead = expiry_warning_days(m.ends_on)
    assert lead >= 7  # the renewal must reach the institutions in time, not two days before the end
    sweep(now=_end_of(m.ends_on) - timedelta(days=lead + 2))
    assert not p.dispute.events.filter(kind="clock.reminder", data__object=ref(m)).exists()
    sweep(now=_end_of(m.ends_on) - timedelta(days=lead))
    assert p.dispute.events.filter(kind="clock.reminder", data__object=ref(m)).exists()
    m.refresh_from_db()
    assert m.status == MeasureStatus.ACTIVE
    sweep(now=_end_of(m.ends_on))
    m.refresh_from_db()
    assert m.status == MeasureStatus.EXPIRED and m.ended_at is not None
    event = p.dispute.events.get(kind="preservation.measure_expired")
    assert "未办理续行" in event.summary and "第四百八十五条" in event.summary
    p.refresh_from_db()
    assert p.active_total == Decimal("0")
    with pytest.raises(Conflict):
        measures.renew_measure(actor=world.clerk, origin=ORIGIN, measure_id=m.pk)


def test_a_renewal_after_the_last_day_is_refused_even_before_the_sweep(world):  # type: ignore[no-untyped-def]
    p = in_force(world, on=date(2025, 6, 1))
    m = p.measures.get()
    with pytest.raises(Conflict, match="届满前办理"):
        measures.renew_measure(actor=world.clerk, origin=ORIGIN, measure_id=m.pk)
    m.refresh_from_db()
    assert m.renewals == 0 and clocks(m) == [(ClockStatus.OPEN, m.ends_on)]


def test_a_release_stops_the_clock_and_a_substitution_moves_it(world):  # type: ignore[no-untyped-def]
    p = in_force(world, amount="8000")
    old = p.measures.get()
    new = measures.substitute_asset(actor=world.clerk, origin=ORIGIN, measure_id=old.pk,
                                    asset_kind=AssetKind.VEHICLE, asset="宁B·54321", value="9000",
                                    reason="基本账户被冻结影响经营")
    assert clocks(old) == [(ClockStatus.CANCELLED, old.ends_on)]
    new_clock = Clock.objects.get(object_ref=ref(new))
    assert (new_clock.rule, new_clock.status, new_clock.due_on) == ("measure_movable", ClockStatus.OPEN, new.ends_on)
    services.lift_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, reason="双方和解")
    assert clocks(new) == [(ClockStatus.CANCELLED, new.ends_on)]


def test_a_measure_carried_into_enforcement_keeps_its_clock_and_the_officer_renews_it(world):  # type: ignore[no-untyped-def]
    from suyuan.accounts.models import AuditEntry

    p = in_force(world)
    with pytest.raises(Conflict):  # before the carry the measure is the preservation court's to renew
        measures.renew_measure(actor=world.enforcer, origin=ORIGIN, measure_id=p.measures.get().pk)
    services.record_arbitration(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, note="仲裁委员会已受理")
    services.transfer_preservation(actor=world.enforcer, origin=ORIGIN, preservation_id=p.pk)
    m = p.measures.get()
    assert m.status == MeasureStatus.TRANSFERRED and clocks(m) == [(ClockStatus.OPEN, m.ends_on)]
    with pytest.raises(NotFound):  # another court's officer
        measures.renew_measure(actor=world.other_clerk, origin=ORIGIN, measure_id=m.pk)
    renewed = measures.renew_measure(actor=world.enforcer, origin=ORIGIN, measure_id=m.pk)
    assert renewed.renewals == 1 and renewed.status == MeasureStatus.TRANSFERRED
    assert AuditEntry.objects.filter(target_type="preservation_measure", target_id=str(m.pk),
                                     actor=world.enforcer).exists()
    assert clocks(m)[-1] == (ClockStatus.OPEN, renewed.ends_on)
    # At the end of the renewed period a carried measure is left to the enforcement case (its clock overdue).
    sweep(now=_end_of(renewed.ends_on))
    m.refresh_from_db()
    assert m.status == MeasureStatus.TRANSFERRED and clocks(m)[-1] == (ClockStatus.OVERDUE, renewed.ends_on)


def test_the_officer_renews_a_carried_measure_from_the_preservation_page(world, client):  # type: ignore[no-untyped-def]
    p = in_force(world)
    services.record_arbitration(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, note="仲裁委员会已受理")
    services.transfer_preservation(actor=world.enforcer, origin=ORIGIN, preservation_id=p.pk)
    m = p.measures.get()
    client.force_login(world.enforcer)
    page = client.get(f"/preservation/{p.pk}/").content.decode()
    action = f"/preservation/{p.pk}/measures/{m.pk}/renew/"
    assert f'action="{action}"' in page and "变更保全标的物" not in page  # renew only, not substitute
    assert client.post(action).status_code == 302
    m.refresh_from_db()
    assert m.renewals == 1 and p.dispute.events.filter(kind="preservation.renew").exists()


def test_a_provisional_last_day_neither_expires_the_measure_nor_refuses_its_renewal(world):  # type: ignore[no-untyped-def]
    p = in_force(world, on=date(2025, 6, 1))
    m = p.measures.get()
    # As if the end had been counted on a holiday schedule not yet published (rules/calendar.py).
    Clock.objects.filter(object_ref=ref(m)).update(provisional=True)
    sweep(now=_end_of(m.ends_on))
    m.refresh_from_db()
    assert m.status == MeasureStatus.ACTIVE  # the overdue clock asks the staff to check instead
    assert measures.renew_measure(actor=world.clerk, origin=ORIGIN, measure_id=m.pk).renewals == 1
