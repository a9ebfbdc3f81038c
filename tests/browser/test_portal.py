"""The party's portal and the grid worker's pages on a 390 px phone; the public process page (issue 13).

Each page walked passes axe-core (no serious or critical violation); the screenshots for the README
are written at the phone viewport (to docs/screenshots/ with SUYUAN_UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import re

import pytest

from suyuan.accounts.context import Origin
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import PASSWORD

from .accessibility import assert_accessible
from .conftest import PHONE, SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"portal-{name}.png"))


def _fits_the_phone(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} 在手机上横向溢出（{width}px）"


def _small_targets(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Visible links/buttons under ``selector`` shorter than 44 px (WCAG 2.5.5 target size)."""
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
             .filter(e => e.getBoundingClientRect().height < 44).map(e => e.textContent.trim())""",
        selector,
    )


def _menu_is_collapsed_then_opens(page) -> None:  # type: ignore[no-untyped-def]
    nav = page.get_by_role("navigation", name="主导航")
    assert not nav.is_visible(), "手机上主导航应收起在“菜单”按钮后"
    button = page.locator("#menu > summary")
    assert button.bounding_box()["height"] >= 44
    button.click()
    assert nav.is_visible()
    assert _small_targets(page, "#menu nav a") == []


def test_a_party_follows_their_dispute_on_a_phone_and_gives_their_lawyer_a_code(new_page, live_server, world):
    base = live_server.url
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute

    phone = new_page(PHONE)
    login(phone, base, "party1", PASSWORD)
    assert phone.url == f"{base}/portal/"
    assert phone.get_by_role("heading", name="我的纠纷", exact=True).is_visible()
    card = phone.locator("#my-disputes li", has_text=dispute.number)
    assert card.get_by_text("需要您做").is_visible()
    assert card.get_by_role("link", name="告诉我们您是否同意调解").is_visible()
    assert "即将到期" not in phone.content() and "批量导入" not in phone.content()
    _fits_the_phone(phone)
    assert _small_targets(phone, "main .button, main button") == []
    assert_accessible(phone, "portal-home-phone")
    _screenshot(phone, "home")
    _menu_is_collapsed_then_opens(phone)
    assert_accessible(phone, "portal-home-menu-open-phone")
    _screenshot(phone, "menu")

    phone.goto(f"{base}/portal/")
    card.get_by_role("link", name=dispute.number).click()
    phone.wait_for_url(f"{base}/portal/disputes/{dispute.number}/")
    assert phone.locator("#tracker [aria-current=step]").inner_text().startswith("登记")
    assert phone.get_by_text("谁在办理：").is_visible()
    _fits_the_phone(phone)
    assert_accessible(phone, "portal-dispute-phone")
    _screenshot(phone, "dispute")

    phone.get_by_role("button", name="获取查询码").click()
    code = phone.locator("#issued-code .code").inner_text()
    assert re.fullmatch(r"\d{6}", code)
    assert_accessible(phone, "portal-dispute-code-phone")

    # The lawyer, not signed in, on their own phone.
    lawyer = new_page(PHONE)
    lawyer.goto(f"{base}/portal/public/")
    assert_accessible(lawyer, "portal-public-form-phone")
    lawyer.get_by_label("纠纷编号").fill(dispute.number)
    lawyer.get_by_label("查询码").fill("000000" if code != "000000" else "111111")
    lawyer.get_by_role("button", name="查询").click()
    assert lawyer.locator("#public-error").inner_text().startswith("纠纷编号或查询码不正确")
    assert_accessible(lawyer, "portal-public-error-phone")
    lawyer.get_by_label("纠纷编号").fill(dispute.number)
    lawyer.get_by_label("查询码").fill(code)
    lawyer.get_by_role("button", name="查询").click()
    result = lawyer.locator("#public-result")
    assert result.get_by_text("纠纷登记").first.is_visible()
    party = world.party_user.party
    for personal in (party.name, party.id_number, party.phone, "李四"):
        assert personal not in lawyer.content()
    _fits_the_phone(lawyer)
    assert_accessible(lawyer, "portal-public-result-phone")
    _screenshot(lawyer, "public")


def test_a_grid_worker_works_on_a_phone(new_page, live_server, world):
    base = live_server.url
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute

    phone = new_page(PHONE)
    login(phone, base, "grid1", PASSWORD)
    _fits_the_phone(phone)
    assert_accessible(phone, "grid-worker-workbench-phone")
    _menu_is_collapsed_then_opens(phone)
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="登记纠纷").click()
    phone.wait_for_url(f"{base}/disputes/new/")
    _fits_the_phone(phone)
    # Forms in one column: every visible text field starts at the same left edge.
    lefts = phone.evaluate(
        """() => [...document.querySelectorAll('main input[type=text], main select, main textarea')]
             .filter(e => e.offsetParent !== null).map(e => Math.round(e.getBoundingClientRect().left))""")
    assert len(set(lefts)) <= 2, lefts  # fields inside a fieldset are indented once
    assert _small_targets(phone, "main button, main .button") == []
    assert_accessible(phone, "grid-worker-create-phone")
    _screenshot(phone, "grid-worker-form")

    for path in (f"/disputes/{dispute.number}/", "/assistance/"):
        phone.goto(f"{base}{path}")
        _fits_the_phone(phone)
        assert_accessible(phone, "grid-worker" + path.replace("/", "-").rstrip("-") + "-phone")


def test_the_partys_other_pages_fit_a_phone(new_page, live_server, world):
    """The stage pages a party's buttons lead to: no sideways scrolling, accessible, the action reachable."""
    from suyuan.enforcement.tests.conftest import make_performing, plan_of

    base = live_server.url
    dispute = make_performing(world)
    plan = plan_of(dispute)
    phone = new_page(PHONE)
    login(phone, base, "party1", PASSWORD)
    pages = (f"/portal/disputes/{dispute.number}/", f"/disputes/{dispute.number}/", f"/enforcement/plans/{plan.pk}/",
             "/mediation/consents/", "/notices/", "/disputes/new/")
    for path in pages:
        phone.goto(f"{base}{path}")
        _fits_the_phone(phone)
        assert _small_targets(phone, "main button, main .button") == [], path
        assert_accessible(phone, "party" + path.replace("/", "-").rstrip("-") + "-phone")
