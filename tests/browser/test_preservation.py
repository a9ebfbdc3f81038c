"""Issue 11's preservation path in Chromium: the clerk records a pre-suit preservation while the
dispute is in mediation (保调对接); the 48-hour ruling clock and, once a measure is taken, the
30-day clock show; a measure above the claim without a reason is refused; the mediator sees the
preservation read-only; the mediation settles; the clerk is told which measure to lift and
confirms the release.

The settlement itself is arranged through the service (the agreement pages are walked by
test_lifecycle_paths.py); everything the clerk, judge and mediator do here is done on the pages.
"""

from __future__ import annotations

import pytest

from suyuan.accounts.context import Origin
from suyuan.assets.models import Asset
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock
from suyuan.disputes.workflow import apply
from suyuan.mediation.tests.helpers import accepted_referral
from suyuan.preservation.models import Preservation
from suyuan.testing.factories import PASSWORD

from .conftest import DESKTOP, field, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT = "石嘴山银行大武口支行账户（尾号 6601）"


def test_pre_suit_preservation_during_mediation_to_lifting(new_page, live_server, world):  # type: ignore[no-untyped-def]
    base = live_server.url
    dispute = accepted_referral(world).dispute

    clerk = new_page(DESKTOP)
    login(clerk, base, "clerk1", PASSWORD)
    clerk.goto(f"{base}/disputes/{dispute.number}/")
    clerk.locator("#preservation-panel").get_by_role("link", name="登记保全申请").click()
    field(clerk, "请求保全金额（元）").fill("12000")
    field(clerk, "线索1：开户行/登记机关").fill("石嘴山银行大武口支行")
    field(clerk, "线索1：账号/权证号/号牌").fill("6230580000006601")
    field(clerk, "其他财产线索说明").fill("被申请人名下另有一辆货车")
    clerk.get_by_role("button", name="登记保全申请").click()
    assert "第一百零四条" in clerk.locator(".errorlist").inner_text()  # no security given
    assert not Preservation.objects.exists()
    field(clerk, "请求保全金额（元）").fill("12000")
    field(clerk, "担保金额（元）").fill("12000")
    field(clerk, "担保方式").fill("保险公司诉讼财产保全责任保险保函")
    clerk.get_by_role("button", name="登记保全申请").click()
    clerk.get_by_role("button", name="受理保全申请").click()
    clocks = clerk.locator("#preservation-clocks")
    clocks.get_by_text("保全裁定期限（48小时）").wait_for()
    assert "剩余 47 小时" in clocks.inner_text() and "第一百零四条第二款" in clocks.inner_text()
    shot(clerk, "preservation-accepted-desktop")
    p = Preservation.objects.get()
    # The clue given with the application is an asset of the one adapter, owned by the respondent.
    clue = Asset.objects.get(holder=p.ref)
    assert (clue.source, clue.party_id, clue.identifier) == ("clue", p.respondent_id, "6230580000006601")
    assert "6230580000006601" in clerk.locator("#preservation-assets").inner_text()  # court staff: in full
    assert clerk.locator("#preservation-assets").get_by_role("button", name="提交网络查控").count() == 1

    judge = new_page(DESKTOP)
    login(judge, base, "judge1", PASSWORD)
    judge.goto(f"{base}/preservation/{p.pk}/")
    judge.get_by_role("button", name="裁定准予保全").click()
    judge.get_by_text("已作出保全裁定。").wait_for()
    assert "财保" in judge.locator("h1").inner_text()

    clerk.goto(f"{base}/preservation/{p.pk}/")
    field(clerk, "被保全财产").fill(ACCOUNT)
    field(clerk, "金额（元）").fill("12000.01")
    clerk.get_by_role("button", name="登记保全措施").click()
    assert "第一百零五条" in clerk.locator(".messages, [role=alert]").first.inner_text()
    assert not p.measures.exists()
    field(clerk, "被保全财产").fill(ACCOUNT)
    field(clerk, "金额（元）").fill("12000")
    clerk.get_by_role("button", name="登记保全措施").click()
    clerk.get_by_text("保全措施已登记。").wait_for()
    clocks = clerk.locator("#preservation-clocks").inner_text()
    lapse = Clock.objects.get(rule="preservation_lapse", object_ref=p.ref)
    # Thirty days from today; the last day moves past a public holiday, so it is read from the clock.
    assert (lapse.due_on - lapse.started_on).days >= 30
    assert f"诉前保全后起诉或申请仲裁期限（30日）：{lapse.due_on:%Y-%m-%d} 24:00 届满 · 剩余" in clocks
    shot(clerk, "preservation-in-force-desktop")

    mediator = new_page(DESKTOP)
    login(mediator, base, "mediator1", PASSWORD)
    mediator.goto(f"{base}/disputes/{dispute.number}/")
    panel = mediator.locator("#preservation-panel")
    assert "保全措施已采取" in panel.inner_text() and ACCOUNT in panel.inner_text()
    assert "诉前保全后起诉或申请仲裁期限（30日）" in panel.inner_text()
    assert panel.get_by_role("link", name="登记保全申请").count() == 0
    mediator.goto(f"{base}/preservation/{p.pk}/")
    assert mediator.get_by_role("button").filter(has_text="保全").count() == 0  # read-only
    assets_text = mediator.locator("#preservation-assets").inner_text()
    assert "石嘴山银行大武口支行" in assets_text and "6230580000006601" not in assets_text  # masked
    assert mediator.locator("#preservation-assets").get_by_role("button").count() == 0
    shot(mediator, "preservation-mediator-desktop")

    apply(DISPUTE, dispute, "settle", actor=world.mediator_user, origin=Origin(via="test", ip="127.0.0.1"))

    clerk.goto(f"{base}/disputes/{dispute.number}/")
    todo = clerk.locator("#preservation-panel .todo").inner_text()
    assert "纠纷已调解成功" in todo and "解除保全措施" in todo and ACCOUNT in todo
    shot(clerk, "preservation-todo-desktop")
    clerk.goto(f"{base}/preservation/{p.pk}/")
    field(clerk, "解除理由").fill("双方已达成调解协议")
    clerk.get_by_role("button", name="确认解除保全").click()
    clerk.get_by_text("已确认解除保全。").wait_for()
    assert clerk.locator("#preservation-status").inner_text() == "已解除保全"
    assert p.measures.get().status == "released"
