"""The judgment becomes effective when the last party's appeal period lapses unappealed, and only
then is the performance plan created, due effective_on + N days (issue 11)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from suyuan.common.errors import InvalidInput
from suyuan.disputes import clocks
from suyuan.disputes.models import Clock
from suyuan.litigation import appeals, services, serving
from suyuan.litigation.choices import Procedure, ServiceMethod
from suyuan.litigation.models import Case, Judgment

from .helpers import ORIGIN, registered_case

CHINA = ZoneInfo("Asia/Shanghai")


def plans():  # a later stage: looked up by name, not imported (import layers)
    return apps.get_model("enforcement", "PerformancePlan").objects


def at(now, day: date) -> datetime:
    moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=CHINA)
    now.set(moment)
    return moment


def judged(world, procedure: str = Procedure.SIMPLE, **period) -> Case:
    case = registered_case(world, procedure=procedure)
    services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk, amount="12000",
                                main_text="被告于判决生效之日起十日内偿还原告借款12000元。",
                                **(period or {"perform_within_days": 10}))
    return Case.objects.get(pk=case.pk)


def serve_both(world, case, now):
    applicant, respondent = serving.parties_of(case)
    serving.serve_document(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=applicant.pk,
                           method=ServiceMethod.DIRECT, sent_on=date(2025, 6, 3), receipt="本人签收")
    at(now, date(2025, 6, 5))
    serving.serve_document(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=respondent.pk,
                           method=ServiceMethod.DIRECT, sent_on=date(2025, 6, 5), receipt="本人签收")
    return applicant, respondent


@pytest.mark.django_db
def test_served_on_different_days_the_judgment_is_effective_after_the_last_period_and_the_plan_follows(world, now):
    case = judged(world)
    serve_both(world, case, now)
    periods_running = Clock.objects.filter(dispute=case.dispute, rule="appeal_judgment", status="open")
    assert sorted(c.due_on for c in periods_running) == [date(2025, 6, 18), date(2025, 6, 20)]
    assert not plans().filter(dispute=case.dispute).exists()

    # The applicant's period (to 6-18) lapses first: the respondent's still runs, nothing happens.
    clocks.sweep(now=at(now, date(2025, 6, 19)))
    assert Judgment.objects.get(case=case).effective_on is None
    assert not plans().filter(dispute=case.dispute).exists()

    # The respondent's ends 6-20: effective 6-21; 10 days from it (第八十五条: the first day not counted).
    clocks.sweep(now=at(now, date(2025, 6, 21)))
    judgment = Judgment.objects.get(case=case)
    assert judgment.effective_on == date(2025, 6, 21) and judgment.perform_by == date(2025, 7, 1)
    plan = plans().get(dispute=case.dispute)
    assert plan.source == "judgment" and plan.total == Decimal("12000.00")
    assert [(i.due, i.amount) for i in plan.instalments.all()] == [(date(2025, 7, 1), Decimal("12000.00"))]
    event = case.dispute.events.get(kind="case.judgment_effective")
    assert "2025-06-21" in event.summary and "第八十五条" in event.summary

    clocks.sweep(now=at(now, date(2025, 6, 23)))  # a later sweep changes nothing
    assert plans().filter(dispute=case.dispute).count() == 1
    assert case.dispute.events.filter(kind="case.judgment_effective").count() == 1


@pytest.mark.django_db
def test_an_appeal_stops_the_judgment_from_becoming_effective(world, now):
    case = judged(world)
    _, respondent = serve_both(world, case, now)
    at(now, date(2025, 6, 10))
    appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=respondent.pk,
                        grounds="原判认定事实不清，请求撤销原判。")
    assert not Clock.objects.filter(dispute=case.dispute, rule="appeal_judgment", status="open").exists()
    clocks.sweep(now=at(now, date(2025, 6, 25)))
    assert Judgment.objects.get(case=case).effective_on is None
    assert not plans().filter(dispute=case.dispute).exists()
    assert not case.dispute.events.filter(kind="case.judgment_effective").exists()


@pytest.mark.django_db
def test_an_appeal_period_lapsing_while_a_party_is_unserved_waits(world, now):
    case = judged(world)
    applicant, _ = serving.parties_of(case)
    serving.serve_document(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=applicant.pk,
                           method=ServiceMethod.DIRECT, sent_on=date(2025, 6, 3), receipt="本人签收")
    clocks.sweep(now=at(now, date(2025, 6, 25)))
    assert Judgment.objects.get(case=case).effective_on is None
    assert not plans().filter(dispute=case.dispute).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("period", "due"), [
    ({"perform_by": date(2025, 6, 30)}, date(2025, 6, 30)),
    ({"perform_within_days": 7}, date(2025, 6, 10)),
])
def test_a_small_claims_judgment_is_effective_on_pronouncement_and_its_plan_is_created_at_once(world, now,
                                                                                              period, due):
    case = judged(world, procedure=Procedure.SMALL_CLAIMS, **period)
    judgment = Judgment.objects.get(case=case)
    assert judgment.effective_on == date(2025, 6, 3) and judgment.perform_by == due
    assert [i.due for i in plans().get(dispute=case.dispute).instalments.all()] == [due]
    assert not Clock.objects.filter(dispute=case.dispute, rule="appeal_judgment").exists()


@pytest.mark.django_db
def test_the_performance_period_is_refused_when_missing_or_not_positive(world, now):
    case = registered_case(world, procedure=Procedure.SIMPLE)
    services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    for period in ({}, {"perform_within_days": 0},
                   {"perform_within_days": 10, "perform_by": date(2025, 6, 30)}):
        with pytest.raises(InvalidInput):
            services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk, amount="12000",
                                        main_text="偿还借款。", **period)
    assert not Judgment.objects.filter(case=case).exists()
