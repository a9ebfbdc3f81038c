"""Every allowed and forbidden edge of the enforcement case and derivative-case lifecycles, with the
guards arranged to pass (their refusals are tested in test_workflow.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.common.errors import InvalidInput
from suyuan.disputes.workflow import SYSTEM, apply
from suyuan.enforcement.choices import DerivativeKind, EnforcementStatus, PerformanceSource, PlanStatus
from suyuan.enforcement.lifecycle import DERIVATIVE, ENFORCEMENT_CASE
from suyuan.enforcement.models import DerivativeCase, EnforcementCase, PerformancePlan
from suyuan.testing import lifecycles

from .conftest import plan_of
from .test_lifecycle import ROLES, actors

CONFIRMED = dict.fromkeys(("consumption_restriction", "assets_exhausted", "whereabouts_and_obstruction"), "已确认")
PAYLOAD = {"reason": "发现被执行人新的银行存款", "confirmations": CONFIRMED}


class _Rollback(Exception):
    pass


@pytest.fixture
def case(world, performing):
    plan = plan_of(performing)
    settlement = PerformancePlan.objects.create(
        dispute=performing, source=PerformanceSource.ENFORCEMENT_SETTLEMENT, obligor=plan.obligor,
        obligee=plan.obligee, total=plan.total,
    )
    now = timezone.now()
    return EnforcementCase.objects.create(
        plan=plan, dispute=performing, court=world.dawukou_court, number="（2026）宁0202执9999号", year=2026,
        serial=9999, applicant=plan.obligee, respondent=plan.obligor, amount=plan.total, recovered=plan.total,
        applied_at=now - timedelta(days=200), applied_by=world.clerk, period_citation="x",
        notice_served_at=now, report_order_served_at=now, settlement_plan=settlement,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("state", ENFORCEMENT_CASE.states.values)
def test_case_edges(world, case, state):
    who = actors(world)
    checked = 0
    for action in sorted(ENFORCEMENT_CASE.actions()):
        row = ENFORCEMENT_CASE.find(state, action)
        # resume needs a defaulted settlement, complete_settlement a performed one.
        plan_state = PlanStatus.DEFAULTED if action == "resume" else PlanStatus.PERFORMED
        for role in ROLES:
            allowed = row is not None and role in row.roles
            try:
                with transaction.atomic():
                    EnforcementCase.objects.filter(pk=case.pk).update(status=state)
                    PerformancePlan.objects.filter(pk=case.settlement_plan_id).update(status=plan_state)
                    case.refresh_from_db()
                    lifecycles.check(ENFORCEMENT_CASE, case, action, who[role], allowed, payload=PAYLOAD)
                    raise _Rollback
            except _Rollback:
                pass
            checked += 1
    assert checked == len(ENFORCEMENT_CASE.actions()) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("state", DERIVATIVE.states.values)
def test_derivative_edges(world, case, state):
    derivative = DerivativeCase.objects.create(
        main_case=case, kind=DerivativeKind.OBJECTION, court=world.dawukou_court, number="（2026）宁0202执异1号",
        year=2026, serial=1, applicant=case.applicant, grounds="查封超标的", received_on=timezone.localdate(),
        filed_by=world.clerk,
    )
    who = actors(world)
    who[Role.JUDGE] = world.judge
    assert lifecycles.walk_state(DERIVATIVE, derivative, state, who) == len(DERIVATIVE.actions()) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "arrange", "needle"), [
    ("complete", {"recovered": 1}, "尚欠"),
    ("end_round", {"notice_served_at": None}, "尚未送达执行通知书"),
    ("terminate", {}, "请填写理由"),
])
def test_case_guards_refuse_with_the_rule(world, case, action, arrange, needle):
    EnforcementCase.objects.filter(pk=case.pk).update(**arrange)
    payload = {"confirmations": CONFIRMED} if action == "end_round" else {}
    with pytest.raises(InvalidInput, match=needle):
        apply(ENFORCEMENT_CASE, case, action, actor=world.enforcer, origin=lifecycles.ORIGIN, payload=payload)
    case.refresh_from_db()
    assert case.status == EnforcementStatus.OPEN


@pytest.mark.django_db
def test_settlement_guards(world, case):
    EnforcementCase.objects.filter(pk=case.pk).update(status=EnforcementStatus.SETTLEMENT)
    PerformancePlan.objects.filter(pk=case.settlement_plan_id).update(status=PlanStatus.PERFORMING)
    with pytest.raises(InvalidInput, match="第四百六十五条"):
        apply(ENFORCEMENT_CASE, case, "resume", actor=world.enforcer, origin=lifecycles.ORIGIN)
    with pytest.raises(InvalidInput, match="尚未履行完毕"):
        apply(ENFORCEMENT_CASE, case, "complete_settlement", actor=world.enforcer, origin=lifecycles.ORIGIN)
    assert SYSTEM not in ENFORCEMENT_CASE.find(EnforcementStatus.SETTLEMENT, "complete_settlement").roles
