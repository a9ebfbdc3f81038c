"""Surveys after a closed stage: one per party, SMS link with a signed token, one answer, portal action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.clocks import sweep
from suyuan.disputes.party_actions import party_actions
from suyuan.mediation.selectors import recommend_mediators
from suyuan.notices.models import Notification
from suyuan.rules import periods
from suyuan.voice import surveys
from suyuan.voice.models import Survey

from .helpers import ORIGIN, failed_mediation, respondent_user


def _token_in(body: str) -> str:
    return body.split("/voice/s/", 1)[1].split("/", 1)[0]


def _form(survey: Survey, score: int) -> dict[str, str]:
    return {f"q_{q['code']}": str(score) for q in survey.questions} | {"comment": "调解员很耐心"}


@pytest.mark.django_db
def test_closing_a_mediation_sends_each_party_one_survey_by_sms_and_inbox(world):
    referral = failed_mediation(world)
    rows = Survey.objects.filter(dispute=referral.dispute).order_by("pk")
    assert rows.count() == referral.dispute.dispute_parties.count() == 2
    survey = rows.get(party=world.party_user.party)
    assert survey.stage == "mediation" and survey.mediator == world.mediator
    assert survey.organisation == world.committee and survey.status == "sent"
    assert "mediator" in [q["code"] for q in survey.questions]  # questions for the stage, from data
    expected = periods.compute("survey_answer", start=timezone.localdate()).due
    assert survey.expires_on == expected
    # The party with an account: inbox with the portal link, SMS with the signed link.
    notes = Notification.objects.filter(template_key="voice.survey", recipient_user=world.party_user)
    assert {n.channel for n in notes} == {"inbox", "sms"}
    sms = notes.get(channel="sms")
    # The link's token carries the signing time (to the second), so read it back rather than
    # compare it with one made now.
    assert surveys.survey_from_token(_token_in(sms.body)) == survey and sms.body.startswith("【诉源】")
    # The other party has no account: SMS only, to their own phone, with their own link.
    other = rows.exclude(pk=survey.pk).get()
    other_sms = Notification.objects.get(template_key="voice.survey", recipient_party=other.party)
    assert surveys.survey_from_token(_token_in(other_sms.body)) == other
    # Replaying the hook does not send a second survey.
    assert surveys.create_surveys(dispute=referral.dispute, stage="mediation", object_ref=f"referral:{referral.pk}",
                                  mediator=world.mediator) == []


@pytest.mark.django_db
def test_the_sms_link_answers_once_without_a_password(world):
    referral = failed_mediation(world)
    survey = Survey.objects.get(dispute=referral.dispute, party=world.party_user.party)
    url = reverse("voice:survey_link", args=[surveys.make_token(survey)])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and "调解员的态度和专业水平" in page.content.decode()
    partial = client.post(url, {"q_overall": "4"})
    assert partial.status_code == 200 and "请为每一项打分" in partial.content.decode()
    bad = client.post(url, _form(survey, 4) | {"q_overall": "9"})
    assert bad.status_code == 200 and "评分须为 1 至 5 分" in bad.content.decode()
    client.post(url, _form(survey, 4))
    survey.refresh_from_db()
    assert survey.status == "answered" and survey.score == 4 and survey.comment == "调解员很耐心"
    again = client.post(url, _form(survey, 1), follow=True)
    assert "只能提交一次" in again.content.decode()
    survey.refresh_from_db()
    assert survey.score == 4


@pytest.mark.django_db
def test_a_forged_or_altered_link_is_not_found(world):
    referral = failed_mediation(world)
    survey = Survey.objects.filter(dispute=referral.dispute).first()
    forged = signing.dumps({"s": survey.pk, "e": survey.expires_on.isoformat()}, salt="another-salt")
    assert Client().get(reverse("voice:survey_link", args=[forged])).status_code == 404
    with pytest.raises(NotFound):
        surveys.survey_from_token(surveys.make_token(survey)[:-2] + "xx")


@pytest.mark.django_db
def test_an_expired_survey_is_refused(world):
    referral = failed_mediation(world)
    survey = Survey.objects.get(dispute=referral.dispute, party=world.party_user.party)
    Survey.objects.filter(pk=survey.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(InvalidInput, match="截止"):
        surveys.answer_survey(survey_id=survey.pk, actor=world.party_user, origin=ORIGIN,
                              answers={q["code"]: 5 for q in survey.questions})
    assert surveys.expire_due_surveys() == 1  # only the one past its last day
    survey.refresh_from_db()
    assert survey.status == "expired"


@pytest.mark.django_db
def test_the_portal_lists_the_open_survey_as_the_partys_action(world):
    referral = failed_mediation(world)
    actions = [a for a in party_actions(world.party_user, referral.dispute) if a.kind == "survey"]
    assert len(actions) == 1 and actions[0].title == "评价调解服务" and "本地工作规定" in actions[0].citation
    # Another party's survey is not this party's action; nor is it open to them by URL.
    other = respondent_user(referral.dispute)
    theirs = Survey.objects.get(dispute=referral.dispute, party=other.party)
    client = Client()
    client.force_login(world.party_user)
    assert client.get(reverse("voice:survey", args=[theirs.pk])).status_code == 404
    mine = Survey.objects.get(dispute=referral.dispute, party=world.party_user.party)
    client.post(reverse("voice:survey", args=[mine.pk]), _form(mine, 5))
    assert [a for a in party_actions(world.party_user, referral.dispute) if a.kind == "survey"] == []


@pytest.mark.django_db
def test_satisfaction_feeds_the_mediator_recommendation_score(world):
    referral = failed_mediation(world)
    before = {c.mediator.pk: c for c in recommend_mediators(referral.dispute, world.committee)}[world.mediator.pk]
    for survey in Survey.objects.filter(dispute=referral.dispute):
        surveys.answer_survey(survey_id=survey.pk, actor=None, origin=ORIGIN, token_checked=True,
                              answers={q["code"]: 5 for q in survey.questions})
    after = {c.mediator.pk: c for c in recommend_mediators(referral.dispute, world.committee)}[world.mediator.pk]
    assert "当事人满意度 5.0/5（2 份评价）" in after.reasons
    assert after.score > before.score


@pytest.mark.django_db
def test_the_periodic_sweep_expires_surveys_past_their_last_day(world):
    referral = failed_mediation(world)
    survey = Survey.objects.get(dispute=referral.dispute, party=world.party_user.party)
    report = sweep()
    assert report.steps["expired_surveys"] == 0
    Survey.objects.filter(pk=survey.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    report = sweep()
    assert report.steps["expired_surveys"] == 1
    survey.refresh_from_db()
    assert survey.status == "expired"
    assert sweep().steps["expired_surveys"] == 0  # already expired: not again
