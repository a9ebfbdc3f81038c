"""Enforcement figures for leaders (suyuan/governance/enforcement_figures.py)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from suyuan.enforcement import conclusion
from suyuan.enforcement.choices import EnforcementStatus
from suyuan.enforcement.models import EnforcementCase
from suyuan.enforcement.tests.conftest import ORIGIN
from suyuan.enforcement.tests.test_workflow import _open_on_plan
from suyuan.governance import enforcement_figures


@pytest.mark.django_db
def test_figures_for_leaders(world):
    a, b, c = _open_on_plan(world, ("4000",)), _open_on_plan(world, ("6000",)), _open_on_plan(world, ("10000",))
    now = timezone.now()
    conclusion.record_recovery(case_id=a.pk, actor=world.enforcer, origin=ORIGIN, amount="4000", note="扣划",
                               expected_version=a.version)
    conclusion.record_first_measure(case_id=a.pk, at=now + timedelta(days=2))
    conclusion.record_first_measure(case_id=a.pk, at=now + timedelta(days=9))  # only the first counts
    conclusion.record_first_measure(case_id=b.pk, at=now + timedelta(days=4))
    conclusion.complete(case_id=a.pk, actor=world.enforcer, origin=ORIGIN)
    EnforcementCase.objects.filter(pk=b.pk).update(status=EnforcementStatus.ROUND_ENDED)
    cases = EnforcementCase.objects.filter(pk__in=[a.pk, b.pk, c.pk])
    f = enforcement_figures.figures(cases)
    assert f.cases == 3 and f.concluded == 2 and f.applied == Decimal("20000") and f.recovered == Decimal("4000")
    assert f.recovery_rate == Decimal("0.200") and f.completed_rate == Decimal("0.500")
    assert f.round_ended_rate == Decimal("0.500") and f.settlement_share == Decimal("0.000")
    assert f.grace_performed_share is None
    assert Decimal("2.9") <= f.days_to_first_measure <= Decimal("3.1")


@pytest.mark.django_db
def test_the_cases_follow_the_dashboards_county_category_and_channel(world):
    from suyuan.common.choices import DisputeCategory
    from suyuan.disputes.choices import Channel
    from suyuan.governance.selectors import Filters, leader_scope
    from suyuan.network.choices import RegionLevel
    from suyuan.network.models import Region

    case = _open_on_plan(world, ("5000",))
    dispute = case.dispute
    scope = leader_scope(world.leader)
    month = timezone.localdate().replace(day=1)

    def counted(**narrow: str) -> bool:
        cases = enforcement_figures.cases_in(scope, Filters(start=month, end=month, **narrow))
        return cases.filter(pk=case.pk).exists()

    county = dispute.region.ancestor_at(RegionLevel.COUNTY)
    other_county = Region.objects.filter(level=RegionLevel.COUNTY).exclude(pk=county.pk).first()
    assert counted() and counted(county=county.code) and counted(category=dispute.category)
    assert counted(channel=dispute.channel)
    assert not counted(county=other_county.code)
    assert not counted(category=next(c for c in DisputeCategory.values if c != dispute.category))
    assert not counted(channel=next(c for c in Channel.values if c != dispute.channel))
