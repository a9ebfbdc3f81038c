"""Measures placed through the registries (``assets.Measure``) are the preservation's measures too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from suyuan.assets import measures as asset_measures
from suyuan.assets.choices import MeasureStatus as AssetMeasureStatus
from suyuan.assets.models import Asset, Measure
from suyuan.assets.services import add_clue
from suyuan.common.errors import Conflict, InvalidInput
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock
from suyuan.disputes.workflow import apply
from suyuan.preservation import measures, services
from suyuan.preservation.choices import AssetKind, MeasureKind, PreservationStatus, TodoKind
from suyuan.preservation.legal import LAPSE
from suyuan.preservation.models import Preservation
from suyuan.rules import periods

from .helpers import ORIGIN, granted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_registry():  # type: ignore[no-untyped-def]
    with override_settings(SUYUAN_ASSET_REGISTRY={"BACKEND": "suyuan.assets.local_registry.LocalRegistry"}):
        yield


def _estate(world, p: Preservation, number: str = "0012345") -> Asset:  # type: ignore[no-untyped-def]
    return add_clue(actor=world.clerk, origin=ORIGIN, dispute_id=p.dispute_id, holder=p.ref,
                    party_id=p.respondent_id, kind="real_estate", institution="石嘴山市大武口区不动产登记中心",
                    identifier=f"宁（2021）大武口区不动产权第{number}号", description="朝阳东街住宅",
                    value=Decimal("300000"))


def _seize(world, p: Preservation, asset: Asset, amount: str, **kwargs) -> Measure:  # type: ignore[no-untyped-def]
    return asset_measures.place_measure(actor=world.clerk, origin=ORIGIN, holder=p.ref, asset_id=asset.pk,
                                        kind="seize", amount=amount, claim_amount=str(p.amount), **kwargs)


def test_the_first_registry_measure_puts_it_in_force_and_starts_the_30_days(world):  # type: ignore[no-untyped-def]
    p = granted(world)
    measure = _seize(world, p, _estate(world, p), "12000")
    p.refresh_from_db()
    assert p.status == PreservationStatus.IN_FORCE and p.measures_taken_on == measure.starts_on
    clock = Clock.objects.get(dispute=p.dispute, rule=LAPSE, object_ref=p.ref, status=ClockStatus.OPEN)
    assert clock.due_on == periods.compute(LAPSE, start=measure.starts_on).due
    event = p.dispute.events.get(kind="preservation.take_measures")
    assert event.data["asset_measure"] == measure.pk and "不动产登记中心" in event.summary
    assert p.active_total == Decimal("12000")


def test_a_registry_measure_on_a_preservation_not_open_is_refused_and_nothing_is_written(world):  # type: ignore[no-untyped-def]
    p = granted(world)
    asset = _estate(world, p)
    Preservation.objects.filter(pk=p.pk).update(status=PreservationStatus.LIFTED)
    before = (Measure.objects.count(), p.dispute.events.count())
    with pytest.raises(Conflict, match="不能采取保全措施"):
        _seize(world, p, asset, "5000")
    assert (Measure.objects.count(), p.dispute.events.count()) == before


def test_recorded_and_registry_measures_together_may_not_exceed_the_amount(world):  # type: ignore[no-untyped-def]
    p = granted(world)  # 12,000 preserved
    measures.place_measure(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, asset_kind=AssetKind.BANK,
                           asset="石嘴山银行账户（尾号 6601）", kind=MeasureKind.FREEZE, amount="8000")
    p.refresh_from_db()
    asset = _estate(world, p)
    # The page signs what is left (4,000); a caller passing the whole amount is still stopped by the hook.
    with pytest.raises(InvalidInput, match="超过请求保全的金额"):
        _seize(world, p, asset, "6000")
    assert not Measure.objects.filter(holder=p.ref).exists()
    _seize(world, p, asset, "4000")
    assert p.active_total == Decimal("12000")


def test_the_clerks_lift_releases_the_registry_measures_at_the_institution(world):  # type: ignore[no-untyped-def]
    p = granted(world)
    measure = _seize(world, p, _estate(world, p), "12000")
    apply(DISPUTE, p.dispute, "settle", actor=world.mediator_user, origin=ORIGIN)
    todo = p.todos.get()
    assert todo.kind == TodoKind.LIFT and "不动产登记中心" in todo.text and "12000" in todo.text
    p.refresh_from_db()
    services.lift_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, reason="双方已调解结案",
                               expected_version=p.version)
    measure.refresh_from_db()
    assert measure.status == AssetMeasureStatus.RELEASED and measure.reason == "双方已调解结案"
    lift = p.dispute.events.get(kind="preservation.lift")
    assert "不动产登记中心" in lift.summary


def test_a_stale_lift_releases_nothing(world):  # type: ignore[no-untyped-def]
    p = granted(world)
    measure = _seize(world, p, _estate(world, p), "12000")
    p.refresh_from_db()
    with pytest.raises(Conflict):
        services.lift_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, reason="撤回",
                                   expected_version=p.version - 1)
    measure.refresh_from_db()
    assert measure.status == AssetMeasureStatus.ACTIVE


def test_the_page_offers_registry_measures_only_while_the_preservation_is_open(world, client):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from .helpers import pre_suit

    p = pre_suit(world)
    services.accept_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk)
    _estate(world, p)
    client.force_login(world.clerk)
    place = reverse("assets:place")
    page = client.get(reverse("preservation:detail", args=[p.pk])).content.decode()
    assert "提交网络查控" in page and place not in page  # searching yes, measures not before the ruling
    services.rule_preservation(actor=world.judge, origin=ORIGIN, preservation_id=p.pk, grant=True)
    page = client.get(reverse("preservation:detail", args=[p.pk])).content.decode()
    assert place in page
