"""The progress tracker runs from recording to enforcement, with dates and the optional steps skipped."""

from __future__ import annotations

import pytest
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.disputes.progress import progress_of
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input

pytestmark = pytest.mark.django_db


def test_a_new_dispute_shows_the_whole_way_to_enforcement_with_todays_date_on_the_first_step(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute
    progress = progress_of(dispute)
    assert [s.label for s in progress.steps] == ["登记", "调解", "达成协议", "司法确认", "履行", "强制执行", "办结"]
    assert progress.steps[0].state == "current" and progress.steps[0].on == timezone.localdate()
    assert all(s.on is None for s in progress.steps[1:])
    assert progress.stage == "已收到您的纠纷，正在安排调解"

