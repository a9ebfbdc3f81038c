"""保全转执行 of registry measures: they continue under the enforcement case, or the transfer is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from suyuan.assets import measures as asset_measures
from suyuan.assets.choices import MeasureStatus
from suyuan.assets.models import Measure
from suyuan.assets.services import add_clue
from suyuan.common.errors import InvalidInput
from suyuan.enforcement.choices import EnforcementBasis
from suyuan.enforcement.models import EnforcementCase
from suyuan.preservation import services
from suyuan.preservation.choices import PreservationStatus
from suyuan.preservation.models import Preservation
from suyuan.preservation.tests.helpers import ORIGIN, granted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_registry():  # type: ignore[no-untyped-def]
    with override_settings(SUYUAN_ASSET_REGISTRY={"BACKEND": "suyuan.assets.local_registry.LocalRegistry"}):
        yield


def _following_with_a_seizure(world) -> tuple[Preservation, Measure]:  # type: ignore[no-untyped-def]
    p = granted(world)
    asset = add_clue(actor=world.clerk, origin=ORIGIN, dispute_id=p.dispute_id, holder=p.ref,
                     party_id=p.respondent_id, kind="real_estate", institution="石嘴山市大武口区不动产登记中心",
                     identifier="宁（2021）大武口区不动产权第0012345号", description="朝阳东街住宅",
                     value=Decimal("300000"))
    measure = asset_measures.place_measure(actor=world.clerk, origin=ORIGIN, holder=p.ref, asset_id=asset.pk,
                                           kind="seize", amount="12000", claim_amount="12000")
    services.record_arbitration(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, note="仲裁委员会已受理")
    p.refresh_from_db()
    assert p.status == PreservationStatus.FOLLOWING
    return p, measure


def _case(world, p: Preservation) -> EnforcementCase:  # type: ignore[no-untyped-def]
    return EnforcementCase.objects.create(
        basis=EnforcementBasis.JUDGMENT, basis_reference="（2026）宁0202民初1号", dispute=p.dispute,
        court=world.dawukou_court, number="（2026）宁0202执8801号", year=2026, serial=8801,
        applicant=p.applicant, respondent=p.respondent, amount=Decimal("12000"), applied_at=timezone.now(),
        applied_by=world.clerk, period_citation="《中华人民共和国民事诉讼法》第二百五十条",
    )


def test_transfer_carries_registry_measures_into_the_open_case(world):  # type: ignore[no-untyped-def]
    p, old = _following_with_a_seizure(world)
    case = _case(world, p)
    services.transfer_preservation(actor=world.enforcer, origin=ORIGIN, preservation_id=p.pk)
    old.refresh_from_db()
    new = Measure.objects.get(holder=case.holder)
    assert old.status == MeasureStatus.TRANSFERRED
    assert (new.status, new.priority, new.ends_on, new.transferred_from_id) == (
        MeasureStatus.ACTIVE, old.priority, old.ends_on, old.pk)
    case.refresh_from_db()
    assert case.first_measure_at is not None  # enforcement's own reaction to a measure placed for the case
    p.refresh_from_db()
    assert p.status == PreservationStatus.TRANSFERRED


def test_without_an_enforcement_case_the_transfer_is_refused_and_nothing_changes(world):  # type: ignore[no-untyped-def]
    p, old = _following_with_a_seizure(world)
    events = p.dispute.events.count()
    with pytest.raises(InvalidInput, match="尚无执行中的执行案件"):
        services.transfer_preservation(actor=world.enforcer, origin=ORIGIN, preservation_id=p.pk)
    old.refresh_from_db()
    p.refresh_from_db()
    assert old.status == MeasureStatus.ACTIVE and p.status == PreservationStatus.FOLLOWING
    assert p.dispute.events.count() == events


def test_recorded_measures_carried_over_are_listed_on_the_case_page_with_their_end(world, client):  # type: ignore[no-untyped-def]
    from suyuan.preservation import measures as recorded
    from suyuan.preservation.choices import AssetKind, MeasureKind

    p = granted(world)
    m = recorded.place_measure(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, asset_kind=AssetKind.BANK,
                               asset="石嘴山银行账户（尾号 6601）", kind=MeasureKind.FREEZE, amount="12000")
    services.record_arbitration(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, note="仲裁委员会已受理")
    case = _case(world, p)
    client.force_login(world.enforcer)
    assert 'id="carried-measures"' not in client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    services.transfer_preservation(actor=world.enforcer, origin=ORIGIN, preservation_id=p.pk)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'id="carried-measures"' in page and "石嘴山银行账户（尾号 6601）" in page
    assert f"{m.ends_on:%Y-%m-%d}" in page and f'href="/preservation/{p.pk}/"' in page
    # Asset descriptions are the court's: a party who opens the case page does not get them.
    client.force_login(world.party_user)
    page = client.get(f"/enforcement/cases/{case.pk}/")
    assert page.status_code == 200 and "石嘴山银行账户（尾号 6601）" not in page.content.decode()


def test_a_concluded_case_stops_asking_to_renew_the_carried_measures(world):  # type: ignore[no-untyped-def]
    from suyuan.disputes.choices import ClockStatus
    from suyuan.disputes.models import Clock
    from suyuan.enforcement import conclusion
    from suyuan.preservation import measures as recorded
    from suyuan.preservation.choices import AssetKind, MeasureKind
    from suyuan.preservation.expiry import ref

    p = granted(world)
    m = recorded.place_measure(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, asset_kind=AssetKind.BANK,
                               asset="石嘴山银行账户（尾号 6601）", kind=MeasureKind.FREEZE, amount="12000")
    services.record_arbitration(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, note="仲裁委员会已受理")
    case = _case(world, p)
    services.transfer_preservation(actor=world.enforcer, origin=ORIGIN, preservation_id=p.pk)
    assert Clock.objects.get(object_ref=ref(m)).status == ClockStatus.OPEN
    type(p.dispute).objects.filter(pk=p.dispute_id).update(status="in_enforcement")  # as opening the case does
    case = conclusion.record_recovery(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, amount="12000",
                                      note="扣划冻结存款", expected_version=case.version)
    conclusion.complete(case_id=case.pk, actor=world.enforcer, origin=ORIGIN)
    assert Clock.objects.get(object_ref=ref(m)).status == ClockStatus.CANCELLED
    event = p.dispute.events.get(kind="enforcement.carried_measures_to_lift")
    assert "石嘴山银行账户（尾号 6601）" in event.summary
