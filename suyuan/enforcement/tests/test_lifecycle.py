"""Every allowed and forbidden edge of the plan, instalment and enforcement-case lifecycles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.disputes.workflow import SYSTEM
from suyuan.enforcement.lifecycle import ENFORCEMENT_CASE, INSTALMENT, PLAN
from suyuan.enforcement.models import EnforcementCase
from suyuan.testing import lifecycles

from .conftest import plan_of

ROLES = [Role.PARTY, Role.MEDIATOR, Role.CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.LEADER, SYSTEM]


def actors(world):
    return {Role.PARTY: world.party_user, Role.MEDIATOR: world.mediator_user, Role.CLERK: world.clerk,
            Role.JUDGE: world.judge, Role.ENFORCEMENT: world.enforcer, Role.LEADER: world.leader, SYSTEM: None}


@pytest.mark.django_db
@pytest.mark.parametrize("state", PLAN.states.values)
def test_plan_edges(world, performing, state):
    plan = plan_of(performing)
    plan.last_default_due = timezone.localdate() - timedelta(days=1)
    plan.save()
    assert lifecycles.walk_state(PLAN, plan, state, actors(world)) == len(PLAN.actions()) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("state", INSTALMENT.states.values)
def test_instalment_edges(world, performing, state):
    instalment = plan_of(performing).instalments.first()
    assert lifecycles.walk_state(INSTALMENT, instalment, state, actors(world)) == len(INSTALMENT.actions()) * len(ROLES)


def _case(world, dispute, number="（2026）宁0202执9999号", serial=9999):
    plan = plan_of(dispute)
    return EnforcementCase.objects.create(
        plan=plan, dispute=dispute, court=world.dawukou_court, number=number, year=2026,
        serial=serial, applicant=plan.obligee, respondent=plan.obligor, amount=plan.total,
        applied_at=timezone.now(), applied_by=world.clerk, period_citation="x",
    )


@pytest.mark.django_db
def test_other_courts_enforcer_cannot_act(world, performing):
    from suyuan.common.errors import NotFound
    from suyuan.disputes.workflow import apply
    from suyuan.testing.factories import make_user

    case = _case(world, performing, "（2026）宁0202执9998号", 9998)
    huinong_enforcer = make_user(Role.ENFORCEMENT, organisation=world.huinong_court)
    with pytest.raises(NotFound):
        apply(ENFORCEMENT_CASE, case, "refuse", actor=huinong_enforcer, origin=lifecycles.ORIGIN,
              payload={"reason": "x"})
