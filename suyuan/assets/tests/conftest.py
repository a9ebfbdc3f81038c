from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from suyuan.accounts.context import Origin
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input

ORIGIN = Origin(via="test", ip="127.0.0.1")
PRES = "preservation:1"
ENF = "enforcement:1"


@pytest.fixture(autouse=True)
def _local_registry():
    from suyuan.assets.local_registry import LocalRegistry

    LocalRegistry._calls.clear()
    with override_settings(SUYUAN_ASSET_REGISTRY={"BACKEND": "suyuan.assets.local_registry.LocalRegistry"}):
        yield


@pytest.fixture(autouse=True)
def _holders_alone(monkeypatch):
    """These tests exercise the adapter for made-up holders (``preservation:1`` has no preservation behind
    it); the stage apps' reactions to a placed measure are tested in those apps."""
    from suyuan.assets import hooks

    monkeypatch.setattr(hooks, "measure_placed", [])
    monkeypatch.setattr(hooks, "measure_deducted", [])


@pytest.fixture
def dispute(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    made = record_dispute(actor=world.grid_worker, origin=ORIGIN, data=data).dispute
    Dispute.objects.filter(pk=made.pk).update(court=world.dawukou_court)
    made.refresh_from_db()
    return made


@pytest.fixture
def debtor(dispute):
    return dispute.dispute_parties.get(role="respondent").party


@pytest.fixture
def clue(world, dispute, debtor):
    from suyuan.assets.services import add_clue

    return add_clue(actor=world.clerk, origin=ORIGIN, dispute_id=dispute.pk, holder=PRES, party_id=debtor.pk,
                    kind="real_estate", institution="石嘴山市大武口区不动产登记中心",
                    identifier="宁（2021）大武口区不动产权第0012345号", description="朝阳东街住宅",
                    value=Decimal("300000"))
