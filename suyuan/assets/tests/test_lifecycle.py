"""Every allowed and forbidden edge of the asset-search and measure lifecycles."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.assets.lifecycle import ASSET_MEASURE, ASSET_SEARCH
from suyuan.assets.models import AssetSearch, Measure
from suyuan.disputes.workflow import SYSTEM
from suyuan.testing import lifecycles

from .conftest import ENF

ROLES = [Role.PARTY, Role.MEDIATOR, Role.CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.LEADER, SYSTEM]


def actors(world):
    return {Role.PARTY: world.party_user, Role.MEDIATOR: world.mediator_user, Role.CLERK: world.clerk,
            Role.JUDGE: world.judge, Role.ENFORCEMENT: world.enforcer, Role.LEADER: world.leader, SYSTEM: None}


@pytest.mark.django_db
@pytest.mark.parametrize("state", ASSET_SEARCH.states.values)
def test_search_edges(world, dispute, debtor, state):
    search = AssetSearch.objects.create(dispute=dispute, holder=ENF, party=debtor, kinds=["bank"])
    assert lifecycles.walk_state(ASSET_SEARCH, search, state, actors(world)) == len(ASSET_SEARCH.actions()) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("state", ASSET_MEASURE.states.values)
def test_measure_edges(world, dispute, debtor, clue, state):
    today = timezone.localdate()
    measure = Measure.objects.create(dispute=dispute, holder=clue.holder, asset=clue, kind="seize",
                                     requested_amount=Decimal("1"), amount=Decimal("1"), starts_on=today,
                                     ends_on=today)
    checked = lifecycles.walk_state(ASSET_MEASURE, measure, state, actors(world))
    assert checked == len(ASSET_MEASURE.actions()) * len(ROLES)
