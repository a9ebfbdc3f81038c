"""Court-referred mediation (委托调解): consent, the period by regime, the agreed extension (not counted
in the trial period), settlement "以其他方式结案", failure and expiry back to trial."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from suyuan.common.errors import Conflict, InvalidInput, NotFound
from suyuan.disputes.clocks import sweep
from suyuan.disputes.models import Clock, Dispute
from suyuan.litigation import services
from suyuan.litigation.choices import CaseStatus, MediationOutcome, Procedure
from suyuan.rules import periods

from .helpers import ORIGIN, consent_everyone, registered_case

CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def referred(world, monkeypatch):
    """A registered case referred, with consent, to a mediator on the court's invited roster."""
    consent_everyone(monkeypatch)
    world.mediator.organisations.add(world.dawukou_court)

    def make(procedure=Procedure.ORDINARY):
        case = registered_case(world, procedure=procedure)
        return services.refer_to_court_mediation(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                                 mediator_id=world.mediator.pk)
    return make


@pytest.mark.django_db
@pytest.mark.parametrize(("signed_on", "procedure", "length", "regime_prefix"), [
    (date(2024, 12, 31), Procedure.ORDINARY, 30, "2025年前"),
    (date(2024, 12, 31), Procedure.SIMPLE, 30, "2025年前"),
    (date(2025, 1, 1), Procedure.ORDINARY, 15, "2025年起"),
    (date(2025, 1, 1), Procedure.SIMPLE, 7, "2025年起"),
])
def test_period_by_regime_on_the_date_of_the_signed_receipt(world, now, referred, signed_on, procedure, length,
                                                           regime_prefix):
    """法释〔2016〕14号 (30 days, before 2025) vs. the 2025 opinion (15 days ordinary, 7 days simple)."""
    now.set(datetime(2024, 12, 20, 9, 0, tzinfo=CST))
    cm = referred(procedure)
    now.set(datetime.combine(signed_on, datetime.min.time(), tzinfo=CST) + timedelta(hours=10))
    cm = services.sign_court_mediation(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk)
    expected = periods.compute("court_mediation", start=signed_on, procedure=procedure)
    assert expected.rule.length == length
    assert cm.due == expected.due and cm.regime.startswith(regime_prefix)
    clock = Clock.objects.get(rule="court_mediation", object_ref=cm.object_ref, status="open")
    assert clock.due_on == expected.due and clock.citation == expected.citation


@pytest.mark.django_db
def test_only_the_assigned_mediator_signs(world, referred):
    from suyuan.accounts.choices import Role
    from suyuan.network.models import Mediator
    from suyuan.testing.factories import make_user

    cm = referred()
    other_user = make_user(Role.MEDIATOR, organisation=world.committee, username="mediator2", full_name="何调解")
    Mediator.objects.create(name="何调解", user=other_user, kind=world.mediator.kind)
    with pytest.raises(NotFound):
        services.sign_court_mediation(actor=other_user, origin=ORIGIN, mediation_id=cm.pk)


@pytest.mark.django_db
def test_agreed_extension_adds_30_days_and_moves_the_trial_due_date(world, referred):
    cm = referred(Procedure.ORDINARY)
    cm = services.sign_court_mediation(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk)
    trial_before = Clock.objects.get(rule="ordinary_trial", status="open").due_on
    due_before = cm.due
    cm = services.agree_mediation_extension(actor=world.clerk, origin=ORIGIN, mediation_id=cm.pk,
                                            note="双方当事人书面同意延长")
    started = cm.signed_receipt_at.astimezone(CST).date()
    extended = periods.compute("court_mediation", start=started, procedure="ordinary", extended=True)
    assert cm.extended and cm.due == extended.due
    moved = (cm.due - due_before).days
    assert moved >= 30
    # The extension is not counted in the trial period: its due date moves by as many days.
    assert Clock.objects.get(rule="ordinary_trial", status="open").due_on == trial_before + timedelta(days=moved)
    with pytest.raises(Conflict):
        services.agree_mediation_extension(actor=world.clerk, origin=ORIGIN, mediation_id=cm.pk, note="再延长")


@pytest.mark.django_db
def test_no_agreed_extension_before_2025(world, now, referred):
    now.set(datetime(2024, 12, 2, 9, 0, tzinfo=CST))
    cm = referred()
    cm = services.sign_court_mediation(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk)
    with pytest.raises(InvalidInput, match="没有经双方同意延长"):
        services.agree_mediation_extension(actor=world.clerk, origin=ORIGIN, mediation_id=cm.pk, note="同意")


