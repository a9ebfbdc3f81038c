"""Dashboard and report pages, scope at the door, and the exports read back against the screen."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from suyuan.accounts.models import AuditEntry
from suyuan.governance import exporting, selectors
from suyuan.governance.selectors import Filters

from .scenario import build

QUERY = {"start": "2026-01", "end": "2026-02"}


@pytest.fixture
def leader_client(client, world):  # type: ignore[no-untyped-def]
    build(world)
    client.force_login(world.leader)
    return client


def _screen(html: str) -> dict[str, str]:
    return dict(re.findall(r'<td data-figure="([^"]+)">([^<]*)</td>', html))


def test_dashboard_shows_figures_with_definitions(leader_client) -> None:
    response = leader_client.get("/governance/", QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    figures = _screen(html)
    assert figures["纠纷登记量（件）"] == "3"
    assert figures["非诉调解成功率"] == "50.0%（1/2）"
    assert figures["万人成讼率-大武口区"] == "0.03"
    assert figures["万人成讼率-平罗县"] == "0.00"  # a county with no case is 0, not "missing"
    assert "人口数据缺失" in html  # townships
    assert "分子：" in html and "日期口径：" in html
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()


def test_bad_filters_are_a_400_page_not_a_500(leader_client) -> None:
    response = leader_client.get("/governance/", {"start": "2026-13", "end": "x"})
    assert response.status_code == 400
    assert "请按“年-月”填写月份" in response.content.decode()
    assert leader_client.get("/governance/report.pdf", {"category": "nope"}).status_code == 400


def test_other_roles_are_refused(client, world) -> None:
    client.force_login(world.clerk)
    assert client.get("/governance/").status_code == 403
    assert client.get("/governance/report.xlsx").status_code == 403


def test_excel_matches_the_screen(leader_client, world) -> None:
    screen = _screen(leader_client.get("/governance/report/", QUERY).content.decode())
    response = leader_client.get("/governance/report.xlsx", QUERY)
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    sheet = {row[0]: str(row[1]) for row in wb["指标"].iter_rows(min_row=3, values_only=True)}
    for name, _figure, _key in exporting.headline(selectors.dashboard(world.leader, Filters(date(2026, 1, 1),
                                                                                            date(2026, 2, 1)))):
        assert sheet[name] == screen[name]
    counties = {r[0]: r for r in wb["万人成讼率"].iter_rows(min_row=2, values_only=True)}
    assert counties["大武口区"][3:] == (2, 1, "0.03")
    assert "第七次全国人口普查" in counties["大武口区"][2]
    towns = {r[0]: r for r in wb["乡镇热点"].iter_rows(min_row=2, values_only=True)}
    assert towns["长胜街道"][4] == "人口数据缺失"
    assert AuditEntry.objects.filter(target_type="governance_report", detail__format="xlsx").exists()


def test_pdf_matches_the_screen(leader_client) -> None:
    screen = _screen(leader_client.get("/governance/report/", QUERY).content.decode())
    response = leader_client.get("/governance/report.pdf", QUERY)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    assert "2026年1月至2026年2月" in text
    for name, figure in screen.items():
        if name.startswith("万人成讼率-"):
            continue
        line = next(line for line in text.splitlines() if line.strip().startswith(name))
        assert figure in line, (name, figure, line)
    assert "长胜街道" in text and "人口数据缺失" in text
