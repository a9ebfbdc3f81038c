"""R8 in a real browser: a new judge enrols a TOTP device from the QR page and signs in with it;
pages with scripts (Swagger UI, the governance dashboard's charts) run under the CSP without a
single violation."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from suyuan.accounts.choices import Role
from suyuan.testing.factories import PASSWORD, make_user

from .conftest import field, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


def test_a_new_judge_enrols_from_the_qr_page_and_then_signs_in_with_a_code(new_page, live_server, world):
    judge = make_user(Role.JUDGE, organisation=world.dawukou_court, username="judge-new", second_factor=False)
    page = new_page()
    errors = _csp_errors(page)
    page.goto(f"{live_server.url}/accounts/login/")
    field(page, "用户名").fill("judge-new")
    field(page, "密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/enrol/**")
    assert page.locator("figure.qr svg").is_visible()
    assert page.locator("#totp-uri").inner_text().startswith("otpauth://totp/")
    shot(page, "second-factor-enrol")
    device = TOTPDevice.objects.get(user=judge, confirmed=False)
    field(page, "动态口令").fill(str(TOTP(device.bin_key).token()).zfill(6))
    page.get_by_role("button", name="完成绑定").click()
    page.wait_for_url(f"{live_server.url}/disputes/")
    assert TOTPDevice.objects.get(user=judge).confirmed
    page.get_by_role("button", name="退出").first.click()
    # The next sign-in asks for the code (the login helper types it).
    login(page, live_server.url, "judge-new", PASSWORD)
    assert errors == []


def test_swagger_ui_and_the_charts_run_under_the_csp(new_page, live_server, world):
    page = new_page()
    errors = _csp_errors(page)
    login(page, live_server.url, "leader1", PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    page.goto(f"{live_server.url}/governance/")
    page.wait_for_load_state("networkidle")
    assert errors == []
