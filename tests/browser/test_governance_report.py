"""Issue 7's path: a leader filters the governance dashboard, opens the joint-conference report and
downloads it as Excel and PDF; both files are read back and say what the screen says."""

from __future__ import annotations

import re
import subprocess
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook

from suyuan.governance.tests.scenario import build
from suyuan.testing.factories import PASSWORD

from .conftest import DESKTOP, PHONE, field, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _figures(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    cells = page.locator("#headline td[data-figure]")
    return {cells.nth(i).get_attribute("data-figure"): cells.nth(i).inner_text().strip()
            for i in range(cells.count())}


def test_leader_filters_dashboard_and_downloads_the_report(new_page, live_server, world, tmp_path):
    build(world)
    base = live_server.url
    page = new_page(DESKTOP)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    login(page, base, world.leader.username, PASSWORD)
    page.get_by_role("link", name="诉源治理", exact=True).click()
    page.wait_for_url(f"{base}/governance/")

    field(page, "开始月份").fill("2026-01")
    field(page, "结束月份").fill("2026-02")
    field(page, "县（区）").select_option(label="大武口区")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r".*county=640202000000.*"))
    assert page.locator("#period").inner_text() == "2026年1月至2026年2月"
    page.get_by_text("明细（全部数据表）").click()  # the tables sit behind the 明细 switch (issue 13)
    screen = _figures(page)
    # By hand (scenario.py): in 大武口, D1 and D2 were recorded, D2 registered; D1's mediation settled.
    assert screen["纠纷登记量（件）"] == "2"
    assert screen["一审民事立案（件）"] == "1"
    assert screen["万人成讼率"] == "0.03"
    assert screen["非诉调解成功率"] == "100.0%（1/1）"
    assert page.locator("#townships tbody tr").first.inner_text().startswith("长胜街道")
    assert page.evaluate("typeof echarts") == "object"  # the vendored library, from our static files
    assert hosts == {urlparse(base).netloc}  # nothing fetched from anywhere else
    shot(page, "governance-dashboard-desktop")

    page.get_by_role("link", name="联席会议报告").click()
    page.wait_for_url(re.compile(r".*/governance/report/\?.*county=640202000000.*"))
    assert _figures(page) == screen

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel").click()
    xlsx = tmp_path / "report.xlsx"
    info.value.save_as(xlsx)
    sheet = {row[0]: row[1] for row in load_workbook(xlsx)["指标"].iter_rows(min_row=3, values_only=True)}
    assert {name: sheet[name] for name in screen} == screen

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 PDF").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "2026年1月至2026年2月" in text
    for name, figure in screen.items():
        line = next(line for line in text.splitlines() if line.strip().startswith(name))
        assert figure in line, (name, figure, line)

    # The same dashboard on a phone: filters and tables stay usable.
    phone = new_page(PHONE)
    login(phone, base, world.leader.username, PASSWORD)
    phone.goto(f"{base}/governance/?start=2026-01&end=2026-02")
    phone.get_by_text("明细（全部数据表）").click()
    assert _figures(phone)["纠纷登记量（件）"] == "3"
    shot(phone, "governance-dashboard-phone")
