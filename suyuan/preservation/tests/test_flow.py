"""Preservation use cases: clocks at their edges, the over-claim refusal, lapse, following the case, hooks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import sweep
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock
from suyuan.disputes.workflow import apply
from suyuan.litigation import services as litigation
from suyuan.preservation import hooks, measures, selectors, services
from suyuan.preservation.choices import AssetKind, MeasureKind, MeasureStatus, PreservationKind, TodoKind
from suyuan.preservation.models import Preservation, PreservationMeasure
from suyuan.rules.periods import CHINA

from .helpers import ORIGIN, granted, in_force, in_mediation, pre_suit

pytestmark = pytest.mark.django_db


def clock(p: Preservation, rule: str) -> Clock:
    return Clock.objects.get(dispute=p.dispute, object_ref=p.ref, rule=rule)


def test_acceptance_starts_the_48_hour_ruling_clock_and_the_ruling_stops_it(world):  # type: ignore[no-untyped-def]
    p = pre_suit(world)
    p = services.accept_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk)
    c = clock(p, "preservation_ruling")
    assert c.due_at == p.accepted_at + timedelta(hours=48)
    assert "第一百零四条" in c.citation
    done = services.rule_preservation(actor=world.judge, origin=ORIGIN, preservation_id=p.pk, grant=True)
    assert "财保" in done.number and done.number.startswith("（")
    c.refresh_from_db()
    assert c.status == ClockStatus.MET


def test_ruling_overdue_at_the_48th_hour_not_before(world):  # type: ignore[no-untyped-def]
    p = pre_suit(world)
    p = services.accept_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk)
    due = clock(p, "preservation_ruling").due_at
    sweep(now=due - timedelta(seconds=1))
    assert not p.todos.exists()
    sweep(now=due)
    todo = p.todos.get()
    assert todo.kind == TodoKind.RULING_OVERDUE and todo.done_at is None


def test_refusal_needs_reasons(world):  # type: ignore[no-untyped-def]
    p = pre_suit(world)
    services.accept_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk)
    with pytest.raises(InvalidInput, match="理由"):
        services.rule_preservation(actor=world.judge, origin=ORIGIN, preservation_id=p.pk, grant=False)
    done = services.rule_preservation(actor=world.judge, origin=ORIGIN, preservation_id=p.pk, grant=False,
                                      reason="申请人未提供被申请人转移财产的证据")
    assert done.status == "refused" and done.number == ""


def test_pre_suit_needs_security_and_nothing_is_written(world):  # type: ignore[no-untyped-def]
    dispute = in_mediation(world)
    with pytest.raises(InvalidInput) as info:
        pre_suit(world, dispute, security="")
    assert "第一百零四条" in info.value.errors["security_amount"][0]
    assert not Preservation.objects.exists()


def test_application_above_the_claim_is_refused(world):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as info:
        pre_suit(world, amount="12000.01")
    assert "第一百零五条" in info.value.errors["amount"][0]
    assert not Preservation.objects.exists()


def test_in_suit_needs_a_registered_case(world):  # type: ignore[no-untyped-def]
    dispute = in_mediation(world)
    data = services.PreservationInput(kind=PreservationKind.IN_SUIT, by_court=True, amount="5000",
                                      respondent_party_id=dispute.dispute_parties.get(role="respondent").party_id)
    with pytest.raises(InvalidInput) as info:
        services.apply_preservation(actor=world.clerk, origin=ORIGIN, dispute_id=dispute.pk, data=data)
    assert "第一百零三条" in info.value.errors["kind"][0]


def test_measures_above_the_claim_without_a_reason_are_refused_whole(world):  # type: ignore[no-untyped-def]
    p = in_force(world, amount="10000")
    before = PreservationMeasure.objects.count()
    events = p.dispute.events.count()
    with pytest.raises(InvalidInput) as info:
        measures.place_measure(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk,
                               asset_kind=AssetKind.VEHICLE, asset="宁B·12345 小型轿车", kind=MeasureKind.SEIZE,
                               amount="2000.01")
    assert "第一百零五条" in info.value.message and "超出 0.01 元" in info.value.message
    assert PreservationMeasure.objects.count() == before and p.dispute.events.count() == events
    # Exactly up to the claim is within it.
    measures.place_measure(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, asset_kind=AssetKind.VEHICLE,
                           asset="宁B·12345 小型轿车", kind=MeasureKind.SEIZE, amount="2000")
    assert measures.over_claim(p, Decimal("0")) == 0
    m = measures.place_measure(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk,
                               asset_kind=AssetKind.REAL_ESTATE, asset="大武口区某小区房产", kind=MeasureKind.SEIZE,
                               amount="50000", over_reason="房产不可分割")
    assert m.over_reason == "房产不可分割" and measures.over_claim(p, Decimal("0")) == Decimal("50000")


def test_measure_periods_by_asset_and_renewal(world):  # type: ignore[no-untyped-def]
    p = in_force(world, on=date(2026, 6, 1), amount="3000")
    bank = p.measures.get()
    assert bank.ends_on.year == 2027  # bank deposits: one year
    house = measures.place_measure(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk,
                                   asset_kind=AssetKind.REAL_ESTATE, asset="房产", kind=MeasureKind.SEIZE,
                                   amount="3000", starts_on=date(2026, 6, 1))
    assert house.ends_on.year == 2029  # real estate: three years
    renewed = measures.renew_measure(actor=world.clerk, origin=ORIGIN, measure_id=bank.pk)
    assert renewed.renewals == 1 and renewed.ends_on.year == 2028


def test_substitution_needs_equal_value(world):  # type: ignore[no-untyped-def]
    p = in_force(world, amount="8000")
    old = p.measures.get()
    with pytest.raises(InvalidInput, match="第一百六十七条"):
        measures.substitute_asset(actor=world.clerk, origin=ORIGIN, measure_id=old.pk, asset_kind=AssetKind.VEHICLE,
                                  asset="宁B·54321", value="7999.99", reason="基本账户被冻结影响经营")
    new = measures.substitute_asset(actor=world.clerk, origin=ORIGIN, measure_id=old.pk,
                                    asset_kind=AssetKind.VEHICLE, asset="宁B·54321", value="9000",
                                    reason="基本账户被冻结影响经营")
    old.refresh_from_db()
    assert old.status == MeasureStatus.SUBSTITUTED and new.amount == Decimal("8000") and new.substitute_for == old
    assert p.active_total == Decimal("8000")


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=CHINA)


def test_lapse_at_the_end_of_the_30th_day_tells_the_clerk_and_releases_nothing(world):  # type: ignore[no-untyped-def]
    p = in_force(world, on=date(2026, 6, 1))
    c = clock(p, "preservation_lapse")
    assert c.due_on == date(2026, 7, 1)
    sweep(now=_end_of(c.due_on) - timedelta(seconds=1))
    p.refresh_from_db()
    assert p.status == "in_force"
    sweep(now=_end_of(c.due_on))
    p.refresh_from_db()
    assert p.status == "lapsed"
    todo = p.todos.get(kind=TodoKind.LIFT)
    assert "石嘴山银行账户（尾号 6601）" in todo.text
    assert p.measures.get().status == MeasureStatus.ACTIVE  # the clerk confirms the release
    services.lift_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, reason="期满未起诉")
    m = p.measures.get()
    todo.refresh_from_db()
    assert m.status == MeasureStatus.RELEASED and m.ended_by == world.clerk and todo.done_at is not None


def test_filing_suit_stops_the_lapse_clock_and_the_preservation_follows(world, monkeypatch):  # type: ignore[no-untyped-def]
    p = in_force(world, on=date(2026, 6, 1))
    apply(DISPUTE, p.dispute, "fail_mediation", actor=world.mediator_user, origin=ORIGIN)
    case = litigation.file_suit(actor=world.party_user, origin=ORIGIN, dispute_id=p.dispute_id)
    p.refresh_from_db()
    assert p.status == "following"
    assert clock(p, "preservation_lapse").status == ClockStatus.MET
    sweep(now=_end_of(date(2026, 7, 2)))
    p.refresh_from_db()
    assert p.status == "following" and not p.todos.exists()
    assert case.dispute_id == p.dispute_id


def test_arbitration_also_stops_the_clock(world):  # type: ignore[no-untyped-def]
    p = in_force(world)
    with pytest.raises(InvalidInput):
        services.record_arbitration(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, note=" ")
    done = services.record_arbitration(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk,
                                       note="石嘴山仲裁委员会 2026-06-20 受理")
    assert done.status == "following" and clock(p, "preservation_lapse").status == ClockStatus.MET


def test_settlement_in_mediation_tells_the_clerk_which_measures_to_lift(world):  # type: ignore[no-untyped-def]
    p = in_force(world)
    apply(DISPUTE, p.dispute, "settle", actor=world.mediator_user, origin=ORIGIN)
    todo = p.todos.get()
    assert todo.kind == TodoKind.LIFT and "冻结石嘴山银行账户（尾号 6601） 12000.00 元" in todo.text
    assert p.dispute.events.filter(kind="preservation.todo").exists()
    # A second settling step (confirmation) does not repeat the open to-do.
    hooks.on_dispute_step(p.dispute, DISPUTE.find("in_confirmation", "confirm"), None, ORIGIN, {})  # type: ignore[arg-type]
    assert p.todos.count() == 1


def test_judgment_tells_the_clerk_to_carry_measures_into_enforcement(world):  # type: ignore[no-untyped-def]
    p = in_force(world)
    services.record_arbitration(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, note="仲裁受理")
    row = DISPUTE.find("in_litigation", "judge")
    assert row is not None
    hooks.on_dispute_step(p.dispute, row, world.judge, ORIGIN, {})
    assert p.todos.get().kind == TodoKind.CARRY
    services.transfer_preservation(actor=world.enforcer, origin=ORIGIN, preservation_id=p.pk)
    assert p.measures.get().status == MeasureStatus.TRANSFERRED
    assert p.todos.get().done_at is not None


def test_scope(world):  # type: ignore[no-untyped-def]
    p = granted(world)
    assert selectors.visible_preservations(world.mediator_user).filter(pk=p.pk).exists()
    assert selectors.visible_preservations(world.party_user).filter(pk=p.pk).exists()
    assert not selectors.visible_preservations(world.other_clerk).filter(pk=p.pk).exists()
    with pytest.raises(NotFound):
        measures.place_measure(actor=world.other_clerk, origin=ORIGIN, preservation_id=p.pk,
                               asset_kind=AssetKind.BANK, asset="x", kind=MeasureKind.FREEZE, amount="1")
