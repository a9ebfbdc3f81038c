"""Governance dashboard at scale: fact tables against a naive GROUP BY over the raw timeline.

    .venv/bin/python bench/governance.py --events 10000000 [--port 55491] [--keep]

Starts a throwaway PostgreSQL cluster (scripts/pg.sh), migrates, loads the Shizuishan regions
and courts, then generates disputes and their timelines in SQL (generate_series; no ORM): every
dispute follows one of six paths through the lifecycle (mediated and performed, mediated and
defaulted into enforcement, failed mediation then suit with court-referred mediation settled or
returned to trial, judicial confirmation, follow-ups only), with jittered durations, spread over
2023-01..2026-10, across the 36 townships, 15 categories and 7 channels.

The fact tables are then built from the events (``facts.rebuild``, timed: it is what the event
sink keeps up to date row by row in production), and for several dashboard filters each figure
is computed twice in the same run — from the fact tables (the app's selectors) and with a naive
GROUP BY over the raw events (``suyuan.governance.naive``) — checked identical, and timed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from seed import events_per_dispute, insert_disputes, start_cluster, stop_cluster  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=55491)
    parser.add_argument("--dir", default="/tmp/suyuan-bench-governance-pg")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    command = " ".join([".venv/bin/python", "bench/governance.py", *sys.argv[1:]])

    start_cluster(args.dir, args.port)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{args.port}/postgres"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    try:
        run(args, command)
    finally:
        if not args.keep:
            stop_cluster(args.dir)


def run(args: argparse.Namespace, command: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from suyuan.accounts.choices import Role
    from suyuan.accounts.models import User
    from suyuan.common.choices import DisputeCategory
    from suyuan.disputes.choices import Channel
    from suyuan.governance import facts, naive, selectors
    from suyuan.governance.selectors import Filters
    from suyuan.network.choices import RegionLevel
    from suyuan.network.models import Organisation, Region
    from suyuan.network.reference import load_reference_data

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_reference_data()
    clerk = User.objects.create_user(username="bench", role=Role.CLERK)
    leader = User.objects.create_user(username="leader", role=Role.LEADER,
                                      organisation=Organisation.objects.get(court_code="宁02"))
    county_leader = User.objects.create_user(username="leader_dwk", role=Role.LEADER,
                                             organisation=Organisation.objects.get(court_code="宁0202"))
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code").values_list("pk", "code"))
    # Two grid workers per township (a grid worker serves grids of one township).
    grid_users = [User.objects.create_user(username=f"grid{i}", role=Role.GRID_WORKER).pk
                  for i in range(2 * len(townships))]
    courts = {o.region.code: o.pk for o in Organisation.objects.filter(kind="basic_court").select_related("region")}
    court_of = [courts[code[:6] + "000000"] for _pk, code in townships]
    per_dispute = events_per_dispute()
    n_disputes = int(args.events / per_dispute)
    print(f"setup {time.perf_counter() - t0:.1f}s; generating {n_disputes:,} disputes (~{args.events:,} events)")

    categories = DisputeCategory.values
    channels = Channel.values
    n_events = insert_disputes(connection, n_disputes=n_disputes, clerk_id=clerk.pk, townships=townships,
                               court_of=court_of, grid_users=grid_users, categories=categories, channels=channels)

    t = time.perf_counter()
    sizes = facts.rebuild()
    with connection.cursor() as c:
        c.execute("ANALYZE governance_eventcount")
        c.execute("ANALYZE governance_stagespell")
        c.execute("ANALYZE governance_stagedays")
    build = time.perf_counter() - t
    print(f"fact tables rebuilt from the events in {build:.1f}s: {sizes}")

    year = Filters(date(2025, 1, 1), date(2025, 12, 1))
    cases = [
        ("city leader, 2025", leader, year),
        ("city leader, 2025, county 大武口", leader, Filters(year.start, year.end, county="640202000000")),
        ("city leader, 2025 Q1, debt via grid worker", leader,
         Filters(date(2025, 1, 1), date(2025, 3, 1), category="debt", channel="grid_worker")),
        ("court leader 大武口, 2024-2026", county_leader, Filters(date(2024, 1, 1), date(2026, 10, 1))),
    ]

    def figures(source: str, scope: selectors.Scope, f: Filters) -> dict[str, object]:
        trend = Filters(selectors.add_months(f.start, -12), f.end, f.county, f.category, f.channel)
        keysets = {"places": ("kind", "source", "county", "township"), "channels": ("kind", "channel"),
                   "categories": ("kind", "category"), "township_category": ("kind", "township", "category"),
                   "grid": ("kind", "grid_worker_id")}
        out: dict[str, object] = {}
        for name, keys in keysets.items():
            if source == "facts":
                qs = selectors.facts(scope, f)
                if name == "grid":
                    qs = qs.exclude(grid_worker_id=0)
                out[name] = selectors._by(qs, *keys)
            else:
                cells = naive.cells(scope, f, *keys)
                out[name] = {k: v for k, v in cells.items() if name != "grid" or k[1] != 0}
        out["trend"] = (selectors._by(selectors.facts(scope, trend), "month", "kind") if source == "facts"
                        else naive.cells(scope, trend, "month", "kind"))
        out["stages"] = (selectors.stage_rows(selectors._filtered(selectors.StageDays.objects.all(), scope, f,
                                                                  township=False))
                         if source == "facts" else naive.stage_rows(scope, f))
        return out

    def timed(fn):  # type: ignore[no-untyped-def]  # best of --repeat runs
        best, result = float("inf"), None
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - t)
        return best, result

    print()
    print(f"{'case':45s} {'facts (s)':>10s} {'dashboard (s)':>14s} {'naive (s)':>10s} {'ratio':>8s}  identical")
    for label, user, f in cases:
        scope = selectors.leader_scope(user)
        fast, a = timed(lambda scope=scope, f=f: figures("facts", scope, f))
        whole, d = timed(lambda user=user, f=f: selectors.dashboard(user, f))
        t = time.perf_counter()  # the naive path once: it takes seconds to minutes
        b = figures("naive", scope, f)
        slow = time.perf_counter() - t
        same = a == b
        print(f"{label:45s} {fast:10.3f} {whole:14.3f} {slow:10.3f} {slow / fast:7.1f}x  {same}")
        if not same:
            for key in a:
                if a[key] != b[key]:
                    print("   differs:", key)
        assert d is not None
    print()
    print(f"events: {n_events:,}; disputes: {n_disputes:,}; fact rows: {sizes}; rebuild: {build:.1f}s")
    print(f"command: {command}")


if __name__ == "__main__":
    main()
