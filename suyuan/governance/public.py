"""Public statistics for the whole city (openness, seed item 12): aggregates only, no sign-in.

Only city-wide and county-level counts from the fact table are published — no names, no dispute
numbers, no township, organisation or person-level rows. Small cells are suppressed: a count of
1–4 is shown as "<5", and where one cell of a breakdown is suppressed the next-smallest one is
suppressed too, so that it cannot be recovered from the published total (secondary suppression).
A ratio is shown only when its denominator and both of its parts are 0 or at least 5. The figures
are cached (``PUBLIC_CACHE_SECONDS``): the page does two grouped queries at most every few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Sum

from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import InvalidInput
from suyuan.common.replica import source_note
from suyuan.disputes.choices import Channel
from suyuan.network.choices import RegionLevel
from suyuan.network.models import Region

from .models import EventCount
from .selectors import (
    CONFIRMATION_DECIDED,
    CONFIRMED,
    ENFORCEMENT_APPLIED,
    PERFORMED,
    RECORDED,
    REFERRAL_FAILED,
    REFERRAL_SETTLED,
    REGISTERED,
    Ratio,
    add_months,
    per_10k,
)

THRESHOLD = 5  # counts below this (and above 0) are not published
SUPPRESSED = "<5"
PUBLIC_CACHE_SECONDS = 600
FIRST_YEAR = 2000
KINDS = [RECORDED, REGISTERED, REFERRAL_SETTLED, REFERRAL_FAILED, CONFIRMED, *CONFIRMATION_DECIDED, PERFORMED,
         ENFORCEMENT_APPLIED]


def small(n: int) -> bool:
    return 0 < n < THRESHOLD


def suppress(values: list[int]) -> list[int | str]:
    """Publishable cells of one breakdown whose total is published: "<5" for 1–4, plus one more if only one."""
    out: list[int | str] = [SUPPRESSED if small(v) else v for v in values]
    hidden = [i for i, v in enumerate(values) if small(v)]
    if len(hidden) == 1:
        others = sorted((v, i) for i, v in enumerate(values) if v >= THRESHOLD)
        if others:
            out[others[0][1]] = SUPPRESSED
    return out


def count(n: int) -> int | str:
    return SUPPRESSED if small(n) else n


def ratio(r: Ratio) -> str:
    parts = (r.denominator, r.numerator, r.denominator - r.numerator)
    if r.denominator < THRESHOLD or any(small(p) for p in parts):
        return "样本不足，不公布"
    return r.display


@dataclass(frozen=True)
class PublicStatistics:
    year: int
    months: int  # months of the year counted (to the current month for this year)
    city: str
    population: int | None
    population_source: str
    headline: list[tuple[str, str, str]]  # (name, figure, how it is computed)
    counties: list[tuple[str, int | str, int | str, str]]  # name, disputes, registrations, rate per 10k
    categories: list[tuple[str, int | str]]
    channels: list[tuple[str, int | str]]
    trend: list[tuple[str, int | str]]
    source_note: str = ""  # the lag sentence when read on the replica (decision 0013)


def parse_year(raw: str | None, *, today: date) -> int:
    if not raw:
        return today.year
    if not raw.strip().isdigit() or not FIRST_YEAR <= int(raw) <= today.year:
        raise InvalidInput(f"请选择{FIRST_YEAR}年至{today.year}年之间的年份。", errors={"year": ["年份无效。"]})
    return int(raw)


def _compute(year: int, today: date) -> PublicStatistics:
    start = date(year, 1, 1)
    last = date(year, 12, 1) if year < today.year else date(today.year, today.month, 1)
    rows = (EventCount.objects.filter(month__gte=start, month__lte=last, kind__in=KINDS)
            .values("kind", "county", "category", "channel", "month").annotate(total=Sum("n")).order_by())
    cells: dict[tuple[str, str, Any], int] = {}

    def add(key: tuple[str, str, Any], n: int) -> None:
        cells[key] = cells.get(key, 0) + n

    for r in rows:
        n = int(r["total"])
        add((r["kind"], "", ""), n)
        add((r["kind"], "county", r["county"]), n)
        if r["kind"] == RECORDED:
            add((RECORDED, "category", r["category"]), n)
            add((RECORDED, "channel", r["channel"]), n)
            add((RECORDED, "month", r["month"]), n)

    def total(*kinds: str, **by: Any) -> int:
        (field, value), = by.items() if by else (("", ""),)
        return sum(cells.get((k, field, value), 0) for k in kinds)

    city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    disputes, registrations = total(RECORDED), total(REGISTERED)
    settled = total(REFERRAL_SETTLED)
    population = city.population if city else None
    rate = per_10k(registrations, population)
    headline = [
        ("纠纷登记量（件）", str(count(disputes)), "全年（或年初至本月）登记的纠纷数"),
        ("一审民事立案（件）", str(count(registrations)), "登记立案的一审民事案件数"),
        ("万人成讼率", "人口数据缺失" if rate is None else ("不公布" if small(registrations) else str(rate)),
         "一审民事立案数 ÷ 常住人口（万人），未年化"),
        ("诉前化解占比", ratio(Ratio(settled, settled + registrations)),
         "非诉调解成功数 ÷（非诉调解成功数 + 一审民事立案数）"),
        ("非诉调解成功率", ratio(Ratio(settled, total(REFERRAL_SETTLED, REFERRAL_FAILED))),
         "调解成功的调解委派 ÷ 以成功或不成结束的调解委派"),
        ("司法确认率", ratio(Ratio(total(CONFIRMED), total(*CONFIRMATION_DECIDED))),
         "裁定确认有效的申请 ÷ 已作出裁定的司法确认申请"),
        ("自动履行率", ratio(Ratio(total(PERFORMED), total(PERFORMED, ENFORCEMENT_APPLIED))),
         "履行完毕的履行方案 ÷（履行完毕 + 申请强制执行）"),
    ]
    c_disputes = suppress([total(RECORDED, county=c.code) for c in counties])
    c_regs = suppress([total(REGISTERED, county=c.code) for c in counties])
    county_rows = []
    for c, nd, nr in zip(counties, c_disputes, c_regs, strict=True):
        rate = per_10k(total(REGISTERED, county=c.code), c.population)
        shown = "人口数据缺失" if rate is None else ("不公布" if nr == SUPPRESSED else str(rate))
        county_rows.append((c.name, nd, nr, shown))
    cat_values = suppress([total(RECORDED, category=v) for v in DisputeCategory.values])
    categories = sorted(zip([str(label) for label in DisputeCategory.labels], cat_values, strict=True),
                        key=lambda x: -(x[1] if isinstance(x[1], int) else 0))
    channels = list(zip([str(label) for label in Channel.labels],
                        suppress([total(RECORDED, channel=v) for v in Channel.values]), strict=True))
    months, m = [], start
    while m <= last:
        months.append(m)
        m = add_months(m, 1)
    trend = list(zip([f"{m.month}月" for m in months], suppress([total(RECORDED, month=m) for m in months]),
                     strict=True))
    return PublicStatistics(year=year, months=len(months), city=city.name if city else "", population=population,
                            population_source=city.population_source if city else "", headline=headline,
                            counties=county_rows, categories=categories, channels=channels, trend=trend,
                            source_note=source_note())


def statistics(year: int, *, today: date) -> PublicStatistics:
    """The year's public figures, from the cache when fresh (the key includes today's date)."""
    key = f"governance:public-statistics:v1:{year}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = _compute(year, today)
        cache.set(key, found, PUBLIC_CACHE_SECONDS)
    return found

