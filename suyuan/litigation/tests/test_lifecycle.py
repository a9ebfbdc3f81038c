"""Every allowed and every forbidden edge of the case and confirmation lifecycles (state × action × role)."""

from __future__ import annotations

import pytest

from suyuan.accounts.choices import Role
from suyuan.disputes.workflow import SYSTEM
from suyuan.litigation.choices import ConfirmationStatus, Procedure
from suyuan.litigation.lifecycle import CASE, CONFIRMATION
from suyuan.litigation.models import ConfirmationApplication, CourtMediation
from suyuan.testing import lifecycles

from .helpers import consent_everyone, filed_case, make_dispute

ROLES = [Role.PARTY, Role.GRID_WORKER, Role.MEDIATOR, Role.CLERK, Role.JUDGE, Role.LEADER, SYSTEM]
PAYLOAD = {"reason": "不属于人民法院受理民事诉讼的范围", "reasons": "协议内容违反法律强制性规定"}


def actors(world):
    return {
        Role.PARTY: world.party_user, Role.GRID_WORKER: world.grid_worker, Role.MEDIATOR: world.mediator_user,
        Role.CLERK: world.clerk, Role.JUDGE: world.judge, Role.LEADER: world.leader, SYSTEM: None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("state", CASE.states.values)
def test_every_case_edge_from(world, monkeypatch, state):
    consent_everyone(monkeypatch)
    case = filed_case(world)
    case.procedure = Procedure.SIMPLE
    case.save(update_fields=["procedure"])
    # The mediator sees the case through a court referral (as after "refer_to_mediation").
    CourtMediation.objects.create(case=case, mediator=world.mediator, assigned_at=case.filed_at,
                                  assigned_by=world.clerk, outcome="failed")
    checked = lifecycles.walk_state(CASE, case, state, actors(world), payload=PAYLOAD)
    assert checked == len(CASE.actions()) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("state", CONFIRMATION.states.values)
def test_every_confirmation_edge_from(world, state):
    dispute = make_dispute(world)
    app = ConfirmationApplication.objects.create(
        dispute=dispute, court=dispute.court, agreement_ref=1, agreement_effective_on=dispute.created_at.date(),
        applied_at=dispute.created_at, applied_by=world.party_user, status=ConfirmationStatus.APPLIED,
    )
    checked = lifecycles.walk_state(CONFIRMATION, app, state, actors(world), payload=PAYLOAD)
    assert checked == len(CONFIRMATION.actions()) * len(ROLES)


@pytest.mark.django_db
def test_refusal_without_reason_is_refused_by_the_guard(world):
    from suyuan.common.errors import InvalidInput
    from suyuan.disputes.workflow import apply

    case = filed_case(world)
    with pytest.raises(InvalidInput, match="理由"):
        apply(CASE, case, "refuse", actor=world.clerk, origin=lifecycles.ORIGIN, payload={"reason": "  "})


@pytest.mark.django_db
def test_court_mediation_needs_consent(world, monkeypatch):
    from suyuan.common.errors import InvalidInput
    from suyuan.disputes.workflow import apply

    monkeypatch.setattr("suyuan.litigation.consent.parties_without_consent", lambda dispute: ["李四"])
    case = filed_case(world)
    type(case).objects.filter(pk=case.pk).update(status="registered", procedure=Procedure.SIMPLE)
    with pytest.raises(InvalidInput, match="李四"):
        apply(CASE, case.pk, "refer_to_mediation", actor=world.clerk, origin=lifecycles.ORIGIN)
