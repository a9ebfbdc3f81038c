"""Searches, clues and measures through the services, on the local registry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from suyuan.assets import selectors, services
from suyuan.assets.adapters import get_registry
from suyuan.assets.choices import AssetSource, MeasureStatus, SearchStatus
from suyuan.assets.local_registry import LocalRegistry
from suyuan.assets.models import Asset, AssetSearch, Measure
from suyuan.assets.searching import run_search
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted

from .conftest import ENF, ORIGIN, PRES

pytestmark = pytest.mark.django_db


def test_registry_is_local_and_deterministic(debtor):
    from suyuan.assets.common import subject_of

    registry = get_registry()
    assert isinstance(registry, LocalRegistry)
    kinds = ["bank", "real_estate", "vehicle", "securities", "online_payment", "equity"]
    first = registry.search(party=subject_of(debtor), kinds=kinds)
    again = LocalRegistry().search(party=subject_of(debtor), kinds=kinds)
    assert first == again and first.pending_sources == []


def test_clue_needs_court_staff_of_the_holder(world, dispute, debtor, clue):
    assert clue.source == AssetSource.CLUE
    assert dispute.events.filter(kind="asset.clue").exists()
    with pytest.raises(NotPermitted):
        services.add_clue(actor=world.enforcer, origin=ORIGIN, dispute_id=dispute.pk, holder=PRES, party_id=debtor.pk,
                          kind="bank", institution="石嘴山银行", identifier="6231682000001")
    with pytest.raises(NotPermitted):
        services.add_clue(actor=world.other_clerk, origin=ORIGIN, dispute_id=dispute.pk, holder=PRES,
                          party_id=debtor.pk, kind="bank", institution="石嘴山银行", identifier="6231682000001")
    with pytest.raises(Conflict):
        services.add_clue(actor=world.clerk, origin=ORIGIN, dispute_id=dispute.pk, holder=PRES, party_id=debtor.pk,
                          kind=clue.kind, institution=clue.institution, identifier=clue.identifier)
    with pytest.raises(InvalidInput) as err:
        services.add_clue(actor=world.clerk, origin=ORIGIN, dispute_id=dispute.pk, holder=PRES, party_id=debtor.pk,
                          kind="ship", institution="", identifier="", value="abc")
    assert set(err.value.errors) == {"kind", "institution", "identifier", "value"}


def test_search_runs_and_is_idempotent(world, dispute, debtor, django_capture_on_commit_callbacks):
    kinds = ["bank", "real_estate", "vehicle", "online_payment"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        search = services.request_search(actor=world.judge, origin=ORIGIN, dispute_id=dispute.pk, holder=PRES,
                                         party_id=debtor.pk, kinds=kinds)
    assert len(callbacks) == 1 and search.status == SearchStatus.QUEUED
    with pytest.raises(Conflict):
        services.request_search(actor=world.judge, origin=ORIGIN, dispute_id=dispute.pk, holder=PRES,
                                party_id=debtor.pk, kinds=kinds)
    run_search(search.pk)
    search.refresh_from_db()
    assert search.status == SearchStatus.COMPLETED and search.attempts == 1
    found = Asset.objects.filter(search=search).count()
    # A second delivery of the same task neither searches again nor doubles the records.
    assert run_search(search.pk)["skipped"] is True
    AssetSearch.objects.filter(pk=search.pk).update(status=SearchStatus.RUNNING)
    run_search(search.pk)
    assert Asset.objects.filter(holder=PRES).count() == found
    outcome = selectors.search_outcome(search)
    assert len(outcome.found) == found and outcome.pending_sources == []


def _asset(dispute, debtor, holder=PRES, *, kind="bank", institution="中国工商银行石嘴山分行",
           identifier="62220229000001", value="50000"):
    return Asset.objects.create(dispute=dispute, holder=holder, party=debtor, kind=kind, institution=institution,
                                identifier=identifier, value=Decimal(value), source=AssetSource.CLUE)


def test_place_measure_period_and_over_seizure(world, dispute, debtor, clue):
    measure = services.place_measure(actor=world.clerk, origin=ORIGIN, holder=PRES, asset_id=clue.pk, kind="seize",
                                     amount="300000", claim_amount="400000")
    today = timezone.localdate()
    assert measure.status == MeasureStatus.ACTIVE and measure.priority == 1
    assert measure.ends_on == today.replace(year=today.year + 3) or measure.ends_on.year == today.year + 3
    second = _asset(dispute, debtor, identifier="62220229000002")
    before = (Measure.objects.count(), dispute.events.count())
    with pytest.raises(InvalidInput) as err:
        services.place_measure(actor=world.clerk, origin=ORIGIN, holder=PRES, asset_id=second.pk, kind="freeze",
                               amount="150000", claim_amount="400000")
    assert "第十九条" in err.value.message and "超标的" in err.value.message
    assert (Measure.objects.count(), dispute.events.count()) == before
    assert selectors.over_seizure(PRES, Decimal("400000")) == 0
    with pytest.raises(InvalidInput):
        services.place_measure(actor=world.clerk, origin=ORIGIN, holder=PRES, asset_id=second.pk, kind="seize",
                               amount="100", claim_amount="400000")
    with pytest.raises(NotPermitted):
        services.place_measure(actor=world.enforcer, origin=ORIGIN, holder=PRES, asset_id=second.pk,
                               kind="freeze", amount="100", claim_amount="400000")


def test_bank_freezes_only_the_balance(world, dispute, debtor, monkeypatch):
    monkeypatch.setattr(LocalRegistry, "balance_of", lambda self, asset: Decimal("1234.56"))
    asset = _asset(dispute, debtor, ENF, value="1234.56")
    measure = services.place_measure(actor=world.enforcer, origin=ORIGIN, holder=ENF, asset_id=asset.pk,
                                     kind="freeze", amount="5000", claim_amount="5000")
    assert measure.amount == Decimal("1234.56") and measure.requested_amount == Decimal("5000")
    assert "余额不足" in dispute.events.get(kind="asset_measure.placed").summary


def test_renew_release_deduct_transfer_substitute(world, dispute, debtor, clue):
    m = services.place_measure(actor=world.clerk, origin=ORIGIN, holder=PRES, asset_id=clue.pk, kind="seize",
                               amount="300000", claim_amount="400000")
    old_end = m.ends_on
    m = services.renew_measure(actor=world.judge, origin=ORIGIN, measure_id=m.pk)
    assert m.renewals == 1 and m.ends_on > old_end
    moved = services.transfer_measures(actor=world.enforcer, origin=ORIGIN, from_holder=PRES, to_holder=ENF)
    assert len(moved) == 1
    new = moved[0]
    assert (new.priority, new.starts_on, new.ends_on, new.asset.identifier) == (m.priority, m.starts_on, m.ends_on,
                                                                                 clue.identifier)
    m.refresh_from_db()
    assert m.status == MeasureStatus.TRANSFERRED
    assert services.transfer_measures(actor=world.enforcer, origin=ORIGIN, from_holder=PRES, to_holder=ENF) == []
    flat = _asset(dispute, debtor, ENF, kind="real_estate", institution="平罗县不动产登记中心",
                  identifier="宁（2022）平罗县不动产权第0000001号", value="350000")
    sub = services.substitute_asset(actor=world.enforcer, origin=ORIGIN, measure_id=new.pk, new_asset_id=flat.pk,
                                    reason="被执行人申请以平罗县房产替换")
    new.refresh_from_db()
    assert new.status == MeasureStatus.RELEASED and sub.status == MeasureStatus.ACTIVE
    with pytest.raises(Conflict):
        services.release_measure(actor=world.enforcer, origin=ORIGIN, measure_id=new.pk, reason="x")
    released = services.release_measure(actor=world.enforcer, origin=ORIGIN, measure_id=sub.pk, reason="已履行完毕")
    assert released.status == MeasureStatus.RELEASED


def test_deduct_partial_then_full(world, dispute, debtor, monkeypatch):
    asset = _asset(dispute, debtor, ENF, identifier="62220229000003", value="5000")
    monkeypatch.setattr(LocalRegistry, "balance_of", lambda self, asset: Decimal("5000"))
    m = services.place_measure(actor=world.enforcer, origin=ORIGIN, holder=ENF, asset_id=asset.pk, kind="freeze",
                               amount="5000", claim_amount="8000")
    m = services.deduct_measure(actor=world.enforcer, origin=ORIGIN, measure_id=m.pk, amount="2000")
    assert (m.status, m.amount, m.deducted_amount) == (MeasureStatus.ACTIVE, Decimal("3000"), Decimal("2000"))
    with pytest.raises(InvalidInput):
        services.deduct_measure(actor=world.enforcer, origin=ORIGIN, measure_id=m.pk, amount="3000.01")
    m = services.deduct_measure(actor=world.enforcer, origin=ORIGIN, measure_id=m.pk, amount="3000")
    assert (m.status, m.amount, m.deducted_amount) == (MeasureStatus.DEDUCTED, Decimal("0"), Decimal("5000"))


def test_expire_and_until_limit(world, dispute, debtor, clue):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as err:
        services.place_measure(actor=world.clerk, origin=ORIGIN, holder=PRES, asset_id=clue.pk, kind="seize",
                               amount="300000", claim_amount="400000", until=today + timedelta(days=4 * 366))
    assert "第四百八十五条" in err.value.message
    m = services.place_measure(actor=world.clerk, origin=ORIGIN, holder=PRES, asset_id=clue.pk, kind="seize",
                               amount="300000", claim_amount="400000", until=today + timedelta(days=30))
    assert services.expire_measure(measure_id=m.pk).status == MeasureStatus.EXPIRED


def test_selectors_scoped(world, dispute, debtor, clue):
    assert list(selectors.assets_of(PRES, world.clerk)) == [clue]
    assert list(selectors.assets_of(PRES, world.other_clerk)) == []
    with pytest.raises(NotFound):
        services.place_measure(actor=world.clerk, origin=ORIGIN, holder=ENF, asset_id=clue.pk, kind="seize",
                               amount="1", claim_amount="1")


def test_sweep_warns_then_expires(world, dispute, debtor, clue):
    from datetime import datetime, time

    from suyuan.disputes.choices import ClockStatus
    from suyuan.disputes.clocks import sweep
    from suyuan.disputes.models import Clock
    from suyuan.rules.periods import CHINA

    today = timezone.localdate()
    m = services.place_measure(actor=world.clerk, origin=ORIGIN, holder=PRES, asset_id=clue.pk, kind="seize",
                               amount="300000", claim_amount="400000", until=today + timedelta(days=30))
    clock = Clock.objects.get(rule="asset_measure", object_ref=f"asset_measure:{m.pk}", status=ClockStatus.OPEN)
    assert clock.due_on == m.ends_on
    sweep(datetime.combine(m.ends_on, time(9), tzinfo=CHINA))
    m.refresh_from_db()
    assert m.status == MeasureStatus.ACTIVE and dispute.events.filter(kind="clock.reminder").exists()
    sweep(datetime.combine(m.ends_on + timedelta(days=1), time(1), tzinfo=CHINA))
    m.refresh_from_db()
    assert Clock.objects.get(pk=clock.pk).status == ClockStatus.OVERDUE
    assert m.status == MeasureStatus.EXPIRED and dispute.events.filter(kind="asset_measure.expire").exists()


def test_renew_moves_the_clock_and_release_stops_it(world, dispute, debtor, clue):
    from suyuan.disputes.choices import ClockStatus
    from suyuan.disputes.models import Clock

    m = services.place_measure(actor=world.clerk, origin=ORIGIN, holder=PRES, asset_id=clue.pk, kind="seize",
                               amount="300000", claim_amount="400000", until=timezone.localdate() + timedelta(days=30))
    m = services.renew_measure(actor=world.clerk, origin=ORIGIN, measure_id=m.pk)
    open_clocks = Clock.objects.filter(object_ref=f"asset_measure:{m.pk}", status=ClockStatus.OPEN)
    assert [c.due_on for c in open_clocks] == [m.ends_on]
    services.release_measure(actor=world.clerk, origin=ORIGIN, measure_id=m.pk, reason="已提供担保")
    assert not Clock.objects.filter(object_ref=f"asset_measure:{m.pk}", status=ClockStatus.OPEN).exists()
