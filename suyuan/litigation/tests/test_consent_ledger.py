"""Court-referred mediation reads the mediation app's consent ledger (the latest word of each party)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from suyuan.litigation import consent

from .helpers import make_dispute

pytestmark = pytest.mark.skipif(not apps.is_installed("suyuan.mediation"), reason="mediation app not installed")


@pytest.mark.django_db
def test_every_party_must_have_said_yes_last(world):
    from suyuan.mediation.models import ConsentRecord

    dispute = make_dispute(world)
    parties = [dp.party for dp in dispute.dispute_parties.all()]
    assert consent.consent_problem(dispute) is not None
    for party in parties:
        ConsentRecord.objects.create(dispute=dispute, party=party, kind="mediation", given=True,
                                     at=timezone.now(), recorded_by=world.clerk, via="online")
    assert consent.consent_problem(dispute) is None
    ConsentRecord.objects.create(dispute=dispute, party=parties[1], kind="mediation", given=False,
                                 at=timezone.now() + timedelta(seconds=1),
                                 recorded_by=world.clerk, via="online")
    problem = consent.consent_problem(dispute)
    assert problem is not None and parties[1].name in problem
