"""Every allowed and every forbidden edge of the dispute lifecycle (state × action × role)."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.common.errors import Conflict
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.disputes.services import record_dispute
from suyuan.disputes.workflow import apply
from suyuan.testing import lifecycles
from suyuan.testing.disputes import grid_input

ROLES = [Role.PARTY, Role.GRID_WORKER, Role.MEDIATOR, Role.ORG_ADMIN, Role.CENTRE_STAFF, Role.CLERK, Role.JUDGE,
         Role.ENFORCEMENT, Role.LEADER]


def actor_for(world, role):
    return {
        Role.PARTY: world.party_user, Role.GRID_WORKER: world.grid_worker, Role.MEDIATOR: world.mediator_user,
        Role.ORG_ADMIN: world.org_admin, Role.CENTRE_STAFF: world.centre_staff, Role.CLERK: world.clerk,
        Role.JUDGE: world.judge, Role.ENFORCEMENT: world.enforcer, Role.LEADER: world.leader,
    }[role]


@pytest.fixture
def dispute(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    d = record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute
    Dispute.objects.filter(pk=d.pk).update(mediator=world.mediator, handling_organisation=world.committee)
    d.refresh_from_db()
    return d


@pytest.mark.django_db
@pytest.mark.parametrize("state", DISPUTE.states.values)
def test_every_edge_from(world, dispute, state):
    actors = {role: actor_for(world, role) for role in ROLES}
    checked = lifecycles.walk_state(DISPUTE, dispute, state, actors)
    assert checked == len(DISPUTE.actions()) * len(ROLES)


@pytest.mark.django_db
def test_out_of_scope_actor_gets_not_found(world, dispute):
    from suyuan.common.errors import NotFound

    with pytest.raises(NotFound):
        apply(DISPUTE, dispute, "refer_to_mediation", actor=world.other_clerk, origin=lifecycles.ORIGIN)


@pytest.mark.django_db
def test_timeline_events_are_append_only(world, dispute):
    with pytest.raises(DatabaseError), transaction.atomic():
        DisputeEvent.objects.filter(dispute=dispute).update(summary="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        DisputeEvent.objects.filter(dispute=dispute).delete()


@pytest.mark.django_db(transaction=True)
def test_two_users_acting_at_once_exactly_one_succeeds(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(user):
        try:
            barrier.wait()
            apply(DISPUTE, dispute.pk, "refer_to_mediation", actor=user, origin=lifecycles.ORIGIN)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(u,)) for u in (world.clerk, world.centre_staff)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes)[0] == "ok"
    assert outcomes.count("ok") == 1
    assert "当前状态为“诉前调解中”" in next(o for o in outcomes if o != "ok")
    assert DisputeEvent.objects.filter(dispute=dispute, kind="dispute.refer_to_mediation").count() == 1
