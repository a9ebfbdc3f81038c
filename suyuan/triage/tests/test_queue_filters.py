"""The workbench queue filters on the stored triage proposal and on the clerk's decision."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.disputes.queue import QueueFilters, queue_causes, queue_page_disputes
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.triage.models import TriageProposal
from suyuan.triage.services import decide_triage, store_proposals

pytestmark = pytest.mark.django_db


def _numbers(user, **filters):
    qs = queue_page_disputes(user, QueueFilters(queue="all", **filters), today=timezone.localdate(), soon_days=4)
    return [d.number for d in qs]


def test_cause_and_track_filters_use_proposal_or_decision(client, world):
    a, b = (record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=grid_input(world.grid.code)).dispute
            for _ in range(2))
    store_proposals([a.pk, b.pk])
    TriageProposal.objects.filter(dispute=b).update(cause="买卖合同纠纷", track="ordinary")
    cause_a = TriageProposal.objects.get(dispute=a).cause
    assert cause_a != "买卖合同纠纷"
    assert _numbers(world.clerk, cause=cause_a) == [a.number]
    assert _numbers(world.clerk, cause="买卖合同纠纷") == [b.number]
    assert _numbers(world.clerk, track="ordinary") == [b.number]
    # The clerk overrides a's cause: the decided cause now finds it too.
    decide_triage(actor=world.clerk, origin=Origin(via="test"), number=a.number,
                  decisions={"cause": ("买卖合同纠纷", "合同实为买卖")})
    assert set(_numbers(world.clerk, cause="买卖合同纠纷")) == {a.number, b.number}
    assert "买卖合同纠纷" in queue_causes(world.clerk)
    assert queue_causes(world.other_clerk) == []  # facets come from the actor's scope only
    client.force_login(world.clerk)
    page = client.get(reverse("disputes:workbench"), {"queue": "all", "cause": "买卖合同纠纷", "track": "ordinary"})
    text = page.content.decode()
    assert b.number in text and a.number not in text
