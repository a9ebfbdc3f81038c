"""Issue 5's push: a grid worker records a dispute on a phone; the party's open inbox shows the
notice without reloading once the worker has delivered it, and the progress page shows the stage."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from suyuan.disputes.models import Dispute
from suyuan.notices.models import Notification
from suyuan.testing.factories import PASSWORD, make_id_number

from .conftest import PHONE, field, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_party_sees_the_push_arrive_live_and_follows_progress(new_page, live_server, world):
    base = live_server.url
    party = world.party_user.party

    # The party has the inbox open on their phone.
    inbox = new_page(PHONE)
    login(inbox, base, "party1", PASSWORD)
    inbox.goto(f"{base}/notices/")
    assert inbox.get_by_text("暂无消息").is_visible()

    # The grid worker records the dispute on the party's behalf.
    phone = new_page(PHONE)
    login(phone, base, "grid1", PASSWORD)
    phone.goto(f"{base}/disputes/new/")
    field(phone, "纠纷类别").select_option(label="邻里纠纷")
    field(phone, "纠纷发生地").select_option(value=world.grid.code)
    field(phone, "申请人姓名/名称").fill(party.name)
    field(phone, "申请人证件号码").fill(party.id_number)
    field(phone, "申请人联系电话").fill(party.phone)
    field(phone, "被申请人姓名/名称").fill("王五")
    field(phone, "被申请人证件号码").fill(make_id_number(birth="19880808"))
    field(phone, "请求事项").fill("请求被申请人停止在楼道堆放杂物")
    field(phone, "事实与理由").fill("被申请人长期在楼道堆放杂物，影响通行和消防安全，多次沟通未果。")
    field(phone, "当事人授权方式").select_option(value="on_site_signature")
    phone.get_by_role("button", name="提交登记").click()
    phone.wait_for_url(re.compile(r".*/disputes/SY-\d{4}-\d{6}/$"))
    number = Dispute.objects.get().number

    # The worker delivers the outbox (in production: db_worker / deliver_notifications --every N).
    assert Notification.objects.filter(recipient_user=world.party_user).exists()
    call_command("deliver_notifications")

    # The open inbox picks it up without a reload.
    item = inbox.locator("#notice-list li", has_text=number)
    item.wait_for(timeout=15000)
    assert inbox.locator("#notice-empty").count() == 0 or not inbox.locator("#notice-empty").is_visible()
    shot(inbox, "push-party-inbox-phone")

    # From the notice to the party's own page of the dispute (the portal's), with its progress tracker.
    item.get_by_role("link", name=re.compile("查看纠纷")).click()
    inbox.wait_for_url(re.compile(rf".*/portal/disputes/{number}/$"))
    current = inbox.locator("#tracker [aria-current=step]")
    assert current.inner_text().splitlines()[0] == "登记"  # then the day it happened
    assert inbox.get_by_text("接下来：").is_visible()
    shot(inbox, "push-party-progress-phone")
