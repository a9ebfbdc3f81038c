"""Keeping the governance fact tables (``EventCount``, ``StageSpell``) in step with the timeline.

Two ways in, with the same result (tests/test_facts.py checks both against each other):

* ``record_event`` — an event sink: runs inside the transaction that appends the event, so the
  counts never drift from the timeline (they commit or roll back together);
* ``rebuild`` — recomputes both tables from the raw events with INSERT … SELECT, for bulk loads
  that bypass the sink (the demo seed, the benchmark) and for repair (``manage.py governance_facts``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, Count, DateField, F, IntegerField, QuerySet, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.common.bulk_rows import copy_values
from suyuan.disputes.choices import EventKind
from suyuan.disputes.models import Dispute, DisputeEvent

from .models import EventCount, StageDays, StageSpell

# The event kinds the indicators count (indicators.py says which indicator uses which).
COUNTED_KINDS = (
    EventKind.RECORDED.value,
    EventKind.FOLLOW_UP.value,
    "case.register",
    "case.settle",
    "case.return_to_trial",
    "referral.settle",
    "referral.fail",
    "confirmation.confirm",
    "confirmation.reject",
    "confirmation.refuse",
    "performance.mark_performed",
    "performance.apply_enforcement",
)
# Only these are shown per township (heat table); the others are kept per county, which keeps the
# table an order of magnitude smaller (bench/governance.py).
TOWNSHIP_KINDS = (EventKind.RECORDED.value, "case.register", "referral.settle", "referral.fail")
STAGE_PREFIX = "dispute."  # the dispute lifecycle's events move a dispute from stage to stage
FIRST_STAGE = "recorded"

# Region codes are 12 digits and ``Region.path`` joins them from the city down with "/":
# "640200000000/640202000000/640202001000/…" — the county starts at 14, the township at 27.
COUNTY_AT, TOWNSHIP_AT, CODE_LEN = 14, 27, 12


def local_month(at: datetime) -> date:
    return timezone.localtime(at).date().replace(day=1)


def _dims(dispute: Dispute) -> dict[str, Any]:
    path = dispute.region.path
    return {
        "county": path[COUNTY_AT - 1:COUNTY_AT - 1 + CODE_LEN],
        "township": path[TOWNSHIP_AT - 1:TOWNSHIP_AT - 1 + CODE_LEN],
        "court_id": dispute.court_id,
        "category": dispute.category,
        "channel": dispute.channel,
    }


_UPSERT = (
    "INSERT INTO governance_eventcount (month, kind, source, county, township, court_id, category, channel,"
    " grid_worker_id, n) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 1)"
    " ON CONFLICT (month, kind, source, county, township, court_id, category, channel, grid_worker_id)"
    " DO UPDATE SET n = governance_eventcount.n + 1"
)


def record_event(event: DisputeEvent) -> None:
    """The event sink. Cheap for the kinds the dashboard ignores (one membership test)."""
    is_stage = event.kind == FIRST_STAGE or event.kind.startswith(STAGE_PREFIX)
    if event.kind not in COUNTED_KINDS and not is_stage:
        return
    dims = _dims(_dispute_of(event))
    if event.kind in COUNTED_KINDS:
        grid_worker = event.actor_id if event.actor_role == Role.GRID_WORKER and event.actor_id else 0
        # INSERT … ON CONFLICT is understood by PostgreSQL and SQLite (3.24+) alike; two writers
        # on the same cell serialise on the row instead of losing an increment.
        township = dims["township"] if event.kind in TOWNSHIP_KINDS else ""
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [
                local_month(event.at).isoformat(), event.kind, str(event.data.get("from", "")), dims["county"],
                township, dims["court_id"], dims["category"], dims["channel"], grid_worker,
            ])
    if is_stage:
        _move_stage(event, dims)


_UPSERT_MANY = (
    "INSERT INTO governance_eventcount (month, kind, source, county, township, court_id, category, channel,"
    " grid_worker_id, n) VALUES ()"
    " ON CONFLICT (month, kind, source, county, township, court_id, category, channel, grid_worker_id)"
    " DO UPDATE SET n = governance_eventcount.n + EXCLUDED.n"
)
_CELLS_PER_UPSERT = 500  # 5,000 parameters: well within SQLite's limit


def _upsert_many(cells: int) -> str:
    """One INSERT of ``cells`` rows (each cell once: ON CONFLICT may not meet a row twice in one
    statement), which adds to the counts already there: one statement and round trip, not one
    per cell (``executemany``)."""
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * cells)
    return _UPSERT_MANY.replace("VALUES ()", f"VALUES {values}")


def record_events(events: list[DisputeEvent]) -> None:
    """The sink's bulk form (a batch import's chunk): the same counts and spells as ``record_event``
    on each event in turn, with one upsert of all the cells and one INSERT of the first spells. Events
    that move a dispute on from an open spell need that spell read, so a list holding any of them
    goes one by one, in order."""
    if any(_moves_on(event) for event in events):
        for event in events:
            record_event(event)
        return
    cells: dict[tuple[Any, ...], int] = {}
    spells: list[dict[str, Any]] = []
    tz = timezone.get_current_timezone()
    # A chunk's disputes share a few places, courts, categories and channels: their dimensions
    # are worked out once per combination (``_dims`` of a dispute depends on nothing else).
    dims_of: dict[tuple[Any, ...], dict[str, Any]] = {}
    for event in events:
        is_stage = event.kind == FIRST_STAGE
        if event.kind not in COUNTED_KINDS and not is_stage:
            continue
        dispute = _dispute_of(event)
        combination = (dispute.region_id, dispute.court_id, dispute.category, dispute.channel)
        dims = dims_of.get(combination)
        if dims is None:
            dims = dims_of[combination] = _dims(dispute)
        if event.kind in COUNTED_KINDS:
            grid_worker = event.actor_id if event.actor_role == Role.GRID_WORKER and event.actor_id else 0
            township = dims["township"] if event.kind in TOWNSHIP_KINDS else ""
            month = event.at.astimezone(tz).date().replace(day=1)  # local_month, the zone looked up once
            cell = (month.isoformat(), event.kind, str(event.data.get("from", "")), dims["county"],
                    township, dims["court_id"], dims["category"], dims["channel"], grid_worker)
            cells[cell] = cells.get(cell, 0) + 1
        if is_stage:
            spells.append({"dispute_id": event.dispute_id, "stage": FIRST_STAGE, "entered_at": event.at, **dims})
    if cells:
        with connection.cursor() as cursor:
            counted = list(cells.items())
            for start in range(0, len(counted), _CELLS_PER_UPSERT):
                part = counted[start:start + _CELLS_PER_UPSERT]
                cursor.execute(_upsert_many(len(part)), [value for cell, n in part for value in (*cell, n)])
    copy_values(StageSpell, spells)  # COPY on PostgreSQL, no model instance per spell


def _moves_on(event: DisputeEvent) -> bool:
    """Whether the event closes an open spell (any stage event but a dispute's first)."""
    if event.kind == FIRST_STAGE:
        return event.seq != 1
    return event.kind.startswith(STAGE_PREFIX)


def _dispute_of(event: DisputeEvent) -> Dispute:
    """The dispute as stored. The intake writes a dispute's first event (``recorded``, seq 1) with
    the dispute it has just created, region loaded: that one is used as it is, not read back."""
    if event.seq == 1 and event.kind == FIRST_STAGE and DisputeEvent.dispute.is_cached(event):
        dispute = event.dispute
        if Dispute.region.is_cached(dispute):
            return dispute
    return Dispute.objects.select_related("region").get(pk=event.dispute_id)


def _seconds(start: datetime, end: datetime) -> int:
    # Whole seconds between the two instants, each truncated to the second first: the same
    # figure the SQL rebuild computes from epoch seconds on either database.
    return int(end.timestamp()) - int(start.timestamp())


_DAYS_UPSERT = (
    "INSERT INTO governance_stagedays (month, stage, county, court_id, category, channel, days, n, seconds)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, 1, %s)"
    " ON CONFLICT (month, stage, county, court_id, category, channel, days)"
    " DO UPDATE SET n = governance_stagedays.n + 1, seconds = governance_stagedays.seconds + EXCLUDED.seconds"
)


def _move_stage(event: DisputeEvent, dims: dict[str, Any]) -> None:
    # Spells come from events only: before a dispute's first event there is none to close.
    open_spell = (
        None if event.seq == 1 else StageSpell.objects.filter(dispute_id=event.dispute_id, left_at__isnull=True).first()
    )
    if open_spell is not None:
        open_spell.left_at = event.at
        open_spell.seconds = _seconds(open_spell.entered_at, event.at)
        open_spell.month = local_month(event.at)
        open_spell.save(update_fields=["left_at", "seconds", "month"])
        with connection.cursor() as cursor:
            cursor.execute(_DAYS_UPSERT, [
                open_spell.month.isoformat(), open_spell.stage, open_spell.county, open_spell.court_id,
                open_spell.category, open_spell.channel, open_spell.seconds // 86400, open_spell.seconds,
            ])
    stage = FIRST_STAGE if event.kind == FIRST_STAGE else str(event.data.get("to", ""))
    StageSpell.objects.create(dispute_id=event.dispute_id, stage=stage, entered_at=event.at, **dims)


# --- rebuild ---------------------------------------------------------------------------------

def counted_events() -> QuerySet[DisputeEvent]:
    """The raw events grouped into EventCount cells (also the benchmark's naive baseline)."""
    return (
        DisputeEvent.objects.filter(kind__in=COUNTED_KINDS)
        .annotate(
            f_month=TruncMonth("at", output_field=DateField()),
            f_kind=F("kind"),
            f_source=Coalesce(KT("data__from"), Value(""), output_field=CharField()),
            f_county=Substr("dispute__region__path", COUNTY_AT, CODE_LEN),
            f_township=Case(When(kind__in=TOWNSHIP_KINDS, then=Substr("dispute__region__path", TOWNSHIP_AT, CODE_LEN)),
                            default=Value(""), output_field=CharField()),
            f_court=F("dispute__court_id"),
            f_category=F("dispute__category"),
            f_channel=F("dispute__channel"),
            f_grid=Case(When(actor_role=Role.GRID_WORKER, actor__isnull=False, then=F("actor_id")),
                        default=Value(0), output_field=IntegerField()),
        )
    )


CELL = ("f_month", "f_kind", "f_source", "f_county", "f_township", "f_court", "f_category", "f_channel", "f_grid")


def _spells_sql(vendor: str) -> str:
    tz = settings.TIME_ZONE
    if vendor == "postgresql":
        seconds = "floor(extract(epoch from s.left_at))::bigint - floor(extract(epoch from s.entered_at))::bigint"
        month = f"date_trunc('month', s.left_at AT TIME ZONE '{tz}')::date"
        county = f"substr(r.path, {COUNTY_AT}, {CODE_LEN})"
        township = f"substr(r.path, {TOWNSHIP_AT}, {CODE_LEN})"
        to_state = "e.data->>'to'"
    else:
        offset = int(datetime.now(ZoneInfo(tz)).utcoffset().total_seconds() // 3600)  # type: ignore[union-attr]
        seconds = "CAST(strftime('%s', s.left_at) AS INTEGER) - CAST(strftime('%s', s.entered_at) AS INTEGER)"
        month = f"date(s.left_at, '{offset:+d} hours', 'start of month')"
        county = f"substr(r.path, {COUNTY_AT}, {CODE_LEN})"
        township = f"substr(r.path, {TOWNSHIP_AT}, {CODE_LEN})"
        to_state = "json_extract(e.data, '$.to')"
    # Only constants of this module are interpolated; nothing comes from users.
    return f"""
        INSERT INTO governance_stagespell (dispute_id, stage, entered_at, left_at, seconds, month,
                                           county, township, court_id, category, channel)
        SELECT s.dispute_id, s.stage, s.entered_at, s.left_at,
               CASE WHEN s.left_at IS NULL THEN NULL ELSE {seconds} END,
               CASE WHEN s.left_at IS NULL THEN NULL ELSE {month} END,
               {county}, {township}, d.court_id, d.category, d.channel
        FROM (
            SELECT e.dispute_id,
                   CASE WHEN e.kind = '{FIRST_STAGE}' THEN '{FIRST_STAGE}' ELSE COALESCE({to_state}, '') END AS stage,
                   e.at AS entered_at,
                   LEAD(e.at) OVER (PARTITION BY e.dispute_id ORDER BY e.seq) AS left_at
            FROM disputes_disputeevent e
            WHERE e.kind = '{FIRST_STAGE}' OR e.kind LIKE '{STAGE_PREFIX}%'
        ) s
        JOIN disputes_dispute d ON d.id = s.dispute_id
        JOIN network_region r ON r.id = d.region_id
    """  # noqa: S608


_DAYS_SQL = """
    INSERT INTO governance_stagedays (month, stage, county, court_id, category, channel, days, n, seconds)
    SELECT month, stage, county, court_id, category, channel, seconds / 86400, count(*), sum(seconds)
    FROM governance_stagespell WHERE left_at IS NOT NULL
    GROUP BY month, stage, county, court_id, category, channel, seconds / 86400
    ORDER BY month
"""


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Empty and recompute the fact tables from the timeline; returns their row counts.

    Rows go in month order, so that PostgreSQL's BRIN index on month prunes a period's pages.
    """
    EventCount.objects.all().delete()
    StageDays.objects.all().delete()
    StageSpell.objects.all().delete()
    cells = counted_events().values(*CELL).annotate(f_n=Count("id")).order_by("f_month")
    select_sql, params = cells.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO governance_eventcount (month, kind, source, county, township, court_id, category, channel,"
            f" grid_worker_id, n) {select_sql}",
            params,
        )
        cursor.execute(_spells_sql(connection.vendor))
        cursor.execute(_DAYS_SQL)
    return {"event_counts": EventCount.objects.count(), "stage_spells": StageSpell.objects.count(),
            "stage_days": StageDays.objects.count()}
