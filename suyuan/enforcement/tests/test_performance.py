"""Performance tracking: plan from the payload, report/confirm, sweep default, one-step enforcement."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes import clocks
from suyuan.disputes.choices import ClockStatus, DisputeStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock, Dispute, DisputeEvent
from suyuan.disputes.workflow import apply
from suyuan.enforcement import conclusion, opening, services
from suyuan.enforcement.choices import EnforcementStatus, InstalmentStatus, PlanStatus
from suyuan.enforcement.models import EnforcementCase, PerformancePlan
from suyuan.rules.periods import CHINA, rule_in_force
from suyuan.testing.factories import make_user

from .conftest import ORIGIN, make_performing, performance, plan_of


def sweep_after(day):
    return clocks.sweep(now=datetime.combine(day + timedelta(days=1), time(9), tzinfo=CHINA))


@pytest.mark.django_db
def test_entering_performing_creates_plan_and_agreed_date_clocks(performing):
    plan = plan_of(performing)
    assert plan.total == Decimal("12000") and plan.status == PlanStatus.PERFORMING
    assert [i.amount for i in plan.instalments.all()] == [Decimal("4000"), Decimal("8000")]
    due_clocks = Clock.objects.filter(dispute=performing, rule=services.INSTALMENT_RULE, status=ClockStatus.OPEN)
    assert sorted(c.due_on for c in due_clocks) == [i.due for i in plan.instalments.all()]
    assert all(c.regime == "约定履行期限" for c in due_clocks)
    assert DisputeEvent.objects.filter(dispute=performing, kind="performance.created").exists()


@pytest.mark.django_db
def test_malformed_payload_refuses_the_whole_step(world, performing):
    dispute = Dispute.objects.exclude(pk=performing.pk).first() or performing
    Dispute.objects.filter(pk=dispute.pk).update(status=DisputeStatus.SETTLED)
    PerformancePlan.objects.filter(dispute=dispute).delete()
    bad = performance(dispute, first_due=timezone.localdate(), amounts=("4000", "7000"))
    bad["total"] = "12000"
    with pytest.raises(InvalidInput) as exc:
        apply(DISPUTE, dispute, "perform_voluntarily", actor=world.mediator_user, origin=ORIGIN,
              payload={"performance": bad})
    assert "performance.total" in exc.value.errors
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.SETTLED


@pytest.mark.django_db
def test_report_and_confirm_until_performed(world, performing, obligor_user):
    plan = plan_of(performing)
    first, second = plan.instalments.all()
    with pytest.raises(NotPermitted):
        services.report_payment(instalment_id=first.pk, actor=world.party_user, amount="4000", origin=ORIGIN)
    with pytest.raises(InvalidInput):
        services.report_payment(instalment_id=first.pk, actor=obligor_user, amount="4000.01", origin=ORIGIN)
    services.report_payment(instalment_id=first.pk, actor=obligor_user, amount="4000", origin=ORIGIN, note="微信转账")
    with pytest.raises(NotPermitted):
        services.confirm_payment(instalment_id=first.pk, actor=obligor_user, origin=ORIGIN)
    done = services.confirm_payment(instalment_id=first.pk, actor=world.party_user, origin=ORIGIN)
    assert done.status == InstalmentStatus.PAID and done.paid_amount == Decimal("4000") and done.confirmed_at
    assert Clock.objects.get(object_ref=f"instalment:{first.pk}").status == ClockStatus.MET
    # A partial payment, then a rejected report, then the rest.
    services.report_payment(instalment_id=second.pk, actor=obligor_user, amount="3000", origin=ORIGIN)
    partial = services.confirm_payment(instalment_id=second.pk, actor=world.party_user, origin=ORIGIN)
    assert partial.status == InstalmentStatus.PENDING and partial.paid_amount == Decimal("3000")
    services.report_payment(instalment_id=second.pk, actor=obligor_user, amount="5000", origin=ORIGIN)
    rejected = services.reject_payment(instalment_id=second.pk, actor=world.party_user, origin=ORIGIN,
                                       reason="未收到转账")
    assert rejected.status == InstalmentStatus.PENDING and rejected.reported_amount is None
    services.report_payment(instalment_id=second.pk, actor=obligor_user, amount="5000", origin=ORIGIN)
    services.confirm_payment(instalment_id=second.pk, actor=world.party_user, origin=ORIGIN)
    plan.refresh_from_db()
    performing.refresh_from_db()
    assert plan.status == PlanStatus.PERFORMED and performing.status == DisputeStatus.PERFORMED
    assert not Clock.objects.filter(dispute=performing, status=ClockStatus.OPEN).exists()
    with pytest.raises(Conflict):
        services.report_payment(instalment_id=second.pk, actor=obligor_user, amount="1", origin=ORIGIN)


@pytest.mark.django_db
def test_sweep_reminds_then_defaults_then_one_step_to_enforcement(world, performing, obligor_user):
    plan = plan_of(performing)
    first = plan.instalments.first()
    report = clocks.sweep(now=datetime.combine(first.due - timedelta(days=1), time(9), tzinfo=CHINA))
    assert report.reminded >= 1
    assert DisputeEvent.objects.filter(dispute=performing, kind="clock.reminder").exists()
    sweep_after(first.due)
    first.refresh_from_db()
    plan.refresh_from_db()
    assert first.status == InstalmentStatus.OVERDUE and plan.status == PlanStatus.DEFAULTED
    assert plan.last_default_due == first.due
    period_clock = Clock.objects.get(dispute=performing, rule="enforcement_application", status=ClockStatus.OPEN)
    assert period_clock.started_on == first.due and period_clock.due_on.year == first.due.year + 2
    # The obligor cannot apply against themself; the creditor applies in one step.
    with pytest.raises(NotPermitted):
        opening.apply_for_enforcement(plan_id=plan.pk, actor=obligor_user, origin=ORIGIN, risk_acknowledged=True)
    # The sweep ran "tomorrow" but the application is made today: pretend the first due date has passed.
    plan.instalments.filter(pk=first.pk).update(due=timezone.localdate() - timedelta(days=1))
    case = opening.apply_for_enforcement(plan_id=plan.pk, actor=world.party_user, origin=ORIGIN, risk_acknowledged=True)
    year = timezone.localdate().year
    assert case.number == f"（{year}）宁0202执1号" and case.amount == Decimal("4000")
    assert "第二百五十条" in case.period_citation
    performing.refresh_from_db()
    plan.refresh_from_db()
    assert performing.status == DisputeStatus.IN_ENFORCEMENT and plan.status == PlanStatus.ENFORCEMENT_APPLIED
    assert DisputeEvent.objects.filter(dispute=performing, kind="enforcement.registered").exists()
    # The enforcement officer of the court sees it and concludes; another court's does not.
    other = make_user(Role.ENFORCEMENT, organisation=world.huinong_court)
    with pytest.raises(NotFound):
        conclusion.record_recovery(case_id=case.pk, actor=other, origin=ORIGIN, amount="4000", note="扣划",
                                   expected_version=case.version)
    with pytest.raises(NotPermitted):
        conclusion.record_recovery(case_id=case.pk, actor=world.clerk, origin=ORIGIN, amount="4000", note="扣划",
                                   expected_version=case.version)
    case = conclusion.record_recovery(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, amount="4000",
                                      note="扣划被执行人存款", expected_version=case.version)
    conclusion.complete(case_id=case.pk, actor=world.enforcer, origin=ORIGIN)
    case.refresh_from_db()
    performing.refresh_from_db()
    assert case.status == EnforcementStatus.COMPLETED and case.outcome.startswith("执行完毕")
    assert performing.status == DisputeStatus.CLOSED


@pytest.mark.django_db
def test_reported_payment_is_not_a_default_until_rejected(world, performing, obligor_user):
    plan = plan_of(performing)
    first = plan.instalments.first()
    services.report_payment(instalment_id=first.pk, actor=obligor_user, amount="4000", origin=ORIGIN)
    sweep_after(first.due)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PERFORMING
    plan.instalments.filter(pk=first.pk).update(due=timezone.localdate() - timedelta(days=1))
    rejected = services.reject_payment(instalment_id=first.pk, actor=world.party_user, origin=ORIGIN, reason="未到账")
    assert rejected.status == InstalmentStatus.OVERDUE


@pytest.mark.django_db
def test_late_enforcement_application_is_refused_with_citation(world, obligor_user):
    long_ago = timezone.localdate() - timedelta(days=3 * 365)
    dispute = make_performing(world, first_due=long_ago, amounts=("12000",))
    plan = plan_of(dispute)
    sweep_after(long_ago)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DEFAULTED
    with pytest.raises(InvalidInput) as exc:
        opening.apply_for_enforcement(plan_id=plan.pk, actor=world.party_user, origin=ORIGIN, risk_acknowledged=True)
    # The regime in force on the due date decides the citation (2023: the 2021 revision, art. 246).
    citation = rule_in_force("enforcement_application", on=long_ago).citation
    assert "申请执行的期间已于" in exc.value.message and citation in exc.value.message
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.PERFORMING and not EnforcementCase.objects.exists()


@pytest.mark.django_db
def test_dispute_page_confirm_performance_completes_the_plan(world, performing):
    apply(DISPUTE, performing, "confirm_performance", actor=world.clerk, origin=ORIGIN)
    assert PerformancePlan.objects.get(dispute=performing).status == PlanStatus.PERFORMED


@pytest.mark.django_db
def test_scope_of_plans_and_cases(world, performing, obligor_user):
    from suyuan.enforcement import selectors

    plan = plan_of(performing)
    assert selectors.visible_plans(world.party_user).filter(pk=plan.pk).exists()
    assert selectors.visible_plans(obligor_user).filter(pk=plan.pk).exists()
    assert not selectors.visible_plans(world.other_clerk).exists()
    with pytest.raises(NotFound):
        services.report_payment(instalment_id=plan.instalments.first().pk, actor=world.other_clerk, amount="1",
                                origin=ORIGIN)


@pytest.mark.django_db(transaction=True)
def test_enforcement_numbers_are_gapless_under_concurrency(world):
    past = timezone.localdate() - timedelta(days=5)
    plans = []
    for _ in range(4):
        dispute = make_performing(world, first_due=past, amounts=("1000",))
        plans.append(plan_of(dispute))
    sweep_after(past)
    barrier = threading.Barrier(len(plans))
    numbers: list[str] = []
    errors: list[str] = []

    def act(plan_id):
        try:
            barrier.wait()
            numbers.append(opening.apply_for_enforcement(plan_id=plan_id, actor=world.clerk, origin=ORIGIN,
                                                         risk_acknowledged=True).number)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(p.pk,)) for p in plans]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    year = timezone.localdate().year
    assert sorted(numbers) == sorted(f"（{year}）宁0202执{n}号" for n in range(1, 5))