@pytest.mark.django_db
def test_settlement_closes_the_case_by_other_means_and_moves_the_dispute_to_performance(world, referred):
    cm = referred()
    cm = services.sign_court_mediation(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk)
    cm = services.record_mediation_outcome(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk,
                                           settled=True, note="被告于6月30日前归还12000元")
    cm.case.refresh_from_db()
    assert cm.outcome == MediationOutcome.SETTLED
    assert cm.case.status == CaseStatus.CLOSED_BY_SETTLEMENT
    assert cm.case.get_status_display() == "调解成功，以其他方式结案"
    assert Dispute.objects.get(pk=cm.case.dispute_id).status == "performing"
    assert not Clock.objects.filter(dispute=cm.case.dispute, status="open").exists()


@pytest.mark.django_db
def test_failure_returns_to_trial(world, referred):
    cm = referred()
    cm = services.sign_court_mediation(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk)
    services.record_mediation_outcome(actor=world.clerk, origin=ORIGIN, mediation_id=cm.pk, settled=False,
                                      note="被告不同意分期")
    cm.case.refresh_from_db()
    assert cm.case.status == CaseStatus.IN_TRIAL
    assert Clock.objects.filter(rule="ordinary_trial", status="open").exists()


@pytest.mark.django_db
def test_expiry_without_extension_returns_to_trial_through_the_sweep(world, now, referred):
    cm = referred(Procedure.SIMPLE)
    cm = services.sign_court_mediation(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk)
    report = sweep(now=datetime.combine(cm.due + timedelta(days=1), datetime.min.time(), tzinfo=CST)
                   + timedelta(hours=1))
    assert report.escalated >= 1 and not report.failed
    cm.refresh_from_db()
    cm.case.refresh_from_db()
    assert cm.outcome == MediationOutcome.EXPIRED
    assert cm.case.status == CaseStatus.IN_TRIAL
    kinds = list(cm.case.dispute.events.order_by("seq").values_list("kind", flat=True))
    assert kinds.index("clock.overdue") < kinds.index("case.return_to_trial")
    event = cm.case.dispute.events.get(kind="case.return_to_trial")
    assert event.actor_label == "系统" and "届满" in event.summary


@pytest.mark.django_db
def test_referral_without_consent_is_refused(world, monkeypatch):
    world.mediator.organisations.add(world.dawukou_court)
    monkeypatch.setattr("suyuan.litigation.consent.parties_without_consent", lambda dispute: ["李四"])
    case = registered_case(world)
    with pytest.raises(InvalidInput, match="未同意"):
        services.refer_to_court_mediation(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                          mediator_id=world.mediator.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and not case.court_mediations.exists()


@pytest.mark.django_db
def test_judgment_moves_the_dispute_to_performance(world):
    case = registered_case(world)
    case = services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    judgment = services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk,
                                           main_text="被告于判决生效之日起十日内偿还原告借款12000元。",
                                           amount="12000", perform_within_days=10)
    case.refresh_from_db()
    assert case.status == CaseStatus.JUDGED and judgment.amount == 12000
    assert "第二百六十四条" in judgment.consequences
    assert Dispute.objects.get(pk=case.dispute_id).status == "performing"
    with pytest.raises(InvalidInput):
        services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=registered_case(world).pk,
                                    main_text="", amount="x", perform_within_days=10)


@pytest.mark.django_db
def test_a_monetary_settlement_becomes_a_tracked_performance_plan(world, referred):
    from decimal import Decimal

    from django.apps import apps

    plans = apps.get_model("enforcement", "PerformancePlan")  # a later stage: by name, not imported
    cm = referred()
    cm = services.sign_court_mediation(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk)
    due = services._today() + timedelta(days=30)
    with pytest.raises(InvalidInput) as missing_date:
        services.record_mediation_outcome(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk,
                                          settled=True, note="被告分期归还", amount="12000")
    assert "perform_by" in missing_date.value.errors
    with pytest.raises(InvalidInput):
        services.record_mediation_outcome(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk,
                                          settled=True, note="被告归还", amount="一万二", perform_by=due)
    cm.refresh_from_db()
    assert cm.outcome == MediationOutcome.PENDING and not plans.objects.exists()  # nothing half-written

    cm = services.record_mediation_outcome(actor=world.mediator_user, origin=ORIGIN, mediation_id=cm.pk,
                                           settled=True, note=f"被告于{due}前归还12000元", amount="12000",
                                           perform_by=due)
    plan = plans.objects.get(dispute=cm.case.dispute)
    assert (plan.source, plan.total) == ("court_settlement", Decimal("12000.00"))
    assert [(i.due, i.amount) for i in plan.instalments.all()] == [(due, Decimal("12000.00"))]
    assert Clock.objects.filter(dispute=cm.case.dispute, rule="instalment_due", status="open").count() == 1
    event = cm.case.dispute.events.filter(kind="dispute.settle_in_court").get()
    assert f"应于 {due} 前履行 12000.00 元" in event.summary
