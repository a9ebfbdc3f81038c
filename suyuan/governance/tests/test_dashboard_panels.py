"""The dashboard's panels: headline cards equal the selectors' figures, the tile map and drill-down data,
the 明细 tables, extra figure sections from other apps, and exports that follow the dashboard's filters."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from suyuan.governance import selectors
from suyuan.governance.figures import _SECTIONS, FigureSection, FigureTable, register_figure_section
from suyuan.governance.panels import TILES
from suyuan.governance.selectors import Filters
from suyuan.network.choices import RegionLevel
from suyuan.network.models import Region

from .scenario import build

QUERY = {"start": "2026-01", "end": "2026-02"}
DWK = "640202000000"


@pytest.fixture
def leader_client(client, world):  # type: ignore[no-untyped-def]
    build(world)
    client.force_login(world.leader)
    return client


def _cards(html: str) -> dict[str, tuple[str, str]]:
    return {name: (value, detail) for name, value, detail in re.findall(
        r'data-kpi="([^"]+)"[^>]*>\s*<span class="kpi-name">[^<]*</span>\s*<strong class="kpi-value">([^<]*)</strong>'
        r'\s*<span class="kpi-detail">([^<]*)</span>', html)}


def _chart(html: str) -> dict:  # type: ignore[type-arg]
    return json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)[1])


def test_headline_cards_are_the_selectors_figures(leader_client, world) -> None:
    html = leader_client.get("/governance/", QUERY).content.decode()
    cards = _cards(html)
    d = selectors.dashboard(world.leader, Filters(date(2026, 1, 1), date(2026, 2, 1)))
    # By hand (scenario.py): D1 settled in mediation; D2 and D3 registered → 1 / (1 + 2).
    assert cards["诉前化解占比"] == ("33.3%", "1 / 3") == (d.pre_suit.display, "1 / 3")
    assert cards["司法确认率"] == ("50.0%", "1 / 2")  # D4 confirmed once, rejected once
    assert cards["自动履行率"] == ("50.0%", "1 / 2")  # D1 performed; D4 went to enforcement
    assert cards["纠纷登记量（件）"][0] == "3"
    assert cards["万人成讼率"][0] == str(d.totals.rate)
    assert cards["进入执行案件数（件）"][0] == "1"
    assert "执行到位率" in cards and "执行完毕率" in cards
    # each card carries its definition (hover title and the 口径 disclosure)
    assert html.count("<summary>口径</summary>") == len(cards)
    assert 'title="诉前化解占比：分子：' in html
    # the tables are still there, behind the 明细 switch, and the charts are drawn by the vendored ECharts
    details = html.split('<details class="details-switch" id="details">', 1)[1]
    assert 'id="headline"' in details and 'id="townships"' in details and 'id="trend"' in details
    assert "vendor/echarts/echarts.min.js" in html and "chartjs" not in html


def test_tile_map_and_township_drill_down(leader_client) -> None:
    chart = _chart(leader_client.get("/governance/", QUERY).content.decode())
    tiles = {t["code"]: t for t in chart["map"]["tiles"]}
    townships = set(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("code", flat=True))
    assert set(tiles) == townships and townships <= set(TILES)
    assert len({(t["x"], t["y"]) for t in tiles.values()}) == len(tiles)  # one tile per square
    assert chart["map"]["per_resident"] is False  # no township population is stored …
    assert "常住人口未在区划数据中登记" in chart["map"]["note"]  # … and the page says so
    cs = tiles["640202001000"]  # 长胜街道: D1 and D2 recorded in January, D2 registered
    assert (cs["name"], cs["disputes"], cs["registrations"], cs["value"]) == ("长胜街道", 2, 1, 2)
    drill = chart["townships"]["640202001000"]
    assert drill["months"] == [2, 0] and drill["registrations_months"] == [0, 1]
    assert drill["categories"] == {"借贷债务": 1, "婚姻家庭": 1} and drill["mediation"] == "100.0%"
    assert [c["name"] for c in chart["counties"]] == ["大武口区", "惠农区", "平罗县"]


def test_county_drill_and_population_when_stored(leader_client) -> None:
    Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith="640202").update(
        population=20000, population_source="测试人口来源")
    html = leader_client.get("/governance/", QUERY | {"county": DWK}).content.decode()
    chart = _chart(html)
    tiles = {t["code"]: t for t in chart["map"]["tiles"]}
    assert len(tiles) == 11 and all(code.startswith("640202") for code in tiles)
    assert chart["map"]["per_resident"] is True and "测试人口来源" in chart["map"]["note"]
    assert tiles["640202001000"]["value"] == 1.0  # 2 disputes per 20,000 residents = 1.00 per 10,000
    assert re.search(r'<nav class="crumbs"[^>]*><a href="\?start=2026-01&amp;end=2026-02">', html)  # back up


def test_other_apps_plug_figure_sections_into_screen_and_exports(leader_client, world, tmp_path) -> None:
    def deputies(user, filters):  # type: ignore[no-untyped-def]
        if user.pk != world.leader.pk:
            return None
        return FigureSection("deputies", "两代表一委员参与", [FigureTable(
            "参与情况", ["项目", "人次"], [["受邀参与调解", 17]], note="受邀参与调解并到场的人次")])

    register_figure_section(deputies)
    try:
        html = leader_client.get("/governance/", QUERY).content.decode()
        assert 'id="figures-deputies"' in html and "<td>受邀参与调解</td><td>17</td>" in html
        wb = load_workbook(BytesIO(leader_client.get("/governance/report.xlsx", QUERY).content))
        assert list(wb["参与情况"].iter_rows(values_only=True)) == [("项目", "人次"), ("受邀参与调解", 17)]
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(leader_client.get("/governance/report.pdf", QUERY).content)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        assert "两代表一委员参与" in text and re.search(r"受邀参与调解\s+17", text)
    finally:
        _SECTIONS.remove(deputies)
    assert 'id="figures-deputies"' not in leader_client.get("/governance/", QUERY).content.decode()


def test_exports_follow_the_dashboards_filters(leader_client, tmp_path) -> None:
    query = QUERY | {"county": DWK, "category": "debt"}
    html = leader_client.get("/governance/", query).content.decode()
    assert "筛选：县（区）：大武口区；纠纷类别：借贷债务" in html
    link = re.search(r'id="export-pdf" href="([^"]+)"', html)[1].replace("&amp;", "&")
    assert "county=640202000000" in link and "category=debt" in link
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(leader_client.get(link).content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "筛选：县（区）：大武口区；纠纷类别：借贷债务" in text
    line = next(line for line in text.splitlines() if line.strip().startswith("纠纷登记量（件）"))
    assert re.search(r"纠纷登记量（件）\s+1\b", line)  # only D1 is a debt dispute recorded in 大武口 in Jan-Feb
    assert "执行到位率" in text
    xlsx = re.search(r'id="export-xlsx" href="([^"]+)"', html)[1].replace("&amp;", "&")
    ws = load_workbook(BytesIO(leader_client.get(xlsx).content))["指标"]
    assert ws["C1"].value == "县（区）：大武口区；纠纷类别：借贷债务"
    assert {r[0]: r[1] for r in ws.iter_rows(min_row=3, values_only=True)}["纠纷登记量（件）"] == "1"
