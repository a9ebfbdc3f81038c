"""Issue 12: a creditor applies after a default → the case opens with the enforcement notice, the
property-report order and the risk notice → the officer registers the money recovered and concludes
执行完毕, every step on the case's timeline.

The asset search and control panel (suyuan.assets, "enforcement:<pk>") is not on main yet: the
recovery here is registered by the officer; the search → freeze → deduct steps join this test when
the panel is wired.
"""

from __future__ import annotations

import pytest

from suyuan.disputes.choices import DisputeStatus
from suyuan.documents.models import Document
from suyuan.enforcement.choices import EnforcementStatus
from suyuan.enforcement.models import EnforcementCase
from suyuan.testing.factories import PASSWORD

from .conftest import DESKTOP, PHONE, field, login, shot
from .test_roles import _defaulted_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_creditor_applies_and_the_officer_recovers_and_completes(new_page, live_server, world):
    base = live_server.url
    dispute = _defaulted_dispute(world)

    creditor = new_page(PHONE)
    login(creditor, base, "party1", PASSWORD)
    creditor.goto(f"{base}/disputes/{dispute.number}/")
    creditor.get_by_role("link", name="申请强制执行").first.click()
    assert creditor.get_by_role("heading", name="执行风险告知").is_visible()
    assert "终结本次执行程序" in creditor.content() and "第二百五十条" in creditor.content()
    creditor.get_by_role("button", name="确认并申请强制执行").click()  # unchecked: the browser refuses
    assert not EnforcementCase.objects.filter(dispute=dispute).exists()
    creditor.get_by_label("我已阅读并理解上述执行风险告知").check()
    creditor.get_by_role("button", name="确认并申请强制执行").click()
    creditor.wait_for_load_state()
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
    field(officer, "到位金额（元）").fill("12000")
    field(officer, "款项来源").fill("扣划被执行人中国工商银行石嘴山分行存款")
    officer.get_by_role("button", name="登记到位款项").click()
    officer.wait_for_load_state()
    officer.get_by_role("button", name="执行完毕").click()
    officer.wait_for_load_state()
    assert "执行完毕" in officer.locator("#case-status").inner_text()
    timeline = officer.locator("ol.timeline").inner_text()
    for step in ("执行立案", "送达执行通知书、报告财产令", "执行繁简分流建议", "执行款到位", "执行完毕"):
        assert step in timeline, step
    shot(officer, "enforcement-completed-desktop")
    case.refresh_from_db()
    dispute.refresh_from_db()
    assert case.status == EnforcementStatus.COMPLETED and dispute.status == DisputeStatus.CLOSED
