"""A clerk sees the system's triage proposal with its confidence and reasons, overrides the track
with a reason (refused without one), and the decision lands on the timeline and in the report."""

from __future__ import annotations

import pytest

from suyuan.accounts.context import Origin
from suyuan.disputes.services import record_dispute
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
