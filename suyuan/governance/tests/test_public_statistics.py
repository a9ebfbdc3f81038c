"""The public statistics page: anyone may read it, it shows aggregates only, small cells suppressed, cached."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from suyuan.disputes.choices import Channel
from suyuan.governance.public import SUPPRESSED, ratio, suppress
from suyuan.governance.selectors import Ratio

from .scenario import at, build, dispute, event

YEAR = {"year": "2026"}  # the scenario's year (explicit: the default is the current year)


@pytest.fixture(autouse=True)
def empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def _kpis(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-kpi="([^"]+)"><span class="kpi-name">[^<]*</span><strong class="kpi-value">([^<]*)<',
                           html))


def _rows(html: str, table: str) -> dict[str, list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return {m[0]: re.findall(r"<td>([^<]*)</td>", m[1])
            for m in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', body)}


def test_suppression_rules() -> None:
    assert suppress([10, 3, 7, 0]) == [10, SUPPRESSED, SUPPRESSED, 0]  # the lone small cell takes the next one
    assert suppress([1, 2, 30]) == [SUPPRESSED, SUPPRESSED, 30]  # two hidden cells: no back-calculation
    assert suppress([0, 5, 9]) == [0, 5, 9]
    assert ratio(Ratio(4, 4)) == "样本不足，不公布"
    assert ratio(Ratio(9, 10)) == "样本不足，不公布"  # 1 failure would be published by subtraction
    assert ratio(Ratio(5, 10)) == "50.0%"


def test_anonymous_reader_sees_city_aggregates_without_personal_data(client, world) -> None:
    s = build(world)
    response = client.get("/governance/public/", {"year": "2026"})
    assert response.status_code == 200  # no sign-in
    assert response["Cache-Control"] == "public, max-age=300"
    html = response.content.decode()
    kpis = _kpis(html)
    assert kpis["纠纷登记量（件）"] == "&lt;5"  # four disputes recorded in 2026
    counties = _rows(html, "public-counties")
    assert counties["大武口区"][:2] == ["&lt;5", "&lt;5"] and counties["平罗县"][:2] == ["0", "0"]
    assert counties["大武口区"][2] == "不公布"  # a rate would reveal the suppressed count
    assert "1至4件的数字显示为" in html
    for d in (s.d1, s.d2, s.d3):
        assert d.number not in html
    for private in ("甲方", "乙方", world.grid_worker.display_name, world.mediator.name, "长胜街道", "13900000011"):
        assert private not in html


def test_published_counts_and_the_cache(client, world) -> None:
    build(world)
    for i in range(6):
        event(dispute(world, world.grid, "debt", Channel.SELF_SERVICE, world.dawukou_court), "recorded", at(4, 1 + i))
    first = _kpis(client.get("/governance/public/", YEAR).content.decode())
    assert first["纠纷登记量（件）"] == "10"
    trend = _rows(client.get("/governance/public/", YEAR).content.decode(), "public-trend")
    assert trend["4月"] == ["6"] and trend["1月"] == [SUPPRESSED.replace("<", "&lt;")]
    event(dispute(world, world.grid, "debt", Channel.SELF_SERVICE, world.dawukou_court), "recorded", at(4, 20))
    assert _kpis(client.get("/governance/public/", YEAR).content.decode())["纠纷登记量（件）"] == "10"  # cached
    cache.clear()
    assert _kpis(client.get("/governance/public/", YEAR).content.decode())["纠纷登记量（件）"] == "11"


def test_bad_year_is_a_clear_400(client, world) -> None:
    response = client.get("/governance/public/", {"year": "1900"})
    assert response.status_code == 400
    assert "请选择2000年至" in response.content.decode()
    assert client.get("/governance/public/", {"year": "abc"}).status_code == 400
