"""Main paths of the roles the other browser tests do not drive: the enforcement officer (from a
creditor's one-step application after a default to concluding the case), the security auditor
(verifying the audit chain) and the system administrator (reference data, no case data)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from suyuan.accounts.context import Origin
from suyuan.disputes import clocks
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.disputes.workflow import apply
from suyuan.enforcement.models import EnforcementCase
from suyuan.rules.periods import CHINA
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import PASSWORD

from .conftest import DESKTOP, PHONE, field, login, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _defaulted_dispute(world) -> Dispute:
    """Arrange: a settled agreement performing in one instalment that fell due unpaid."""
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute
    Dispute.objects.filter(pk=dispute.pk).update(status=DisputeStatus.SETTLED, mediator=world.mediator)
    applicant = dispute.dispute_parties.get(role="applicant").party
    respondent = dispute.dispute_parties.get(role="respondent").party
    apply(DISPUTE, dispute.pk, "perform_voluntarily", actor=world.mediator_user, origin=Origin(via="test"), payload={
        "performance": {
            "total": "12000.00", "instalments": [{"due": "2026-06-30", "amount": "12000.00"}],
            "obligor_party_id": respondent.pk, "obligee_party_id": applicant.pk, "source": "agreement",
        },
    })
    clocks.sweep(now=datetime(2026, 7, 2, 9, tzinfo=CHINA))  # the due date passed unpaid → defaulted
    return dispute


def test_creditor_applies_in_one_step_and_the_enforcement_officer_concludes(new_page, live_server, world):
    base = live_server.url
    dispute = _defaulted_dispute(world)

    creditor = new_page(PHONE)
    login(creditor, base, "party1", PASSWORD)
    creditor.goto(f"{base}/disputes/{dispute.number}/")
    creditor.get_by_role("link", name="申请强制执行").first.click()
    creditor.get_by_label("我已阅读并理解上述执行风险告知").check()
    # The application renders two PDFs before answering: wait for the case page, not the click.
    creditor.get_by_role("button", name="确认并申请强制执行").click(no_wait_after=True)
    creditor.wait_for_url(re.compile(r"/enforcement/cases/\d+/$"), timeout=60_000)
    case = EnforcementCase.objects.get(dispute=dispute)
    assert re.fullmatch(r"（\d{4}）宁0202执\d+号", case.number)
    shot(creditor, "roles-creditor-applied-phone")

    officer = new_page(DESKTOP)
    login(officer, base, "enforcer1", PASSWORD)
    officer.get_by_role("link", name="履行与执行").click()
    officer.get_by_role("row", name=re.compile(re.escape(case.number))).get_by_role("link", name="查看").click()
    field(officer, "到位金额（元）").fill("12000")
    field(officer, "款项来源").fill("扣划被执行人银行存款")
    officer.get_by_role("button", name="登记到位款项").click()
    officer.get_by_role("button", name="执行完毕").click()
    officer.wait_for_load_state()
    shot(officer, "roles-enforcement-concluded-desktop")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED
    assert date.today().year >= 2026


def test_auditor_verifies_the_chain_and_sees_no_case_data(new_page, live_server, world):
    base = live_server.url
    record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=grid_input(world.grid.code))
    page = new_page(PHONE)
    login(page, base, "auditor1", PASSWORD)
    assert page.get_by_text("三员分立").is_visible()
    nav(page, "审计日志")  # on a phone the menu is collapsed behind "菜单"
    page.get_by_role("link", name="校验哈希链").click()
    assert page.get_by_text(re.compile(r"审计日志完整：共 \d+ 条记录")).is_visible()
    shot(page, "roles-auditor-verified-phone")
    assert page.goto(f"{base}/disputes/list/").status == 403


def test_system_administrator_manages_reference_data_not_cases(new_page, live_server, world):
    base = live_server.url
    world.sysadmin.is_staff = True
    world.sysadmin.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(content_type__app_label="network")
    assert perms.exists()
    world.sysadmin.user_permissions.add(*perms)
    page = new_page(DESKTOP)
    login(page, base, "admin1", PASSWORD)
    page.get_by_role("link", name="系统管理").first.click()
    assert "诉源系统管理" in page.title()
    page.goto(f"{base}/admin/network/mediator/")
    assert page.get_by_role("heading", name=re.compile("调解员")).count() >= 1
    assert page.goto(f"{base}/admin/disputes/dispute/").status == 404  # case data is not in the admin
    shot(page, "roles-sysadmin-desktop")
