"""Issue 11, after judgment, in Chromium: the judgment is served on the two parties on different
days; each party's appeal period and the effective date show on the case page; the applicant
appeals from a phone; a clerk of 宁02 sees the file (the case, its documents and its timeline)
and the second-instance case, while another basic court's clerk does not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.litigation import appeals, services, serving
from suyuan.litigation.choices import Procedure
from suyuan.litigation.models import Case
from suyuan.litigation.tests.helpers import make_dispute
from suyuan.rules import periods
from suyuan.testing.factories import PASSWORD, make_user

from .conftest import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORIGIN = Origin(via="test", ip="127.0.0.1")


def judged_case(world) -> Case:  # type: ignore[no-untyped-def]
    dispute = make_dispute(world)
    case = services.file_suit(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk)
    case = services.register_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                  track=services.TrackChoice(procedure=Procedure.SIMPLE))
    services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    today = timezone.localdate()
    services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk, amount="12000",
                                main_text="被告于判决生效之日起十日内偿还原告借款12000元。",
                                perform_within_days=10, pronounced_on=today - timedelta(days=4))
    return Case.objects.get(pk=case.pk)


def serve_on_page(page, party: str, method: str, day: date, **fields: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("#serve-form")
    form.get_by_label("受送达人").select_option(label=party)
    form.get_by_label("送达方式").select_option(label=method)
    form.get_by_label("送达（签收、发出公告）日期").fill(day.isoformat())
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name="记录送达").click()
    page.wait_for_selector("text=已记录送达。")


def test_served_on_two_days_one_party_appeals_and_the_intermediate_court_sees_the_file(new_page, live_server, world):
    case = judged_case(world)
    applicant, respondent = serving.parties_of(case)
    upper_clerk = make_user(Role.CLERK, organisation=world.intermediate_court, username="clerk02",
                            full_name="石中院立案")
    base = live_server.url
    today = timezone.localdate()
    first_day, second_day = today - timedelta(days=3), today - timedelta(days=1)

    clerk = new_page(DESKTOP)
    login(clerk, base, "clerk1", PASSWORD)
    clerk.goto(f"{base}/litigation/cases/{case.pk}/")
    serve_on_page(clerk, applicant.name, "直接送达", first_day, **{"送达回证/签收情况": "原告本人签收"})
    serve_on_page(clerk, respondent.name, "邮寄送达", second_day,
                  **{"邮件单号（邮寄送达）": "1180012345678", "送达回证/签收情况": "回执签收"})

    due_applicant = periods.compute("appeal_judgment", start=first_day).due
    due_respondent = periods.compute("appeal_judgment", start=second_day).due
    assert isinstance(due_applicant, date) and isinstance(due_respondent, date)
    rows = clerk.locator("#appeal-periods")
    assert rows.locator(f"tr[data-party='{applicant.name}'] .appeal-due").inner_text() == due_applicant.isoformat()
    assert rows.locator(f"tr[data-party='{respondent.name}'] .appeal-due").inner_text() == due_respondent.isoformat()
    assert "第一百七十一条" in rows.inner_text()
    effective = max(due_applicant, due_respondent) + timedelta(days=1)
    assert effective.isoformat() in clerk.locator("#effective-date").inner_text()
    shot(clerk, "appeal-1-periods")

    party = new_page(PHONE)
    login(party, base, "party1", PASSWORD)
    party.goto(f"{base}/litigation/cases/{case.pk}/")
    # The party sees their own period only.
    assert party.locator("#appeal-periods tbody tr").count() == 1
    party.get_by_label("上诉请求和理由").fill("请求撤销一审判决，改判驳回被告的抗辩。")
    party.get_by_role("button", name="提起上诉").click()
    party.wait_for_selector("text=已提起上诉，卷宗已移送第二审法院。")
    assert party.locator("#case-status").inner_text() == "已上诉"
    number = party.locator("#appeals .second-case").inner_text()
    assert number.startswith(f"（{today.year}）宁02民终")
    shot(party, "appeal-2-party")

    upper = new_page(DESKTOP)
    login(upper, base, upper_clerk.username, PASSWORD)
    upper.goto(f"{base}/litigation/cases/{case.pk}/")
    assert upper.locator("#case-status").inner_text() == "已上诉"
    assert "卷宗移送第二审法院" in upper.locator(".timeline").inner_text()
    assert "作出判决" in upper.locator(".timeline").inner_text()
    assert upper.locator("#stage-documents li").count() >= 1  # the performance notice, without re-entry
    upper.locator("#appeals .second-case").click()
    upper.wait_for_selector("#first-instance")
    assert upper.locator("h1").inner_text() == number
    assert case.number in upper.locator("#first-instance").inner_text()
    shot(upper, "appeal-3-intermediate-court")

    other = new_page(DESKTOP)
    login(other, base, "clerk2", PASSWORD)
    response = other.goto(f"{base}/litigation/cases/{case.pk}/")
    assert response is not None and response.status == 404

    # The defendant appeals too (at the window), so no party's appeal period is left running; then the
    # presiding judge of 宁02 tries the appeal and affirms: the first judgment takes effect that day.
    appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=respondent.pk,
                        grounds="请求改判驳回原告的诉讼请求。")
    upper_judge = make_user(Role.JUDGE, organisation=world.intermediate_court, username="judge02",
                            full_name="石中院法官")
    judge = new_page(DESKTOP)
    login(judge, base, upper_judge.username, PASSWORD)
    judge.goto(f"{base}/litigation/cases/{case.pk}/")
    judge.locator("#appeals .second-case").first.click()  # both appeals went to the same 民终 case
    judge.wait_for_selector("#first-instance")
    judge.get_by_role("button", name="不调解，转入审理").click()
    judge.wait_for_selector("text=案件已转入审理。")
    form = judge.locator("#appeal-decision-form")
    form.get_by_label("判决驳回上诉，维持原判决").check()
    form.get_by_label("裁判主文").fill("驳回上诉，维持原判。本判决为终审判决。")
    form.get_by_role("button", name="确认二审裁判").click()
    judge.wait_for_selector("text=二审裁判已录入。")
    assert judge.locator("#case-status").inner_text() == "已判决"
    assert "判决驳回上诉，维持原判决" in judge.locator("#appeal-decision").inner_text()
    shot(judge, "appeal-4-decided")
    clerk.goto(f"{base}/litigation/cases/{case.pk}/")
    assert f"本判决于 {today.isoformat()} 发生法律效力" in clerk.locator("#effective-date").inner_text()
