"""Issue 6's path: a clerk opens the integrity check from a re-filed dispute and sees the
duplicate-suit warning with its evidence (parties, claims, similarity, the art. 247 citation);
a bank uploads its card-debt claims in two batches and the clerk watches the group grow."""

from __future__ import annotations

import re

import pytest

from suyuan.accounts.context import Origin
from suyuan.disputes.choices import AuthorityKind, Channel, PartyRole
from suyuan.disputes.services import ClaimInput, DisputeInput, record_dispute
from suyuan.integrity.models import DisputeGroup
from suyuan.parties.choices import PartyKind
from suyuan.parties.services import PartyInput
from suyuan.testing.factories import PASSWORD, make_id_number
from suyuan.testing.imports import bank_row, csv_bytes, make_bank
from suyuan.testing.worker import run_worker

from .conftest import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOAN = "2025年3月被申请人以资金周转为由向申请人借款50000元，约定6个月内归还，到期后申请人多次催要，被申请人至今未还。"
LOAN_AGAIN = "被申请人于2025年3月因资金周转向申请人借款50000元，约定半年内归还，到期经多次催要，被申请人至今未归还。"


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SUYUAN_INTEGRITY_INDEX_DIR = str(tmp_path / "integrity-index")


def loan(world, applicant: PartyInput, respondent: PartyInput, description: str, claim: str):  # type: ignore[no-untyped-def]
    data = DisputeInput(
        channel=Channel.GRID_WORKER, category="debt", description=description, region_code=world.grid.code,
        parties=[(PartyRole.APPLICANT, applicant), (PartyRole.RESPONDENT, respondent)],
        claims=[ClaimInput(claim, "50000")], amount="50000",
        authority_kind=AuthorityKind.WRITTEN, authority_note="当事人签字授权",
    )
    return record_dispute(actor=world.grid_worker, origin=Origin(via="web", ip="127.0.0.1"), data=data).dispute


def upload(page, base: str, content: bytes, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/disputes/import/")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url(re.compile(r".*/disputes/import/\d+/$"))


def group_size(page) -> int:  # type: ignore[no-untyped-def]
    card = page.locator("article[id^=group-]").first
    return int(card.get_attribute("data-size"))


def test_clerk_sees_duplicate_evidence_and_a_bank_batch_group_grows(new_page, live_server, world):
    base = live_server.url
    zhang = PartyInput(kind=PartyKind.NATURAL, name="张建国", id_number=make_id_number(), phone="13900000001")
    li = PartyInput(kind=PartyKind.NATURAL, name="李明", id_number=make_id_number(), phone="13900000002")
    first = loan(world, zhang, li, LOAN, "请求被申请人归还借款50000元")
    later = loan(world, zhang, li, LOAN_AGAIN, "请求判令被申请人归还借款本金50000元")
    run_worker()  # the intake checks run in the worker after each intake commits

    # 1. The clerk opens the re-filed dispute and its integrity check.
    desk = new_page(DESKTOP)
    login(desk, base, "clerk1", PASSWORD)
    desk.goto(f"{base}/disputes/{later.number}/")
    assert desk.locator("#timeline").get_by_text("重复起诉审查提示").first.is_visible()
    desk.get_by_role("link", name="重复诉讼与虚假诉讼风险核查").click()
    desk.wait_for_url(f"{base}/integrity/{later.number}/")
    card = desk.locator(f"article[data-earlier='{first.number}']")
    assert card.get_by_role("heading", name=f"⚠ 疑似重复起诉：{first.number}").is_visible()
    assert desk.get_by_text("第二百四十七条").is_visible()
    assert card.get_by_text("共同当事人：张建国、李明").is_visible()
    assert card.get_by_text("当事人完全相同").is_visible()
    claim = card.locator("ul.claims li").first.inner_text()
    assert "请求判令被申请人归还借款本金50000元" in claim and "请求被申请人归还借款50000元" in claim
    similarity = float(re.search(r"相似度 ([0-9.]+)", claim).group(1))  # type: ignore[union-attr]
    assert 0.8 <= similarity <= 1.0 and "金额相同" in claim
    assert card.get_by_role("button", name="认定构成重复起诉").is_visible()
    shot(desk, "integrity-duplicate-warning-desktop")

    phone = new_page(PHONE)
    login(phone, base, "clerk1", PASSWORD)
    phone.goto(f"{base}/integrity/{later.number}/")
    assert phone.get_by_role("heading", name=f"⚠ 疑似重复起诉：{first.number}").is_visible()
    shot(phone, "integrity-duplicate-warning-phone")

    # 2. A bank uploads a first batch of card-debt claims; the worker imports and clusters them.
    bank = make_bank()
    bank_page = new_page(DESKTOP)
    login(bank_page, base, bank.username, PASSWORD)
    upload(bank_page, base, csv_bytes([bank_row(bank, i) for i in range(1, 4)]), "第一批.csv")
    run_worker()
    bank_page.reload()
    assert bank_page.locator("#count-created").inner_text() == "3"

    desk.goto(f"{base}/integrity/groups/")
    group = DisputeGroup.objects.get()
    assert desk.get_by_role("heading", name=re.compile(rf"{bank.party.name}（成批申请） · 金融纠纷")).is_visible()
    assert group_size(desk) == 3 and desk.get_by_text("共 3 件").is_visible()
    shot(desk, "integrity-group-first-batch-desktop")

    # 3. A second batch arrives: the same group grows.
    upload(bank_page, base, csv_bytes([bank_row(bank, i) for i in range(4, 6)]), "第二批.csv")
    run_worker()
    desk.reload()
    assert DisputeGroup.objects.get().pk == group.pk
    assert group_size(desk) == 5 and desk.get_by_text("共 5 件").is_visible()
    shot(desk, "integrity-group-grown-desktop")
    phone.goto(f"{base}/integrity/groups/")
    assert phone.get_by_text("共 5 件").is_visible()
    shot(phone, "integrity-group-grown-phone")
