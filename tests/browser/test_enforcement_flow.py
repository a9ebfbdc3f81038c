"""Issue 12: a creditor applies after a default → the case opens with the enforcement notice, the
property-report order and the risk notice → the officer searches the debtor's assets through the
adapter (the worker runs the search), freezes an account and deducts it → the deduction counts as
执行到位 → the officer concludes 执行完毕, every step on the case's timeline.
"""

from __future__ import annotations

import re

import pytest

from suyuan.assets.models import Asset, AssetSearch, Measure
from suyuan.disputes.choices import DisputeStatus
from suyuan.documents.models import Document
from suyuan.enforcement.choices import EnforcementStatus
from suyuan.enforcement.models import EnforcementCase
from suyuan.testing.factories import PASSWORD
from suyuan.testing.worker import run_worker

from .conftest import DESKTOP, PHONE, login, shot
from .test_roles import _defaulted_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_creditor_applies_and_the_officer_searches_freezes_deducts_and_completes(new_page, live_server, world):
    base = live_server.url
    dispute = _defaulted_dispute(world)

    creditor = new_page(PHONE)
    login(creditor, base, "party1", PASSWORD)
    creditor.goto(f"{base}/disputes/{dispute.number}/")
    creditor.get_by_role("link", name="申请强制执行").first.click()
    assert creditor.get_by_role("heading", name="执行风险告知").is_visible()
    assert "终结本次执行程序" in creditor.content() and "第二百五十条" in creditor.content()
    confirm = creditor.get_by_label("我已阅读并理解上述执行风险告知")
    assert confirm.get_attribute("required") is not None  # the server refuses too (test_pages)
    assert not EnforcementCase.objects.filter(dispute=dispute).exists()
    confirm.check()
    # The application renders two PDFs before answering: wait for the case page, not the click.
    creditor.get_by_role("button", name="确认并申请强制执行").click(no_wait_after=True)
    creditor.wait_for_url(re.compile(r"/enforcement/cases/\d+/$"), timeout=60_000)
    case = EnforcementCase.objects.get(dispute=dispute)
    assert case.number in creditor.content() and "已于" in creditor.locator("dl.facts").inner_text()
    assert set(Document.objects.filter(dispute=dispute).values_list("kind", flat=True)) >= {
        "enforcement_notice", "property_report_order"}
    shot(creditor, "enforcement-opened-phone")

    officer = new_page(DESKTOP)
    login(officer, base, "enforcer1", PASSWORD)
    officer.goto(f"{base}/enforcement/cases/{case.pk}/")
    assert officer.get_by_role("heading", name="执行分流：简案快执").is_visible()
    assert officer.get_by_role("button", name="执行完毕").is_disabled()
    # The search goes to the registry adapter (local registry) through the task worker.
    officer.locator("#search-party").select_option(str(case.respondent_id))
    officer.get_by_role("button", name="提交网络查控").click()
    officer.wait_for_load_state()
    run_worker()
    search = AssetSearch.objects.get(holder=case.holder)
    assert search.status == "completed"
    officer.reload()
    # The applicant's clue: an account of the debtor the search need not have returned.
    officer.get_by_text("登记申请人提供的财产线索").click()
    officer.locator("#clue-party").select_option(str(case.respondent_id))
    officer.locator("#clue-kind").select_option("bank")
    officer.locator("#clue-inst").fill("石嘴山银行")
    officer.locator("#clue-id").fill("6231682000001234")
    officer.locator("#clue-value").fill("12000")
    officer.get_by_role("button", name="登记线索").click()
    officer.wait_for_load_state()
    asset = Asset.objects.get(holder=case.holder, identifier="6231682000001234")
    place = officer.locator(f"#amount-{asset.pk}").locator("xpath=ancestor::form")
    place.locator(f"#kind-{asset.pk}").select_option("freeze")
    place.locator(f"#amount-{asset.pk}").fill("12000")
    place.get_by_role("button", name="实施").click()
    officer.wait_for_load_state()
    measure = Measure.objects.get(asset=asset)
    case.refresh_from_db()
    assert case.first_measure_at is not None and "尚未采取" not in officer.locator("dl.facts").inner_text()
    deduct = officer.locator(f"#deduct-{measure.pk}").locator("xpath=ancestor::form")
    deduct.get_by_role("button", name="扣划").click()
    officer.wait_for_load_state()
    assert "尚欠 0.00 元" in officer.locator("dl.facts").inner_text()
    officer.get_by_role("button", name="执行完毕").click()
    officer.wait_for_load_state()
    assert "执行完毕" in officer.locator("#case-status").inner_text()
    timeline = officer.locator("ol.timeline").inner_text()
    for step in ("执行立案", "送达执行通知书、报告财产令", "执行繁简分流建议", "提交财产查询", "冻结财产", "扣划",
                 "执行款到位", "执行完毕"):
        assert step in timeline, step
    shot(officer, "enforcement-completed-desktop")
    case.refresh_from_db()
    dispute.refresh_from_db()
    assert case.status == EnforcementStatus.COMPLETED and dispute.status == DisputeStatus.CLOSED
