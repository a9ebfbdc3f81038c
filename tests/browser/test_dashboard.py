"""Issue 13's leader's picture: at 1366 px the leader reads the headline cards (the selectors' figures),
clicks a township tile for its breakdown, opens 明细 and downloads the report as PDF and Excel (both read
back); the public statistics page is read without signing in. axe-core on every page walked."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from suyuan.governance import selectors
from suyuan.governance.selectors import Filters
from suyuan.governance.tests.scenario import build
from suyuan.testing.factories import PASSWORD

from .accessibility import assert_accessible
from .conftest import DESKTOP, SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cards(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    cards = page.locator("#kpis li.kpi")
    return {cards.nth(i).get_attribute("data-kpi"): cards.nth(i).locator(".kpi-value").inner_text().strip()
            for i in range(cards.count())}


def test_leader_reads_the_dashboard_drills_into_a_township_and_exports(new_page, live_server, world, tmp_path):
    build(world)
    base = live_server.url
    page = new_page(DESKTOP)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    login(page, base, world.leader.username, PASSWORD)
    page.goto(f"{base}/governance/?start=2026-01&end=2026-02")
    page.wait_for_function("window.suyuanCharts && window.suyuanCharts['chart-map']")
    assert page.evaluate("echarts.version") == "6.1.0"  # the vendored library, from our static files
    assert hosts == {urlparse(base).netloc}

    d = selectors.dashboard(world.leader, Filters(date(2026, 1, 1), date(2026, 2, 1)))
    cards = _cards(page)
    assert cards["诉前化解占比"] == d.pre_suit.display == "33.3%"
    assert cards["司法确认率"] == d.confirmation.display
    assert cards["自动履行率"] == d.voluntary_performance.display
    assert cards["纠纷登记量（件）"] == str(d.totals.disputes)
    assert cards["万人成讼率"] == str(d.totals.rate)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2 * DESKTOP["height"] + 400, height  # a screen or two, not 11,000 px
    assert page.locator("#headline").is_hidden()  # the tables wait behind 明细
    page.locator("#kpis li.kpi").first.locator("summary").click()  # a definition on click
    assert "分子：" in page.locator("#kpis li.kpi").first.locator(".definition").inner_text()
    assert_accessible(page, "dashboard-leader")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-overview.png"))

    # Click the tile of 长胜街道 (where D1 and D2 were recorded in January) → its breakdown.
    page.locator("#h-map").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('h-map').scrollIntoView()")
    x, y = page.evaluate("""() => {
        const c = window.suyuanCharts['chart-map'];
        const t = JSON.parse(document.getElementById('chart-data').textContent).map.tiles
                    .find(t => t.name === '长胜街道');
        return c.convertToPixel({seriesIndex: 0}, [t.x, t.y]);
    }""")
    box = page.locator("#chart-map").bounding_box()
    assert 0 < box["y"] + y < DESKTOP["height"], (box, x, y)
    page.mouse.click(box["x"] + x, box["y"] + y)
    drill = page.locator("#drill-table")
    drill.wait_for()
    assert page.locator("#drill-title").inner_text() == "长胜街道"
    assert drill.locator('[data-drill="disputes"]').inner_text() == "2"
    assert drill.locator('[data-drill="registrations"]').inner_text() == "1"
    assert drill.locator('[data-drill="mediation"]').inner_text() == "100.0%（1/1）"
    assert page.locator("#pick-township").input_value() == "640202001000"
    assert page.locator("#chart-drill-trend").is_visible()
    assert_accessible(page, "dashboard-township")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-township.png"))

    page.get_by_text("明细（全部数据表）").click()
    assert page.locator("#headline").is_visible()
    figures = page.locator("#headline td[data-figure]")
    table = {figures.nth(i).get_attribute("data-figure"): figures.nth(i).inner_text().strip()
             for i in range(figures.count())}
    assert table["诉前化解占比"].startswith(cards["诉前化解占比"])
    assert_accessible(page, "dashboard-details")

    with page.expect_download() as info:
        page.locator("#export-pdf").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "2026年1月至2026年2月" in text
    for name, figure in table.items():
        line = next(line for line in text.splitlines() if line.strip().startswith(name))
        assert figure in line, (name, figure, line)

    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    xlsx = tmp_path / "report.xlsx"
    info.value.save_as(xlsx)
    sheet = {row[0]: row[1] for row in load_workbook(xlsx)["指标"].iter_rows(min_row=3, values_only=True)}
    assert {name: sheet[name] for name in table} == table


def test_public_statistics_without_sign_in(new_page, live_server, world):
    build(world)
    cache.clear()
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/governance/public/?year=2026")
    assert re.search(r"/governance/public/", page.url)  # not sent to the login page
    assert page.locator('#public-kpis [data-kpi="纠纷登记量（件）"] .kpi-value').inner_text() == "<5"
    assert "1至4件的数字显示为" in page.locator("#privacy").inner_text()
    assert_accessible(page, "public-statistics")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-public.png"))
