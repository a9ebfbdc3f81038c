"""Every allowed and forbidden edge of the grace, credit-measure, review and assistance-task lifecycles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.assistance.lifecycle import ASSIST_TASK
from suyuan.assistance.models import AssistTask
from suyuan.common.errors import NotFound
from suyuan.disputes.workflow import SYSTEM, apply
from suyuan.enforcement.credit_lifecycle import CREDIT_GRACE, CREDIT_MEASURE, CREDIT_REVIEW
from suyuan.enforcement.models import CreditGrace, CreditMeasure, CreditReview
from suyuan.network.models import GridWorker
from suyuan.testing import lifecycles
from suyuan.testing.factories import make_user

from .credit_helpers import ORIGIN, open_case

ROLES = [Role.PARTY, Role.GRID_WORKER, Role.CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.LEADER, SYSTEM]


def actors(world):
    return {Role.PARTY: world.party_user, Role.GRID_WORKER: world.grid_worker, Role.CLERK: world.clerk,
            Role.JUDGE: world.judge, Role.ENFORCEMENT: world.enforcer, Role.LEADER: world.leader, SYSTEM: None}


@pytest.fixture
def case(world, performing):
    return open_case(world, performing)


def _grace(world, case):
    today = timezone.localdate()
    return CreditGrace.objects.create(case=case, dispute=case.dispute, months=1, reasons="x", starts_on=today,
                                      ends_on=today + timedelta(days=30), citation="c", opened_by=world.enforcer)


def _measure(world, case):
    return CreditMeasure.objects.create(case=case, dispute=case.dispute, kind="dishonest_list", grounds=["evade"],
                                        grounds_text="g", regime="r", reasons="x", starts_on=timezone.localdate(),
                                        decided_by=world.enforcer)


@pytest.mark.django_db
@pytest.mark.parametrize("state", CREDIT_GRACE.states.values)
def test_grace_edges(world, case, state):
    grace = _grace(world, case)
    assert lifecycles.walk_state(CREDIT_GRACE, grace, state, actors(world)) == len(CREDIT_GRACE.actions()) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("state", CREDIT_MEASURE.states.values)
def test_measure_edges(world, case, state):
    measure = _measure(world, case)
    checked = lifecycles.walk_state(CREDIT_MEASURE, measure, state, actors(world))
    assert checked == len(CREDIT_MEASURE.actions()) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("state", CREDIT_REVIEW.states.values)
def test_review_edges(world, case, state):
    review = CreditReview.objects.create(measure=_measure(world, case), dispute=case.dispute, grounds=["inaccurate"],
                                         statement="s", requested_by=world.party_user,
                                         due_on=timezone.localdate(), citation="c")
    checked = lifecycles.walk_state(CREDIT_REVIEW, review, state, actors(world))
    assert checked == len(CREDIT_REVIEW.actions()) * len(ROLES)


def _task(world, case):
    worker = GridWorker.objects.get(user=world.grid_worker)
    return AssistTask.objects.create(
        dispute=case.dispute, holder=f"enforcement:{case.pk}", court=world.dawukou_court, party=case.respondent,
        grid=world.grid, grid_worker=worker, kind="locate", instructions="查找", due_on=timezone.localdate(),
        assigned_by=world.enforcer,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("state", ASSIST_TASK.states.values)
def test_assist_task_edges(world, case, state):
    task = _task(world, case)
    assert lifecycles.walk_state(ASSIST_TASK, task, state, actors(world)) == len(ASSIST_TASK.actions()) * len(ROLES)


@pytest.mark.django_db
def test_out_of_scope_actors_are_refused(world, case):
    grace, task = _grace(world, case), _task(world, case)
    other_enforcer = make_user(Role.ENFORCEMENT, organisation=world.huinong_court)
    with pytest.raises(NotFound):
        apply(CREDIT_GRACE, grace, "perform", actor=other_enforcer, origin=ORIGIN)
    with pytest.raises(NotFound):
        apply(ASSIST_TASK, task, "accept", actor=world.other_grid_worker, origin=ORIGIN)
    task.refresh_from_db()
    assert task.status == "assigned"
