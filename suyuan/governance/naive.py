"""The same event figures as ``selectors``, straight from the raw timeline (GROUP BY over events).

Used by the benchmark as the baseline it must agree with, and by the tests to prove that the fact
tables say exactly what the events say.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count

from .facts import COUNTY_AT, FIRST_STAGE, STAGE_PREFIX, counted_events
from .selectors import Filters, Scope, StageRow, stage_table


def events(scope: Scope, filters: Filters) -> Any:
    qs: Any = counted_events()  # filtered on its annotations, which the type stubs do not know
    qs = qs.filter(scope.q("f_court", "f_county", "f_township"),
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
    """Stays computed with LEAD() over the raw dispute-stage events, aggregated in one GROUP BY."""
    if scope.township:
        return stage_table({})  # as the fact path: durations are kept per county, not township
    pg = connection.vendor == "postgresql"
    if pg:
        to_state = "e.data->>'to'"
        seconds = "floor(extract(epoch from left_at))::bigint - floor(extract(epoch from entered_at))::bigint"
        month = f"date_trunc('month', left_at AT TIME ZONE '{settings.TIME_ZONE}')::date"
    else:
        to_state = "json_extract(e.data, '$.to')"
        seconds = "CAST(strftime('%%s', left_at) AS INTEGER) - CAST(strftime('%%s', entered_at) AS INTEGER)"
        month = "date(left_at, '+8 hours', 'start of month')"  # China Standard Time, no daylight saving
    where, params = ["left_at IS NOT NULL", f"{month} >= %s", f"{month} <= %s"], [
        filters.start.isoformat(), filters.end.isoformat()]
    if scope.court_ids is not None:
        where.append(f"court_id IN ({', '.join(str(int(i)) for i in scope.court_ids)})")
    for column, value in (("county", scope.county), ("county", filters.county),
                          ("category", filters.category), ("channel", filters.channel)):
        if value:
            where.append(f"{column} = %s")
            params.append(value)
    # Constants and integer ids are interpolated; every user-given value is a parameter.
    inner = f"""
        SELECT s.stage, s.entered_at, s.left_at, d.court_id, d.category, d.channel,
               substr(r.path, {COUNTY_AT}, 12) AS county
        FROM (SELECT e.dispute_id,
                     CASE WHEN e.kind = '{FIRST_STAGE}' THEN '{FIRST_STAGE}' ELSE COALESCE({to_state}, '') END AS stage,
                     e.at AS entered_at,
                     LEAD(e.at) OVER (PARTITION BY e.dispute_id ORDER BY e.seq) AS left_at
              FROM disputes_disputeevent e WHERE e.kind = '{FIRST_STAGE}' OR e.kind LIKE '{STAGE_PREFIX}%%') s
        JOIN disputes_dispute d ON d.id = s.dispute_id JOIN network_region r ON r.id = d.region_id
    """  # noqa: S608
    head = f"SELECT stage, ({seconds}) / 86400 AS days, count(*), sum({seconds})"
    sql = f"{head} FROM ({inner}) x WHERE {' AND '.join(where)} GROUP BY 1, 2"
    found: dict[str, tuple[int, int, dict[int, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for stage, whole_days, n, total in cursor.fetchall():
            count, seconds_total, histogram = found.get(stage, (0, 0, {}))
            histogram[int(whole_days)] = int(n)
            found[stage] = (count + int(n), seconds_total + int(total), histogram)
    return stage_table(found)
