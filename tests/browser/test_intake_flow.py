"""Issue 2's path: a grid worker records a dispute for a party on a phone, a clerk finds it in
their queue, the party signs in and sees it with its timeline."""

from __future__ import annotations

import re

import pytest

from suyuan.disputes.models import Dispute
from suyuan.testing.factories import PASSWORD, make_id_number

from .conftest import DESKTOP, PHONE, field, login, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_worker_to_clerk_queue_to_party_timeline(new_page, live_server, world):
    base = live_server.url
    party = world.party_user.party

    # 1. The grid worker, on a phone, records the dispute on the party's behalf.
    phone = new_page(PHONE)
    login(phone, base, "grid1", PASSWORD)
    nav(phone, "登记纠纷")
    field(phone, "纠纷类别").select_option(label="借贷债务")
    field(phone, "纠纷发生地").select_option(value=world.grid.code)
    field(phone, "申请人姓名/名称").fill(party.name)
    field(phone, "申请人证件号码").fill(party.id_number)
    field(phone, "申请人联系电话").fill(party.phone)
    field(phone, "被申请人姓名/名称").fill("李四")
    field(phone, "被申请人证件号码").fill("640202198503120011")  # wrong check digit first
    field(phone, "请求事项").fill("请求被申请人归还借款 8000 元")
    field(phone, "标的额（元）").fill("8000")
    field(phone, "事实与理由").fill("被申请人于2025年5月向申请人借款八千元，约定三个月内归还，至今未还。")
    field(phone, "当事人授权方式").select_option(value="written")
    phone.get_by_role("button", name="提交登记").click()
    # A clear Chinese error, nothing recorded, the typed values kept.
    assert phone.get_by_text("身份证号码校验位错误").is_visible()
    assert Dispute.objects.count() == 0
    shot(phone, "intake-grid-worker-error-phone")
    field(phone, "被申请人证件号码").fill(make_id_number(birth="19900215"))
    phone.get_by_role("button", name="提交登记").click()
    phone.wait_for_url(re.compile(r".*/disputes/SY-\d{4}-\d{6}/$"))
    number = phone.locator("#dispute-number").inner_text()
    assert phone.get_by_text("纠纷已登记").is_visible()
    shot(phone, "intake-grid-worker-recorded-phone")

    # 2. The clerk of the competent court finds it at the top of their queue.
    desk = new_page(DESKTOP)
    login(desk, base, "clerk1", PASSWORD)
    queue = desk.locator("#queue")
    assert queue.get_by_role("link", name=number).is_visible()
    shot(desk, "intake-clerk-queue-desktop")
    queue.get_by_role("link", name=number).click()
    assert desk.locator("#parties").get_by_text(party.masked_identity).is_visible()
    assert party.id_number not in desk.content()

    # 3. The party signs in and follows it, with its timeline.
    mine = new_page(PHONE)
    login(mine, base, "party1", PASSWORD)
    mine.get_by_role("link", name=number).click()
    timeline = mine.locator("#timeline")
    assert timeline.get_by_text("纠纷登记").is_visible()
    assert timeline.get_by_text("网格员代为登记").is_visible()
    shot(mine, "intake-party-timeline-phone")
