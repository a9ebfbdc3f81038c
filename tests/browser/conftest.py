"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / os.environ.get("SUYUAN_TEST_DB_LABEL", "local")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
# The README's screenshots (docs/screenshots/) are rewritten only on request, so a test run leaves the
# checkout clean: SUYUAN_UPDATE_SCREENSHOTS=1 make test. Otherwise they go with the run's artefacts.
SCREENSHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots"
               if os.environ.get("SUYUAN_UPDATE_SCREENSHOTS") else ARTIFACTS / "screenshots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("未找到 Chromium：请先运行 make test（会安装 Debian 的 chromium 软件包）。")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):  # type: ignore[no-untyped-def]
    """Open a fresh browser context (own cookies) at a given viewport; closes them all after."""
    contexts = []

    def make(viewport: dict[str, int] = DESKTOP):  # type: ignore[no-untyped-def]
        context = browser.new_context(locale="zh-CN", viewport=viewport, timezone_id="Asia/Shanghai")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def field(page, label: str):  # type: ignore[no-untyped-def]
    """The input labelled ``label`` (a required field's label ends with " *")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def login(page, base_url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the form; a second-factor role also types its current TOTP code."""
    page.goto(f"{base_url}/accounts/login/")
    field(page, "用户名").fill(username)
    field(page, "密码").fill(password)
    page.get_by_role("button", name="登录").click()
    # Staff land on the workbench, parties on their portal (SUYUAN_ROLE_HOMES); judges, administrators and
    # auditors enter their second factor first.
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}/(disputes/|portal/|accounts/two-factor/)"))
    if "/accounts/two-factor/" in page.url:
        from suyuan.accounts.models import User
        from suyuan.testing.factories import totp_code

        field(page, "动态口令").fill(totp_code(User.objects.get(username=username)))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}/(disputes|portal)/$"))


def nav(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Click the main-navigation link ``name``, opening the collapsed menu first on a phone."""
    link = page.get_by_role("navigation", name="主导航").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        page.locator("#menu > summary").click()
    link.click()


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.accessibility import RESULTS

    if not RESULTS:
        return
    terminalreporter.section("axe-core accessibility")
    for r in RESULTS:
        terminalreporter.write_line(f"{r.name}: serious/critical={r.failing} minor/moderate={r.other}  {r.url}")
    failing = sum(r.failing for r in RESULTS)
    terminalreporter.write_line(f"pages walked={len(RESULTS)} serious_or_critical={failing}")
