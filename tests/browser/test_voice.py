"""The public's voice in the browser: a party answers a survey from the SMS link on a phone; an
organisation admin handles a complaint at 1366 px; a deputy accepts an invitation and leaves feedback."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from suyuan.notices.models import SmsMessage
from suyuan.testing.factories import PASSWORD
from suyuan.voice import complaints, deputies
from suyuan.voice.models import Complaint, Feedback, Invitation, Survey
from suyuan.voice.tests.helpers import ORIGIN, accepted_referral, failed_mediation, make_deputy

from .accessibility import assert_accessible
from .conftest import DESKTOP, PHONE, SCREENSHOTS, field, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_party_answers_the_survey_from_the_sms_link_on_a_phone(new_page, live_server, world):
    referral = failed_mediation(world)
    call_command("deliver_notifications")  # the worker hands the SMS to the (local) gateway
    party = world.party_user.party
    sms = SmsMessage.objects.get(phone=party.phone, text__contains="评价链接")
    path = re.search(r"https?://[^/\s]+(/voice/s/\S+/)", sms.text).group(1)

    page = new_page(PHONE)
    page.goto(live_server.url + path)  # no sign-in: the signed link is enough
    assert page.get_by_role("heading", name="请评价调解服务").is_visible()
    assert_accessible(page, "voice-survey-phone")
    survey = Survey.objects.get(dispute=referral.dispute, party=party)
    for q in survey.questions:
        page.locator(f"input[name='q_{q['code']}'][value='4']").check()
    field(page, "意见建议（选填）").fill("调解员耐心，但等待时间较长。")
    page.screenshot(path=str(SCREENSHOTS / "voice-survey-phone.png"))
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价").wait_for()
    assert page.get_by_role("heading", name="您已提交评价").is_visible()
    assert_accessible(page, "voice-survey-done-phone")
    survey.refresh_from_db()
    assert survey.status == "answered" and survey.score == 4


def test_org_admin_handles_a_complaint_at_desktop_width(new_page, live_server, world):
    referral = failed_mediation(world)
    complaint = complaints.file_complaint(actor=world.party_user, origin=ORIGIN, dispute_id=referral.dispute_id,
                                          target=0, category="delay", description="调解安排一再推迟，两周没有人联系。")
    page = new_page(DESKTOP)
    login(page, live_server.url, "orgadmin1", PASSWORD)
    page.get_by_role("link", name="评价与投诉").click()
    page.wait_for_url(f"{live_server.url}/voice/")
    assert_accessible(page, "voice-complaints-desktop")
    page.get_by_role("link", name=complaint.number).click()
    assert_accessible(page, "voice-complaint-desktop")
    page.get_by_role("button", name="指定承办").click()
    page.get_by_text("已指定承办人").wait_for()
    field(page, "核查结论").select_option(label="部分属实")
    field(page, "答复内容").fill("经核实，因调解室检修推迟安排，未及时告知，已向您致歉并于本周安排调解。")
    page.screenshot(path=str(SCREENSHOTS / "voice-complaint-desktop.png"))
    page.get_by_role("button", name="提交答复").click()
    page.get_by_text("已答复投诉人").wait_for()
    assert_accessible(page, "voice-complaint-answered-desktop")
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.outcome == "partly"


def test_deputy_accepts_an_invitation_and_leaves_feedback(new_page, live_server, world):
    referral = accepted_referral(world)
    deputy = make_deputy()
    deputy.username = "deputy1"
    deputy.save()
    invitation = deputies.invite_deputy(actor=world.mediator_user, origin=ORIGIN, dispute_id=referral.dispute_id,
                                        deputy_id=deputy.pk, kind="observe", location="长胜街道调解室",
                                        scheduled_at=timezone.now() + timedelta(days=2))
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    field(page, "用户名").fill("deputy1")
    field(page, "密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/voice/deputy/")  # the deputy's own landing page
    assert_accessible(page, "voice-deputy-home")
    page.get_by_role("link", name="旁听调解").click()
    assert world.party_user.party.name not in page.content()  # parties masked
    assert_accessible(page, "voice-invitation")
    page.get_by_role("button", name="接受邀请").click()
    page.get_by_text("已接受邀请").wait_for()
    field(page, "您的意见建议").fill("建议调解前向双方书面说明调解程序和权利义务。")
    page.get_by_role("button", name="提交意见").click()
    page.get_by_text("意见已提交").wait_for()
    assert_accessible(page, "voice-invitation-feedback")
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert Feedback.objects.get(invitation=invitation).text.startswith("建议调解前")
    assert Invitation.objects.count() == 1 and Complaint.objects.count() == 0
