"""诉讼时效风险提示 at intake (dispute page) and filing (the file-suit panel), and its computation."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from suyuan.accounts.context import Origin
from suyuan.disputes.limitation import dates_in_text, limitation_notice
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input

from .test_pages import _form

TODAY = date(2025, 6, 3)


def test_dates_in_text_reads_years_months_and_days():
    text = "2019年3月借款，约定2019年12月31日归还；2020 年 2 月 5 号还了一部分。13月无效。"
    assert dates_in_text(text) == [date(2019, 3, 31), date(2019, 12, 31), date(2020, 2, 5)]


def _dispute(**fields) -> Dispute:
    return Dispute(description=fields.pop("description", "纠纷经过"), **fields)


def test_notice_from_the_latest_date_in_the_facts_cites_the_rule():
    notice = limitation_notice(_dispute(description="2019年3月借款，2021年5月10日催要未果"), today=TODAY)
    assert notice is not None and notice.source == "facts"
    assert notice.start == date(2021, 5, 10) and notice.deadline.due == date(2024, 5, 10)
    assert "民法典》第一百八十八条" in notice.deadline.citation


def test_no_notice_while_the_period_runs_and_on_its_last_day():
    assert limitation_notice(_dispute(description="2023年3月借款"), today=TODAY) is None
    assert limitation_notice(_dispute(rights_known_on=date(2022, 6, 3)), today=TODAY) is None  # last day
    # 2025-06-02 is in the Dragon Boat holiday (05-31 … 06-02): the period ends the day after (民法典 第二百零三条).
    assert limitation_notice(_dispute(rights_known_on=date(2022, 6, 2)), today=TODAY) is None
    assert limitation_notice(_dispute(rights_known_on=date(2022, 5, 29)), today=TODAY) is not None


def test_the_intake_field_wins_over_dates_in_the_facts():
    notice = limitation_notice(_dispute(description="2023年3月借款", rights_known_on=date(2020, 1, 6)), today=TODAY)
    assert notice is not None and notice.source == "field" and not notice.hint_only
    assert notice.deadline.regime == "民法总则"


def test_no_dates_no_notice():
    assert limitation_notice(_dispute(description="对方一直不还钱"), today=TODAY) is None


@pytest.mark.django_db
def test_party_sees_plain_words_and_staff_a_flag_on_the_dispute_page(client, world):
    client.force_login(world.grid_worker)
    response = client.post(reverse("disputes:create"), _form(
        world, description="2019年3月被申请人向申请人借款一万二千元，约定半年归还，至今未还。"))
    dispute = Dispute.objects.get()
    staff_page = client.get(response.url).content.decode()
    assert 'id="limitation-flag"' in staff_page and "诉讼时效已于" in staff_page
    client.force_login(world.party_user)
    page = client.get(reverse("disputes:detail", args=[dispute.number])).content.decode()
    assert 'id="limitation-notice"' in page
    assert "法院仍会依法登记立案" in page and "时效会中断" in page and "第一百八十八条" in page
    assert "推测" in page  # a date read from the facts is only a hint


@pytest.mark.django_db
def test_intake_field_is_saved_and_a_future_date_is_refused(client, world):
    client.force_login(world.grid_worker)
    page = client.post(reverse("disputes:create"), _form(world, rights_known_on="2099-01-01")).content.decode()
    assert "不能晚于今天" in page and not Dispute.objects.exists()
    client.post(reverse("disputes:create"), _form(world, rights_known_on="2020-03-02"))
    assert Dispute.objects.get().rights_known_on == date(2020, 3, 2)


@pytest.mark.django_db
def test_no_notice_for_a_recent_claim(client, world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute
    client.force_login(world.party_user)
    page = client.get(reverse("disputes:detail", args=[dispute.number])).content.decode()
    assert "limitation-notice" not in page


@pytest.mark.django_db
def test_the_file_suit_panel_repeats_the_notice_beside_the_button(client, world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    data.description = "2019年3月被申请人向申请人借款一万二千元，至今未还。"
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute
    client.force_login(world.party_user)
    page = client.get(reverse("disputes:detail", args=[dispute.number])).content.decode()
    assert "向法院起诉" in page
    assert 'id="limitation-at-filing"' in page and 'id="limitation-notice"' in page
