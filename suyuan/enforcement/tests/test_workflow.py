"""The enforcement workflow through its use cases: opening, tracks, groups, settlement, conclusion, 执异/执复."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.common.errors import Conflict, InvalidInput, NotFound
from suyuan.disputes.choices import ClockStatus, DisputeStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock, Dispute, DisputeEvent
from suyuan.disputes.services import record_dispute
from suyuan.disputes.workflow import apply
from suyuan.documents.models import Document
from suyuan.enforcement import conclusion, conditions, objections, opening, services, settlement, tracks
from suyuan.enforcement.choices import (
    DerivativeStatus,
    EnforcementBasis,
    EnforcementStatus,
    EnforcementTrack,
    PerformanceSource,
    PlanStatus,
)
from suyuan.enforcement.deadlines import enforcement_period
from suyuan.enforcement.models import EnforcementCase, PerformancePlan
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import make_user

from .conftest import ORIGIN, make_performing, plan_of
from .test_performance import sweep_after


def _open_on_plan(world, amounts=("4000",)):
    past = timezone.localdate() - timedelta(days=3)
    dispute = make_performing(world, first_due=past, amounts=amounts)
    sweep_after(past)
    return opening.apply_for_enforcement(plan_id=plan_of(dispute).pk, actor=world.party_user, origin=ORIGIN,
                                         risk_acknowledged=True)


def _judged_dispute(world):
    """A dispute performing a judgment without a tracked plan (no "performance" payload)."""
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=ORIGIN, data=data).dispute
    Dispute.objects.filter(pk=dispute.pk).update(status=DisputeStatus.IN_LITIGATION)
    dispute.refresh_from_db()
    apply(DISPUTE, dispute, "judge", actor=world.judge, origin=ORIGIN)
    dispute.refresh_from_db()
    return dispute


def _sides(dispute):
    return (dispute.dispute_parties.get(role="applicant").party_id,
            dispute.dispute_parties.get(role="respondent").party_id)


def _on_document(world, dispute, *, due, amount="30000", **kw):
    applicant, respondent = _sides(dispute)
    args = {"dispute_id": dispute.pk, "actor": world.party_user, "origin": ORIGIN,
            "basis": EnforcementBasis.JUDGMENT, "basis_reference": "（2026）宁0202民初88号", "amount": amount,
            "performance_due": due.isoformat(), "applicant_party_id": applicant, "respondent_party_id": respondent,
            "risk_acknowledged": True}
    return opening.apply_on_document(**{**args, **kw})


@pytest.mark.django_db
def test_opening_on_plan_serves_notices_and_suggests_a_track(world):
    case = _open_on_plan(world)
    assert case.basis == EnforcementBasis.PERFORMANCE_PLAN and case.risk_notice_shown_at is not None
    assert case.notice_served_at is not None and case.report_order_served_at is not None
    kinds = set(Document.objects.filter(dispute=case.dispute).values_list("kind", flat=True))
    assert {"enforcement_notice", "property_report_order"} <= kinds
    events = set(DisputeEvent.objects.filter(dispute=case.dispute).values_list("kind", flat=True))
    assert {"enforcement.registered", "enforcement.served", "enforcement.track_suggested"} <= events
    assert case.track == EnforcementTrack.SIMPLE and any("50000" in r for r in case.track_reasons)


@pytest.mark.django_db
def test_risk_notice_must_be_confirmed_and_names_its_sources(world):
    past = timezone.localdate() - timedelta(days=3)
    dispute = make_performing(world, first_due=past, amounts=("4000",))
    sweep_after(past)
    with pytest.raises(InvalidInput, match="执行风险告知"):
        opening.apply_for_enforcement(plan_id=plan_of(dispute).pk, actor=world.party_user, origin=ORIGIN,
                                      risk_acknowledged=False)
    assert not EnforcementCase.objects.filter(dispute=dispute).exists()
    texts = opening.risk_notice(timezone.localdate())
    assert any("终结本次执行程序" in r.text and "373号" in r.citation for r in texts)
    assert any("第二百五十条" in r.citation for r in texts)


@pytest.mark.django_db
def test_opening_on_a_judgment_checks_the_two_year_period(world):
    dispute = _judged_dispute(world)
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as refused:
        _on_document(world, dispute, due=today - timedelta(days=800))
    assert "第二百五十条" in refused.value.errors["performance_due"][0]
    with pytest.raises(InvalidInput) as refused:
        _on_document(world, dispute, due=today + timedelta(days=3), basis="agreement")
    assert {"basis", "performance_due"} <= set(refused.value.errors)
    case = _on_document(world, dispute, due=today - timedelta(days=30), amount="60000")
    assert case.plan is None and case.basis == EnforcementBasis.JUDGMENT and case.amount == Decimal("60000")
    assert case.track == EnforcementTrack.COMPLEX
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.IN_ENFORCEMENT


def test_application_period_regime_follows_the_date():
    assert "2021年修正" in enforcement_period(date(2023, 6, 1)).citation
    assert "2023年修正" in enforcement_period(date(2024, 6, 1)).citation


@pytest.mark.django_db
def test_officer_override_needs_a_reason_and_the_current_version(world):
    case = _open_on_plan(world)
    with pytest.raises(InvalidInput):
        tracks.override_track(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, track="complex", reason=" ",
                              expected_version=case.version)
    with pytest.raises(Conflict):
        tracks.override_track(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, track="complex", reason="涉众",
                              expected_version=case.version + 5)
    done = tracks.override_track(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, track="complex",
                                 reason="被执行人另有多起案件", expected_version=case.version)
    assert done.track == EnforcementTrack.COMPLEX and done.track_suggested == EnforcementTrack.SIMPLE
    tracks.suggest_track(case=done, origin=ORIGIN)  # a new suggestion does not undo the officer's choice
    done.refresh_from_db()
    assert done.track == EnforcementTrack.COMPLEX


@pytest.mark.django_db
def test_group_enforcement_against_one_debtor(world):
    first, second = _open_on_plan(world), _open_on_plan(world)
    EnforcementCase.objects.filter(pk=second.pk).update(respondent=first.respondent)
    assert {c.pk for c in tracks.group_candidates(world.enforcer)} == {first.pk, second.pk}
    other = _open_on_plan(world)
    EnforcementCase.objects.filter(pk=other.pk).update(respondent=first.applicant)
    with pytest.raises(InvalidInput, match="同一被执行人"):
        tracks.group_cases(case_ids=[first.pk, other.pk], actor=world.enforcer, origin=ORIGIN)
    group = tracks.group_cases(case_ids=[first.pk, second.pk], actor=world.enforcer, origin=ORIGIN)
    assert set(group.cases.values_list("pk", flat=True)) == {first.pk, second.pk}
    done = tracks.record_group_action(group_id=group.pk, actor=world.enforcer, origin=ORIGIN, text="统一约谈被执行人")
    assert len(done) == 2
    for case in (first, second):
        assert DisputeEvent.objects.filter(dispute=case.dispute, kind="enforcement.group_action").exists()


@pytest.mark.django_db
def test_round_end_conditions_block_until_met_or_confirmed_and_resume(world):
    case = _open_on_plan(world)
    with pytest.raises(InvalidInput) as refused:
        conclusion.end_round(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, confirmations={})
    message = str(refused.value)
    assert "未满 3 个月" in message and "须书面确认" in message and "373号" in message
    EnforcementCase.objects.filter(pk=case.pk).update(applied_at=timezone.now() - timedelta(days=100))
    confirmed = {"consumption_restriction": "已发出限制消费令", "assets_exhausted": "网络查控无财产",
                 "whereabouts_and_obstruction": "被执行人在本地"}
    done = conclusion.end_round(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, confirmations=confirmed)
    assert done.status == EnforcementStatus.ROUND_ENDED
    assert {row["key"]: row["state"] for row in done.round_ended_conditions}["three_months"] == conditions.MET
    done.dispute.refresh_from_db()
    assert done.dispute.status == DisputeStatus.IN_ENFORCEMENT  # 终本 may be resumed
    with pytest.raises(InvalidInput):
        conclusion.resume_round(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, reason="")
    resumed = conclusion.resume_round(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, reason="发现车辆一辆")
    assert resumed.status == EnforcementStatus.OPEN and resumed.resumed_count == 1


@pytest.mark.django_db
def test_a_registered_condition_takes_over_its_key(world):
    case = _open_on_plan(world)
    EnforcementCase.objects.filter(pk=case.pk).update(applied_at=timezone.now() - timedelta(days=100))
    original = conditions._REGISTRY["consumption_restriction"]
    conditions.register(conditions.Condition(
        "consumption_restriction", original.label, original.citation,
        lambda c, on: conditions.Verdict(conditions.UNMET, "尚未发出限制消费令")))
    try:
        confirmed = {"consumption_restriction": "x", "assets_exhausted": "x", "whereabouts_and_obstruction": "x"}
        with pytest.raises(InvalidInput, match="尚未发出限制消费令"):
            conclusion.end_round(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, confirmations=confirmed)
    finally:
        conditions.register(original)


@pytest.mark.django_db
def test_settlement_default_then_resumption_deducts_what_was_paid(world, obligor_user):
    case = _open_on_plan(world, amounts=("9000",))
    obligor = make_user(Role.PARTY, party=case.respondent)
    today = timezone.localdate()
    rows = [{"due": (today + timedelta(days=5)).isoformat(), "amount": "3000"},
            {"due": (today + timedelta(days=35)).isoformat(), "amount": "3000"}]
    with pytest.raises(InvalidInput, match="超过尚未执行到位"):
        settlement.enter_settlement(case_id=case.pk, actor=world.enforcer, origin=ORIGIN,
                                    instalments=[{"due": rows[0]["due"], "amount": "9999"}])
    case = settlement.enter_settlement(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, instalments=rows)
    plan = case.settlement_plan
    assert case.status == EnforcementStatus.SETTLEMENT and plan.source == PerformanceSource.ENFORCEMENT_SETTLEMENT
    first, second = plan.instalments.all()
    services.report_payment(instalment_id=first.pk, actor=obligor, amount="3000", origin=ORIGIN)
    services.confirm_payment(instalment_id=first.pk, actor=world.party_user, origin=ORIGIN)
    sweep_after(second.due)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DEFAULTED
    assert Clock.objects.filter(dispute=case.dispute, rule="enforcement_application", object_ref=f"plan:{plan.pk}",
                                status=ClockStatus.OPEN).exists()
    resumed = settlement.resume_after_default(case_id=case.pk, actor=world.enforcer, origin=ORIGIN,
                                              reason="申请执行人申请恢复执行")
    assert resumed.status == EnforcementStatus.OPEN and resumed.recovered == Decimal("3000")
    with pytest.raises(Conflict, match="执行和解已不在履行中"):
        services.report_payment(instalment_id=second.pk, actor=obligor, amount="3000", origin=ORIGIN)


@pytest.mark.django_db
def test_performed_settlement_concludes_through_settlement(world):
    case = _open_on_plan(world, amounts=("9000",))
    obligor = make_user(Role.PARTY, party=case.respondent)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    case = settlement.enter_settlement(case_id=case.pk, actor=world.enforcer, origin=ORIGIN,
                                       instalments=[{"due": due, "amount": "8000"}])
    only = case.settlement_plan.instalments.get()
    services.report_payment(instalment_id=only.pk, actor=obligor, amount="8000", origin=ORIGIN)
    services.confirm_payment(instalment_id=only.pk, actor=world.party_user, origin=ORIGIN)
    assert DisputeEvent.objects.filter(dispute=case.dispute, kind="enforcement.settlement_performed").exists()
    done = settlement.complete_settlement(case_id=case.pk, actor=world.enforcer, origin=ORIGIN)
    assert done.status == EnforcementStatus.COMPLETED and done.through_settlement
    assert done.recovered == Decimal("8000")
    done.dispute.refresh_from_db()
    assert done.dispute.status == DisputeStatus.CLOSED
    # The original plan of the dispute stays the only non-settlement plan.
    assert PerformancePlan.objects.filter(dispute=case.dispute).count() == 2
    assert plan_of(case.dispute).source != PerformanceSource.ENFORCEMENT_SETTLEMENT


@pytest.mark.django_db
def test_termination_and_refusal_need_their_grounds(world):
    case = _open_on_plan(world)
    with pytest.raises(InvalidInput, match="第二百六十八条"):
        conclusion.terminate(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, ground="bored", reason="x")
    done = conclusion.terminate(case_id=case.pk, actor=world.enforcer, origin=ORIGIN, ground="withdrawn",
                                reason="申请执行人书面撤回")
    assert done.status == EnforcementStatus.TERMINATED and "撤销申请" in done.outcome
    other = _open_on_plan(world)
    refused = conclusion.refuse(case_id=other.pk, actor=world.enforcer, origin=ORIGIN, reason="执行依据不明确")
    assert refused.status == EnforcementStatus.NOT_ENFORCED
    refused.dispute.refresh_from_db()
    assert refused.dispute.status == DisputeStatus.CLOSED


@pytest.mark.django_db
def test_the_dispute_step_alone_cannot_skip_the_outcome(world):
    case = _open_on_plan(world)
    with pytest.raises(Conflict, match="选择结案方式"):
        apply(DISPUTE, case.dispute, "conclude_enforcement", actor=world.enforcer, origin=ORIGIN)


@pytest.mark.django_db
def test_objection_then_review_at_the_court_above(world):
    case = _open_on_plan(world)
    received = timezone.localdate() - timedelta(days=1)
    objection = objections.file_objection(case_id=case.pk, actor=world.enforcer, origin=ORIGIN,
                                          applicant_party_id=case.respondent_id, grounds="冻结超过标的",
                                          received_on=received.isoformat())
    assert "宁0202执异" in objection.number and "第二百三十六条" in objection.citation
    assert objection.due_on is not None and objection.due_on >= received + timedelta(days=15)
    assert Clock.objects.filter(rule="enforcement_objection", object_ref=f"derivative:{objection.pk}",
                                status=ClockStatus.OPEN).exists()
    assert tracks.assess(case)[0] == EnforcementTrack.COMPLEX  # a pending objection makes the case complex
    with pytest.raises(Conflict, match="尚未作出裁定"):
        objections.file_review(objection_id=objection.pk, actor=world.enforcer, origin=ORIGIN, grounds="x",
                               received_on=received.isoformat())
    objections.decide(derivative_id=objection.pk, actor=world.enforcer, origin=ORIGIN, action="dismiss",
                      decision="冻结金额未超过标的，驳回")
    assert not Clock.objects.filter(rule="enforcement_objection", status=ClockStatus.OPEN).exists()
    review = objections.file_review(objection_id=objection.pk, actor=world.enforcer, origin=ORIGIN,
                                    grounds="不服异议裁定", received_on=timezone.localdate().isoformat())
    assert review.court == world.intermediate_court and "宁02执复" in review.number and review.reviews == objection
    with pytest.raises(NotFound):  # the enforcing court does not decide the review
        objections.decide(derivative_id=review.pk, actor=world.enforcer, origin=ORIGIN, action="uphold",
                          decision="x")
    judge = make_user(Role.JUDGE, organisation=world.intermediate_court)
    done = objections.decide(derivative_id=review.pk, actor=judge, origin=ORIGIN, action="dismiss",
                             decision="驳回复议申请，维持原裁定")
    assert done.status == DerivativeStatus.DISMISSED
