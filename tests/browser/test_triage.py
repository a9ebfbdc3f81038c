"""A clerk sees the system's triage proposal with its confidence and reasons, overrides the track
with a reason (refused without one), and the decision lands on the timeline and in the report."""

from __future__ import annotations

from dataclasses import replace

import pytest

from suyuan.accounts.context import Origin
from suyuan.disputes.services import ClaimInput, record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import PASSWORD
from suyuan.testing.worker import run_worker
from suyuan.triage.choices import Track
from suyuan.triage.models import TriageDecision, TriageProposal

from .conftest import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_reviews_the_proposal_and_overrides_the_track_with_a_reason(new_page, live_server, world):
    base = live_server.url
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="web", ip="127.0.0.1"),
                             data=grid_input(world.grid.code)).dispute
    run_worker()  # the intake's triage task stores the proposal
    stored = TriageProposal.objects.get(dispute=dispute)

    page = new_page(DESKTOP)
    login(page, base, "clerk1", PASSWORD)
    page.goto(f"{base}/disputes/?queue=new")  # the workbench queue: each proposal with its confidence
    cell = page.locator("#queue tr", has_text=dispute.number).locator("td[data-label=系统分流建议]")
    assert f"{stored.cause}（置信度 {stored.cause_confidence:.2f}）" in cell.inner_text()
    cell.locator("summary", has_text="理由").click()
    assert cell.locator("details li").first.is_visible()
    shot(page, "triage-workbench-desktop")
    page.goto(f"{base}/disputes/{dispute.number}/")
    panel = page.locator("section[aria-labelledby=triage-heading]")
    assert stored.cause in panel.inner_text() and f"置信度 {stored.cause_confidence:.2f}" in panel.inner_text()
    shot(page, "triage-panel-desktop")
    panel.get_by_role("link", name="确认或改判分流建议").click()
    page.wait_for_url(f"{base}/triage/{dispute.number}/")

    cause = page.locator("#cause")
    assert "置信度" in cause.inner_text() and cause.locator("ol > li ul li").count() >= 3  # reasons per cause
    proposed = page.locator("select[name=track]").input_value()
    other = "ordinary" if proposed != "ordinary" else "simple"
    page.locator("select[name=track]").select_option(other)
    page.get_by_role("button", name="确认分流").click()
    assert page.get_by_text("改变系统建议时须填写理由。").is_visible()
    assert not TriageDecision.objects.exists()  # nothing written without the reason

    page.locator("select[name=track]").select_option(other)
    page.locator("input[name=track_reason]").fill("被告下落不明，需公告送达")
    page.get_by_role("button", name="确认分流").click()
    page.get_by_text("分流决定已保存并记入时间线。").wait_for()
    decisions = page.locator("#decisions").inner_text()
    labels = dict(Track.choices)
    assert f"由“{labels[proposed]}”改为“{labels[other]}”（理由：被告下落不明，需公告送达）" in decisions
    shot(page, "triage-decided-desktop")

    page.goto(f"{base}/disputes/{dispute.number}/")
    assert "繁简分流确认" in page.content() and "查看分流决定" in page.content()

    phone = new_page(PHONE)
    login(phone, base, "clerk1", PASSWORD)
    phone.goto(f"{base}/triage/{dispute.number}/")
    assert phone.locator("#decisions").is_visible()
    shot(phone, "triage-phone")
    phone.goto(f"{base}/triage/report/")
    assert "采纳率" in phone.content()


def test_queue_and_panel_show_a_suggestion_or_a_manual_choice_with_reasons(new_page, live_server, world):
    """A plain loan filed as 借贷债务 is proposed ("建议"); a vague dispute filed as 其他纠纷 asks the
    clerk to choose ("请人工选择") from three causes; both with the reasons that decided."""
    base, origin = live_server.url, Origin(via="web", ip="127.0.0.1")
    loan = "被申请人向申请人借款一万二千元，出具借条，约定半年归还，到期后多次催要，至今未还。"
    plain = record_dispute(actor=world.grid_worker, origin=origin,
                           data=replace(grid_input(world.grid.code), description=loan)).dispute
    vague = record_dispute(actor=world.grid_worker, origin=origin, data=replace(
        grid_input(world.grid.code, respondent_name="王五"), category="other", amount=None,
        description="双方因琐事发生争执，经亲友调和未果。", claims=[ClaimInput("请求依法处理", None)],
    )).dispute
    run_worker()
    suggested, manual = (TriageProposal.objects.get(dispute=d) for d in (plain, vague))
    assert suggested.detail["decision"] == "建议" and manual.detail["decision"] == "请人工选择"

    page = new_page(DESKTOP)
    login(page, base, "clerk1", PASSWORD)
    page.goto(f"{base}/disputes/?queue=new")
    cell = page.locator("#queue tr", has_text=plain.number).locator("td[data-label=系统分流建议]")
    assert cell.locator(".triage-decision").inner_text() == "建议"
    assert f"{suggested.cause}（置信度 {suggested.cause_confidence:.2f}）" in cell.inner_text()
    cell.locator("summary", has_text="理由").click()
    assert "限于登记类别“借贷债务”对应的案由" in cell.locator("details").inner_text()
    other = page.locator("#queue tr", has_text=vague.number).locator("td[data-label=系统分流建议]")
    assert other.locator(".triage-decision").inner_text() == "请人工选择"
    assert all(c["label"] in other.inner_text() for c in manual.detail["causes"][:3])
    other.locator("summary", has_text="理由").click()
    assert "低于阈值" in other.locator("details").inner_text()
    shot(page, "triage-queue-suggest-and-manual")

    page.goto(f"{base}/disputes/{vague.number}/")
    panel = page.locator("section[aria-labelledby=triage-heading]")
    assert "请人工选择" in panel.inner_text() and "未对应具体民事案由" in panel.inner_text()
    assert panel.locator("ol li").count() == 3
    page.goto(f"{base}/disputes/{plain.number}/")
    panel = page.locator("section[aria-labelledby=triage-heading]")
    assert panel.locator(".triage-decision").inner_text() == "建议" and suggested.cause in panel.inner_text()
    assert "达到阈值" in panel.inner_text()
    shot(page, "triage-panel-suggest")
