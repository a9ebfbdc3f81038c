"""Shared test helpers: a recorded dispute with the world's party (has an account) and a
respondent without one."""

from __future__ import annotations

from suyuan.accounts.context import Origin
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input

ORIGIN = Origin(via="test", ip="10.0.0.1")


def record(world, **kwargs) -> Dispute:  # type: ignore[no-untyped-def]
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number, **kwargs)
    return record_dispute(actor=world.grid_worker, origin=ORIGIN, data=data).dispute
