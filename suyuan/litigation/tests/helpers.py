"""Shared arrangements for the litigation tests."""

from __future__ import annotations

from suyuan.accounts.context import Origin
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.litigation import services
from suyuan.litigation.choices import Procedure
from suyuan.litigation.services import TrackChoice
from suyuan.testing.disputes import grid_input

ORIGIN = Origin(via="test", ip="127.0.0.1")


def make_dispute(world, *, amount: str = "12000") -> Dispute:
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number, amount=amount)
    return record_dispute(actor=world.grid_worker, origin=ORIGIN, data=data).dispute


def filed_case(world, **kwargs):
    dispute = make_dispute(world, **kwargs)
    return services.file_suit(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk)


def registered_case(world, procedure: str = Procedure.SIMPLE, **kwargs):
    case = filed_case(world, **kwargs)
    return services.register_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                  track=TrackChoice(procedure=procedure))


def consent_everyone(monkeypatch) -> None:
    """Stand in for the mediation app's consent ledger: every party has said yes."""
    monkeypatch.setattr("suyuan.litigation.consent.parties_without_consent", lambda dispute: [])
