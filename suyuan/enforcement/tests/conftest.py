from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.disputes.workflow import apply
from suyuan.enforcement.models import PerformancePlan
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import make_user

ORIGIN = Origin(via="test", ip="127.0.0.1")


def performance(dispute, *, first_due, amounts=("4000", "8000"), gap=30, source="agreement"):
    applicant = dispute.dispute_parties.get(role="applicant").party
    respondent = dispute.dispute_parties.get(role="respondent").party
    rows = [{"due": (first_due + timedelta(days=gap * n)).isoformat(), "amount": a} for n, a in enumerate(amounts)]
    total = sum(int(a) for a in amounts)
    return {"total": str(total), "instalments": rows, "obligor_party_id": respondent.pk,
            "obligee_party_id": applicant.pk, "source": source}


def make_performing(world, *, first_due=None, **kwargs):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=ORIGIN, data=data).dispute
    Dispute.objects.filter(pk=dispute.pk).update(mediator=world.mediator, handling_organisation=world.committee,
                                                 status=DisputeStatus.SETTLED)
    dispute.refresh_from_db()
    first_due = first_due or timezone.localdate() + timedelta(days=10)
    apply(DISPUTE, dispute, "perform_voluntarily", actor=world.mediator_user, origin=ORIGIN,
          payload={"performance": performance(dispute, first_due=first_due, **kwargs)})
    dispute.refresh_from_db()
    return dispute


@pytest.fixture
def performing(world):
    return make_performing(world)


@pytest.fixture
def obligor_user(performing):
    respondent = performing.dispute_parties.get(role="respondent").party
    return make_user(Role.PARTY, party=respondent, full_name=respondent.name)


def plan_of(dispute):
    """The dispute's plan from its legal document (settlements in enforcement are extra plans)."""
    return PerformancePlan.objects.exclude(source="enforcement_settlement").get(dispute=dispute)
