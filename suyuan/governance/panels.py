"""The dashboard's panels: headline cards, the township tile map, the drill-down data and the chart JSON.

Everything here is derived from :func:`selectors.dashboard` (the same figures as the tables and
the exports) plus two grouped reads of the fact table for the per-township drill-down. The tile
map is a schematic: one square per township/street, placed roughly by geography (north at the
top), not to scale — no boundary data is shipped (decision 0008).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from suyuan.common.choices import DisputeCategory
from suyuan.network.choices import RegionLevel
from suyuan.network.models import Region

from .enforcement_figures import EnforcementFigures
from .indicators import INDICATORS, Indicator
from .selectors import (
    RECORDED,
    REFERRAL_FAILED,
    REFERRAL_SETTLED,
    REGISTERED,
    Dashboard,
    Filters,
    Ratio,
    Scope,
    per_10k,
)
from .selectors import facts as fact_rows

# (column, row) of each township of Shizuishan on the schematic map; row 0 is the north.
# 惠农区 in the north, 大武口区 in the west under the Helan mountains (石炭井 and 白芨沟 in the
# hills to the north-west), 平罗县 in the south with 陶乐 and 红崖子 east of the Yellow River.
TILES: dict[str, tuple[int, int]] = {
    # 惠农区
    "640205100000": (4, 0),  # 红果子镇
    "640205102000": (2, 1), "640205004000": (3, 1), "640205005000": (4, 1), "640205202000": (5, 1),
    "640205006000": (2, 2), "640205003000": (3, 2), "640205001000": (4, 2), "640205201000": (5, 2),
    "640205002000": (3, 3), "640205101000": (4, 3), "640205200000": (5, 3),
    # 大武口区
    "640202007000": (0, 1), "640202006000": (0, 2),  # 白芨沟、石炭井
    "640202008000": (0, 4), "640202004000": (1, 4), "640202003000": (2, 4), "640202005000": (3, 4),
    "640202011000": (0, 5), "640202001000": (1, 5), "640202002000": (2, 5), "640202100000": (3, 5),
    "640202010000": (1, 6),
    # 平罗县
    "640221102000": (3, 6), "640221101000": (4, 6), "640221205000": (6, 6),
    "640221105000": (2, 7), "640221100000": (3, 7), "640221103000": (4, 7), "640221106000": (6, 7),
    "640221200000": (2, 8), "640221104000": (3, 8), "640221203000": (4, 8), "640221204000": (5, 8),
    "640221202000": (3, 9), "640221201000": (4, 9),
}
COLUMNS = 7


@dataclass(frozen=True)
class Card:
    """One headline indicator: the big figure, its numerator/denominator, its definition."""

    name: str
    value: str
    detail: str
    indicator: Indicator
    figure: str  # the full string of the report's headline row (what the exports print)

    @property
    def definition(self) -> str:
        i = self.indicator
        return f"分子：{i.numerator}；分母：{i.denominator}；日期口径：{i.date_basis}。{i.note}"


def _pct(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))}%"


def cards(d: Dashboard, headline: list[tuple[str, str, str]], enforcement: EnforcementFigures | None) -> list[Card]:
    shown = {name: figure for name, figure, _key in headline}
    t = d.totals

    def ratio(name: str, r: Ratio, key: str) -> Card:
        return Card(name, r.display, f"{r.numerator} / {r.denominator}", INDICATORS[key], shown[name])

    rate = "人口数据缺失" if t.rate is None else str(t.rate)
    out = [
        Card("万人成讼率", rate, f"一审民事立案 {t.registrations} 件", INDICATORS["litigation_rate"],
             shown["万人成讼率"]),
        ratio("诉前化解占比", d.pre_suit, "pre_suit"),
        ratio("司法确认率", d.confirmation, "confirmation"),
        ratio("自动履行率", d.voluntary_performance, "voluntary_performance"),
        Card("纠纷登记量（件）", str(t.disputes), f"非诉调解成功 {d.mediation.numerator} 件", INDICATORS["disputes"],
             shown["纠纷登记量（件）"]),
        Card("进入执行案件数（件）", str(d.enforcement), "申请强制执行的履行方案", INDICATORS["enforcement"],
             shown["进入执行案件数（件）"]),
    ]
    if enforcement is not None:
        recovery = _pct(enforcement.recovery_rate)
        completed = _pct(enforcement.completed_rate)
        out += [
            Card("执行到位率", recovery, f"到位 {enforcement.recovered} 元 / 申请 {enforcement.applied} 元",
                 INDICATORS["recovery_rate"], recovery),
            Card("执行完毕率", completed, f"已结 {enforcement.concluded} 件，执行立案 {enforcement.cases} 件",
                 INDICATORS["completed_rate"], completed),
        ]
    return out


def _townships(scope: Scope, filters: Filters) -> list[Region]:
    counties = [c for c in scope.counties if not filters.county or c.code == filters.county]
    if scope.township:
        return list(Region.objects.filter(code=scope.township))
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP, parent__in=counties).select_related("parent")
    return list(qs.order_by("code"))


def drill(scope: Scope, filters: Filters) -> dict[str, dict[str, Any]]:
    """Per township: counts, categories and the monthly series, for the breakdown shown on a tile click."""
    base = fact_rows(scope, filters).exclude(township="")
    labels = dict(DisputeCategory.choices)
    months = filters.months
    index = {m: i for i, m in enumerate(months)}
    out: dict[str, dict[str, Any]] = {}

    def entry(code: str) -> dict[str, Any]:
        return out.setdefault(code, {"disputes": 0, "registrations": 0, "settled": 0, "failed": 0,
                                     "categories": {}, "months": [0] * len(months),
                                     "registrations_months": [0] * len(months)})

    key = {RECORDED: "disputes", REGISTERED: "registrations", REFERRAL_SETTLED: "settled", REFERRAL_FAILED: "failed"}
    for row in base.values("township", "kind", "category", "month").annotate(total=Sum("n")).order_by():
        e = entry(row["township"])
        n = int(row["total"])
        kind = row["kind"]
        if kind not in key:
            continue
        e[key[kind]] += n
        if kind == RECORDED:
            label = str(labels.get(row["category"], row["category"]))
            e["categories"][label] = e["categories"].get(label, 0) + n
            if row["month"] in index:
                e["months"][index[row["month"]]] += n
        elif kind == REGISTERED and row["month"] in index:
            e["registrations_months"][index[row["month"]]] += n
    return out


def tile_map(scope: Scope, filters: Filters, found: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The tiles, the measure they are shaded by and the sentence that says which one (and why)."""
    townships = _townships(scope, filters)
    with_population = [t for t in townships if t.population]
    per_resident = bool(townships) and len(with_population) == len(townships)
    spare = iter(range(100))
    bottom = max((r for _c, r in TILES.values()), default=0) + 1
    tiles: list[dict[str, Any]] = []
    for t in townships:
        col, row = TILES.get(t.code) or divmod(next(spare), COLUMNS)[::-1]
        if t.code not in TILES:
            row += bottom
        f = found.get(t.code, {})
        disputes = int(f.get("disputes", 0))
        rate = per_10k(disputes, t.population)
        tiles.append({"code": t.code, "name": t.name, "county": t.parent.name if t.parent else "",
                      "x": col, "y": row, "disputes": disputes,
                      "registrations": int(f.get("registrations", 0)),
                      "value": float(rate) if per_resident and rate is not None else disputes,
                      "population": t.population, "population_source": t.population_source})
    # A county (or one township) in view: move its tiles to the top-left corner of the grid.
    left, top = min((tile["x"] for tile in tiles), default=0), min((tile["y"] for tile in tiles), default=0)
    for tile in tiles:
        tile["x"], tile["y"] = tile["x"] - left, tile["y"] - top
    if per_resident:
        measure = "每万名常住人口纠纷登记数"
        note = f"按每万名常住人口纠纷登记数着色（人口：{with_population[0].population_source}）。"
    else:
        measure = "纠纷登记数（件）"
        note = ("乡镇（街道）常住人口未在区划数据中登记（第七次全国人口普查公报只公布到县区），"
                "无法计算每万人纠纷数，方块按纠纷登记数着色；每万人指标见县（区）一栏。")
    ranked = sorted(tiles, key=lambda tile: -tile["disputes"])[:5]
    summary = ("；".join(f"{tile['name']}{tile['disputes']}件" for tile in ranked if tile["disputes"])
               or "期间内没有纠纷登记")
    return {"tiles": tiles, "measure": measure, "per_resident": per_resident, "note": note,
            "summary": f"乡镇（街道）示意图，{measure}最多的是：{summary}。",
            "rows": max((tile["y"] for tile in tiles), default=0) + 1,
            "columns": max((tile["x"] for tile in tiles), default=0) + 1}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def chart_data(d: Dashboard, tiles: dict[str, Any], found: dict[str, dict[str, Any]]) -> dict[str, Any]:
    names = {t["code"]: t for t in tiles["tiles"]}
    return {
        "months": [f"{r.month:%Y-%m}" for r in d.trend],
        "trend": {"labels": [r.label for r in d.trend], "disputes": [r.disputes for r in d.trend],
                  "last_year": [r.disputes_last_year for r in d.trend],
                  "registrations": [r.registrations for r in d.trend]},
        "channels": {"labels": [k for k, _ in d.channels], "values": [v for _, v in d.channels]},
        "categories": {"labels": [k for k, _ in d.categories], "values": [v for _, v in d.categories]},
        "counties": [{"code": c.code, "name": c.name, "disputes": c.disputes, "registrations": c.registrations,
                      "rate": _float(c.rate),
                      "per_10k": _float(per_10k(c.disputes, c.population))} for c in d.counties],
        "map": tiles,
        "townships": {code: {**v, "name": names.get(code, {}).get("name", code),
                             "county": names.get(code, {}).get("county", ""),
                             "mediation": Ratio(v["settled"], v["settled"] + v["failed"]).display}
                      for code, v in found.items()},
    }


def summaries(d: Dashboard) -> dict[str, str]:
    """One sentence per chart for its text alternative (the tables in 明细 carry every figure)."""
    peak = max(d.trend, key=lambda r: r.disputes, default=None)
    total = sum(r.disputes for r in d.trend)
    trend = (f"{d.filters.period_label}纠纷登记共{total}件，最多的月份是{peak.label}（{peak.disputes}件）"
             if peak and total else f"{d.filters.period_label}没有纠纷登记")
    top = [f"{k}{v}件" for k, v in d.categories if v][:3]
    channel = max(d.channels, key=lambda x: x[1], default=None)
    cats = f"纠纷类别前三：{'、'.join(top)}" if top else "期间内没有纠纷登记"
    if channel and channel[1]:
        cats += f"；来源渠道最多的是{channel[0]}（{channel[1]}件）"
    return {"trend_summary": trend, "category_summary": cats}
