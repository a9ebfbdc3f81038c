"""The asset facts wired into the enforcement case (asset_facts.py): panel, first measure, recovery
by deduction, triage on the first search, the assets_exhausted 终本 condition."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from suyuan.assets import hooks
from suyuan.assets import services as assets
from suyuan.assets.choices import AssetSource, SearchStatus
from suyuan.assets.models import Asset, AssetSearch
from suyuan.assets.searching import run_search
from suyuan.enforcement import asset_facts, conditions, tracks
from suyuan.enforcement.choices import EnforcementTrack

from .test_workflow import ORIGIN, _open_on_plan

pytestmark = pytest.mark.django_db


def _clue(world, case, *, identifier="62220229000001", value="50000"):
    return assets.add_clue(actor=world.enforcer, origin=ORIGIN, dispute_id=case.dispute_id, holder=case.holder,
                           party_id=case.respondent_id, kind="bank", institution="中国工商银行石嘴山分行",
                           identifier=identifier, value=value)


def _verdict(case):
    return {r.key: r.verdict for r in conditions.evaluate(case)}["assets_exhausted"]


def test_the_wiring_is_registered():
    assert tracks.first_search_found is asset_facts.first_search_found
    from suyuan.assets.lifecycle import ASSET_SEARCH

    assert asset_facts.on_measure_placed in hooks.measure_placed
    assert asset_facts.on_measure_deducted in hooks.measure_deducted
    assert asset_facts.on_search_step in ASSET_SEARCH.after


def test_panel_for_the_officer_read_only_for_the_applicant(client, world):
    case = _open_on_plan(world, amounts=("9000",))
    client.force_login(world.enforcer)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "财产查控" in page and "提交网络查控" in page
    client.force_login(world.party_user)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "提交网络查控" not in page


def test_freeze_records_the_first_measure_and_deduction_raises_recovered(world):
    case = _open_on_plan(world, amounts=("9000",))
    assert case.first_measure_at is None
    asset = _clue(world, case)
    measure = assets.place_measure(actor=world.enforcer, origin=ORIGIN, holder=case.holder, asset_id=asset.pk,
                                   kind="freeze", amount="9000", claim_amount=case.outstanding)
    case.refresh_from_db()
    first = case.first_measure_at
    assert first is not None and case.recovered == 0
    assets.deduct_measure(actor=world.enforcer, origin=ORIGIN, measure_id=measure.pk, amount="4000")
    case.refresh_from_db()
    assert case.recovered == Decimal("4000") and case.first_measure_at == first
    assert case.dispute.events.filter(kind="enforcement.recovered", data__measure=measure.pk).exists()
    measure.refresh_from_db()
    assets.deduct_measure(actor=world.enforcer, origin=ORIGIN, measure_id=measure.pk, amount=str(measure.amount))
    case.refresh_from_db()
    assert case.recovered == Decimal("9000") and case.outstanding == 0


def test_deduction_beyond_the_claim_is_not_counted(world):
    case = _open_on_plan(world, amounts=("9000",))
    asset = _clue(world, case)
    assets.place_measure(actor=world.enforcer, origin=ORIGIN, holder=case.holder, asset_id=asset.pk, kind="deduct",
                         amount="12000", claim_amount=case.outstanding, over_reason="账户余额不可分割")
    case.refresh_from_db()
    assert case.recovered == case.amount == Decimal("9000")
    event = case.dispute.events.get(kind="enforcement.recovered")
    assert "应退还被执行人" in event.summary


def test_preservation_measures_do_not_touch_the_case(world, monkeypatch):
    from suyuan.preservation.asset_measures import on_measure_placed as preservation_reacts

    # A made-up holder with no preservation behind it: only enforcement's reaction is under test here.
    monkeypatch.setattr(hooks, "measure_placed", [f for f in hooks.measure_placed if f is not preservation_reacts])
    case = _open_on_plan(world, amounts=("9000",))
    holder = "preservation:424242"
    asset = Asset.objects.create(dispute=case.dispute, holder=holder, party_id=case.respondent_id, kind="bank",
                                 institution="石嘴山银行", identifier="6231682000001", value=Decimal("5000"),
                                 source=AssetSource.CLUE)
    assets.place_measure(actor=world.clerk, origin=ORIGIN, holder=holder, asset_id=asset.pk, kind="freeze",
                         amount="5000", claim_amount="9000")
    case.refresh_from_db()
    assert case.first_measure_at is None


def _completed_search(case, world, *, found):
    search = AssetSearch.objects.create(dispute=case.dispute, holder=case.holder, party_id=case.respondent_id,
                                        kinds=["bank"], requested_by=world.enforcer, status=SearchStatus.COMPLETED,
                                        completed_at=timezone.now())
    if found:
        Asset.objects.create(dispute=case.dispute, holder=case.holder, party_id=case.respondent_id, kind="bank",
                             institution="宁夏银行石嘴山分行", identifier=f"6229{search.pk:08d}", value=Decimal("100"),
                             source=AssetSource.SEARCH, search=search)
    return search


def test_first_search_found_and_the_exhausted_condition(world):
    case = _open_on_plan(world, amounts=("9000",))
    assert asset_facts.first_search_found(case) is None
    assert _verdict(case).state == conditions.UNKNOWN
    _completed_search(case, world, found=False)
    assert asset_facts.first_search_found(case) is False
    assert _verdict(case).state == conditions.MET
    track, reasons = tracks.assess(case)
    assert track == EnforcementTrack.COMPLEX and "首次网络查控未发现被执行人财产。" in reasons
    running = AssetSearch.objects.create(dispute=case.dispute, holder=case.holder, party_id=case.respondent_id,
                                         kinds=["bank"], requested_by=world.enforcer, status=SearchStatus.RUNNING)
    assert _verdict(case).state == conditions.UNMET
    running.delete()
    _completed_search(case, world, found=True)
    assert asset_facts.first_search_found(case) is False  # the first search decides the triage
    assert _verdict(case).state == conditions.UNKNOWN  # found but not controlled: the officer confirms


def test_the_first_completed_search_re_runs_the_triage(world, django_capture_on_commit_callbacks):
    case = _open_on_plan(world, amounts=("9000",))
    with django_capture_on_commit_callbacks(execute=False):
        search = assets.request_search(actor=world.enforcer, origin=ORIGIN, dispute_id=case.dispute_id,
                                       holder=case.holder, party_id=case.respondent_id, kinds=["bank", "vehicle"])
    before = case.dispute.events.filter(kind="enforcement.track_suggested").count()
    with django_capture_on_commit_callbacks(execute=False):
        run_search(search.pk)
    search.refresh_from_db()
    assert search.status == SearchStatus.COMPLETED
    case.refresh_from_db()
    assert case.dispute.events.filter(kind="enforcement.track_suggested").count() == before + 1
    found = search.assets.exists()
    expected = "首次网络查控已发现被执行人财产。" if found else "首次网络查控未发现被执行人财产。"
    assert expected in case.track_reasons
