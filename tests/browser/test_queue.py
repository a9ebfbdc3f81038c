"""A clerk's day at 1366 px: filter, search, keyboard selection, bulk referral of 50 new disputes, summary.

Walks the workbench queue the way a clerk would and checks each page state with axe-core.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from suyuan.accounts.context import Origin
from suyuan.disputes.services import record_dispute
from suyuan.mediation.models import Referral
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import PASSWORD

from .accessibility import assert_accessible
from .conftest import ARTIFACTS, DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# README screenshots are rewritten only on request (SUYUAN_UPDATE_SCREENSHOTS=1), else kept with the artefacts.
README_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS = README_SHOTS if os.environ.get("SUYUAN_UPDATE_SCREENSHOTS") else ARTIFACTS
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "晓雯", "志强", "丽娟", "海波", "春梅", "文军", "玉兰", "国庆"]


def _demo_like(world, n: int):
    disputes = []
    for i in range(n):
        applicant = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        respondent = SURNAMES[(i + 7) % len(SURNAMES)] + GIVEN[(i + 3) % len(GIVEN)]
        data = grid_input(world.grid.code, applicant_name=applicant, respondent_name=respondent,
                          amount=str(3000 + 1700 * i))
        disputes.append(record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute)
    return disputes


def test_a_clerk_clears_fifty_new_disputes_from_the_queue(new_page, live_server, world):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    disputes = _demo_like(world, 50)
    page = new_page(DESKTOP)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("clerk1")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/disputes/")
    assert page.locator("#queue tbody tr").count() == 50
    assert_accessible(page, "queue-new")

    # Search by a party's name and sort by amount: the filtered queue.
    page.get_by_label("搜索当事人或编号").fill("马玉兰")
    page.get_by_label("排序").select_option("-amount")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    rows = page.locator("#queue tbody tr")
    expected = [d for d in disputes if d.dispute_parties.filter(party__name="马玉兰").exists()]
    assert rows.count() == len(expected) > 0
    assert rows.first.get_attribute("data-number") == max(expected, key=lambda d: d.amount).number
    page.get_by_label("保存当前筛选为视图").fill("马玉兰的纠纷")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="马玉兰的纠纷").count() == 1
    assert_accessible(page, "queue-filtered")
    page.screenshot(path=str(SCREENSHOTS / "queue-filters.png"))

    # Back to the new disputes; the keyboard: j/j/x ticks the second row, k/x the first, ? shows help.
    page.get_by_role("link", name="不筛选").click()
    page.wait_for_load_state()
    page.locator("h1").click()
    for key in ("j", "j", "x", "k", "x"):
        page.keyboard.press(key)
    boxes = page.locator("#queue input[name=item]")
    assert boxes.nth(0).is_checked() and boxes.nth(1).is_checked() and not boxes.nth(2).is_checked()
    assert page.locator("#bulk-count").inner_text() == "已勾选 2 件"
    page.keyboard.press("?")
    assert page.locator("#shortcut-help").is_visible()
    assert_accessible(page, "queue-shortcuts")
    page.keyboard.press("Escape")
    assert not page.locator("#shortcut-help").is_visible()
    # Enter opens the current row's dispute; back to the queue with the ticks as they were.
    first = page.locator("#queue tbody tr").first.get_attribute("data-number")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/disputes/{first}/")
    assert_accessible(page, "queue-opened-dispute")
    page.go_back()
    page.wait_for_load_state()

    # Select the whole page, refer all 50 to mediation with one confirmation.
    page.get_by_label("全选本页").check()
    assert page.locator("#bulk-count").inner_text() == "已勾选 50 件"
    page.get_by_label("对勾选的纠纷").select_option("refer")
    page.get_by_role("button", name="批量处理…").click()
    page.wait_for_load_state()
    assert_accessible(page, "queue-bulk-confirm")
    page.get_by_label("调解组织").select_option(str(world.committee.pk))
    page.get_by_role("button", name="确认委派调解 50 件").click()
    page.wait_for_url(f"{base}/disputes/?queue=new")
    assert "成功 50 件，未处理 0 件" in page.locator(".messages").inner_text()
    assert Referral.objects.filter(organisation=world.committee).count() == 50
    assert page.locator("#queue").count() == 0  # the new-dispute queue is cleared
    assert_accessible(page, "queue-bulk-summary")
    page.screenshot(path=str(SCREENSHOTS / "queue-bulk-summary.png"))
