"""The same event figures as ``selectors``, straight from the raw timeline (GROUP BY over events).

Used by the benchmark as the baseline it must agree with, and by the tests to prove that the fact
tables say exactly what the events say.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import connection
from django.db.models import Count

from .facts import COUNTY_AT, FIRST_STAGE, STAGE_PREFIX, TOWNSHIP_AT, counted_events
from .selectors import STAGES, Filters, Scope, StageRow, days


def events(scope: Scope, filters: Filters) -> Any:
    qs = counted_events().filter(scope.q("f_court", "f_county", "f_township"),
                                 f_month__gte=filters.start, f_month__lte=filters.end)
    if filters.county:
        qs = qs.filter(f_county=filters.county)
    if filters.category:
        qs = qs.filter(f_category=filters.category)
    if filters.channel:
        qs = qs.filter(f_channel=filters.channel)
    return qs


def cells(scope: Scope, filters: Filters, *keys: str) -> dict[tuple[Any, ...], int]:
    """Like ``selectors._by`` over EventCount: keys are fact column names."""
    names = {"kind": "f_kind", "source": "f_source", "county": "f_county", "township": "f_township",
             "month": "f_month", "category": "f_category", "channel": "f_channel", "grid_worker_id": "f_grid"}
    cols = [names[k] for k in keys]
    rows = events(scope, filters).values(*cols).annotate(total=Count("id")).order_by()
    return {tuple(r[c] for c in cols): int(r["total"]) for r in rows}


def stage_rows(scope: Scope, filters: Filters) -> list[StageRow]:
    """Stays computed with LEAD() over the raw dispute-stage events, then aggregated in SQL."""
    pg = connection.vendor == "postgresql"
    to_state = "e.data->>'to'" if pg else "json_extract(e.data, '$.to')"
    if pg:
        seconds = "floor(extract(epoch from left_at))::bigint - floor(extract(epoch from entered_at))::bigint"
        month = "date_trunc('month', left_at AT TIME ZONE %s)::date"
        month_params: list[Any] = [_tz()]
    else:
        seconds = "CAST(strftime('%%s', left_at) AS INTEGER) - CAST(strftime('%%s', entered_at) AS INTEGER)"
        month = "date(left_at, '+8 hours', 'start of month')"
        month_params = []
    where, params = ["left_at IS NOT NULL", f"{month} >= %s", f"{month} <= %s"], [
        *month_params, filters.start.isoformat(), *month_params, filters.end.isoformat()]
    if scope.court_ids is not None:
        where.append(f"court_id IN ({', '.join(str(int(i)) for i in scope.court_ids)})")
    for column, value in (("county", scope.county or filters.county), ("township", scope.township),
                          ("category", filters.category), ("channel", filters.channel)):
        if value:
            where.append(f"{column} = %s")
            params.append(value)
    if scope.county and filters.county and filters.county != scope.county:
        where.append("1 = 0")
    # Constants and integer ids are interpolated; every user-given value is a parameter.
    inner = f"""
        SELECT s.stage, s.entered_at, s.left_at, d.court_id, d.category, d.channel,
               substr(r.path, {COUNTY_AT}, 12) AS county, substr(r.path, {TOWNSHIP_AT}, 12) AS township
        FROM (SELECT e.dispute_id,
                     CASE WHEN e.kind = '{FIRST_STAGE}' THEN '{FIRST_STAGE}' ELSE COALESCE({to_state}, '') END AS stage,
                     e.at AS entered_at,
                     LEAD(e.at) OVER (PARTITION BY e.dispute_id ORDER BY e.seq) AS left_at
              FROM disputes_disputeevent e WHERE e.kind = '{FIRST_STAGE}' OR e.kind LIKE '{STAGE_PREFIX}%%') s
        JOIN disputes_dispute d ON d.id = s.dispute_id JOIN network_region r ON r.id = d.region_id
    """  # noqa: S608
    with connection.cursor() as cursor:
        if pg:
            head = f"SELECT stage, count(*), sum({seconds}), percentile_disc(0.9) WITHIN GROUP (ORDER BY {seconds})"
            sql = f"{head} FROM ({inner}) x WHERE {' AND '.join(where)} GROUP BY stage"
            cursor.execute(sql, params)
            found = {stage: (n, total, p90) for stage, n, total, p90 in cursor.fetchall()}
        else:
            sql = f"SELECT stage, {seconds} FROM ({inner}) x WHERE {' AND '.join(where)}"  # noqa: S608
            cursor.execute(sql, params)
            values: dict[str, list[int]] = {}
            for stage, sec in cursor.fetchall():
                values.setdefault(stage, []).append(int(sec))
            found = {s: (len(v), sum(v), sorted(v)[math.ceil(0.9 * len(v)) - 1]) for s, v in values.items()}
    from decimal import Decimal

    from suyuan.disputes.choices import DisputeStatus

    labels = dict(DisputeStatus.choices)
    out = []
    for stage in STAGES:
        n, total, p90 = found.get(stage, (0, None, None))
        out.append(StageRow(stage, str(labels[stage]), n, days(Decimal(total) / n) if n else None, days(p90)))
    return out


def _tz() -> str:
    from django.conf import settings

    return settings.TIME_ZONE
