"""Seeding PostgreSQL for the benches and drills: disputes and their timelines in SQL.

Shared by bench/governance.py, bench/web.py and scripts/drill_backup.py. Every dispute follows one
of six paths through the lifecycle (mediated and performed, mediated and defaulted into
enforcement, failed mediation then suit with court-referred mediation settled or returned to
trial, judicial confirmation, follow-ups only), with jittered durations, spread over
2023-01..2026-10, across the townships, categories and channels given. generate_series, no ORM.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Six paths: (kind, hours after the previous step at jitter 1, from, to). "recorded" comes first.
PATHS: list[list[tuple[str, float, str, str]]] = [
    [("dispute.refer_to_mediation", 20, "recorded", "in_mediation"),
     ("referral.settle", 200, "in_session", "settled"),
     ("dispute.settle", 0, "in_mediation", "settled"), ("dispute.perform_voluntarily", 30, "settled", "performing"),
     ("performance.mark_performed", 500, "performing", "performed"),
     ("dispute.confirm_performance", 0, "performing", "performed")],
    [("dispute.refer_to_mediation", 30, "recorded", "in_mediation"), ("referral.settle", 300, "in_session", "settled"),
     ("dispute.settle", 0, "in_mediation", "settled"), ("dispute.perform_voluntarily", 40, "settled", "performing"),
     ("performance.apply_enforcement", 900, "defaulted", "enforcement_applied"),
     ("dispute.apply_enforcement", 0, "performing", "in_enforcement")],
    [("dispute.refer_to_mediation", 25, "recorded", "in_mediation"), ("referral.fail", 250, "in_session", "failed"),
     ("dispute.fail_mediation", 0, "in_mediation", "mediation_failed"),
     ("dispute.file_suit", 100, "mediation_failed", "in_litigation"), ("case.register", 70, "filed", "registered"),
     ("case.settle", 300, "in_court_mediation", "closed_by_settlement"),
     ("dispute.settle_in_court", 0, "in_litigation", "performing")],
    [("dispute.file_suit", 50, "recorded", "in_litigation"), ("case.register", 80, "filed", "registered"),
     ("case.return_to_trial", 360, "in_court_mediation", "in_trial"),
     ("dispute.judge", 1200, "in_litigation", "performing"),
     ("performance.mark_performed", 600, "performing", "performed")],
    [("dispute.refer_to_mediation", 15, "recorded", "in_mediation"), ("referral.settle", 150, "in_session", "settled"),
     ("dispute.settle", 0, "in_mediation", "settled"),
     ("dispute.apply_confirmation", 100, "settled", "in_confirmation"),
     ("confirmation.confirm", 300, "accepted", "confirmed"), ("dispute.confirm", 0, "in_confirmation", "performing")],
    [("follow_up", 48, "", ""), ("follow_up", 200, "", ""), ("follow_up", 300, "", "")],
]




def sh(*args: str) -> None:
    subprocess.run(args, check=True)


def start_cluster(folder: str, port: int) -> None:
    """A fresh throwaway cluster (scripts/pg.sh), replacing whatever was in ``folder``."""
    sh(str(ROOT / "scripts/pg.sh"), "stop", folder)
    sh(str(ROOT / "scripts/pg.sh"), "start", folder, str(port))


def stop_cluster(folder: str) -> None:
    sh(str(ROOT / "scripts/pg.sh"), "stop", folder)


def events_per_dispute() -> float:
    return sum(1 + len(p) for p in PATHS) / len(PATHS)


def insert_disputes(connection: Any, *, n_disputes: int, clerk_id: int, townships: list[tuple[int, str]],
                    court_of: list[int], grid_users: list[int], categories: list[str],
                    channels: list[str]) -> int:
    """Insert ``n_disputes`` disputes (numbers ``B-1`` …) and their timelines; returns the events."""
    clerk_pk = clerk_id
    with connection.cursor() as c:
        t = time.perf_counter()
        c.execute("SET synchronous_commit = off")
        c.execute(f"""
            INSERT INTO disputes_dispute (number, summary, category, description, channel, recorded_by_id,
                authority_kind, authority_note, region_id, court_id, status, source_ref, version, created_at,
                updated_at)
            SELECT 'B-' || g, '生成纠纷', (%s::text[])[1 + (g * 7) %% {len(categories)}], '',
                   (%s::text[])[1 + (g * 13) %% {len(channels)}], %s, 'written', '',
                   (%s::int[])[1 + (g * 31 + g / 97) %% {len(townships)}],
                   (%s::int[])[1 + (g * 31 + g / 97) %% {len(townships)}], 'recorded', '', 1,
                   timestamptz '2023-01-01 00:00+08' + ((g::bigint * 7919) %% (1400 * 86400)) * interval '1 second',
                   now()
            FROM generate_series(1, %s) g
        """, [categories, channels, clerk_pk, [pk for pk, _ in townships], court_of, n_disputes])
        print(f"disputes inserted {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        c.execute("CREATE TEMP TABLE tmpl (path int, seq int, kind text, hours float, src text, dst text)")
        rows = []
        for p, steps in enumerate(PATHS):
            elapsed = 0.0
            for i, (kind, hours, src, dst) in enumerate(steps, start=2):
                elapsed += hours
                rows.append((p, i, kind, elapsed, src, dst))
        c.executemany("INSERT INTO tmpl VALUES (%s, %s, %s, %s, %s, %s)", rows)
        township_index = f"((d.id * 31 + d.id / 97) %% {len(townships)})"
        grid_case = f"(%s::int[])[1 + 2 * {township_index} + d.id %% 2]"
        c.execute(f"""
            INSERT INTO disputes_disputeevent (dispute_id, seq, kind, title, at, actor_id, actor_label, actor_role,
                actor_organisation, via, ip, summary, data)
            SELECT d.id, 1, 'recorded', '', d.created_at,
                   CASE WHEN d.channel = 'grid_worker' THEN {grid_case} ELSE NULL END, '',
                   CASE WHEN d.channel = 'grid_worker' THEN 'grid_worker' ELSE '' END, '', 'bench', '', '',
                   '{{}}'::jsonb
            FROM disputes_dispute d
            UNION ALL
            SELECT d.id, t.seq, t.kind, '',
                   d.created_at + t.hours * (0.5 + ((d.id * 37) %% 100) / 50.0) * interval '1 hour',
                   CASE WHEN t.kind = 'follow_up' THEN {grid_case} ELSE NULL END, '',
                   CASE WHEN t.kind = 'follow_up' THEN 'grid_worker' ELSE '' END, '', 'bench', '', '',
                   CASE WHEN t.src = '' THEN '{{}}'::jsonb ELSE jsonb_build_object('from', t.src, 'to', t.dst) END
            FROM disputes_dispute d JOIN tmpl t ON t.path = (d.id * 11) %% {len(PATHS)}
        """, [grid_users, grid_users])
        c.execute("SELECT count(*) FROM disputes_disputeevent")
        n_events = c.fetchone()[0]
        print(f"events inserted {time.perf_counter() - t:.1f}s: {n_events:,}")
        c.execute("ANALYZE")
    return int(n_events)


def insert_parties(connection: Any, *, n_disputes: int, pool: int = 10_000) -> list[int]:
    """A pool of natural-person parties; dispute ``B-g`` has applicant ``g % pool`` and respondent
    ``(g * 7 + 1) % pool``. Returns the pool's party ids in order (party 0 is on n/pool disputes)."""
    with connection.cursor() as c:
        c.execute("""
            INSERT INTO parties_party (kind, name, id_number, credit_code, representative, phone, address, created_at)
            SELECT 'natural', '当事人' || g, '', '', '', '139' || lpad(g::text, 8, '0'), '', now()
            FROM generate_series(0, %s - 1) g
        """, [pool])
        c.execute("SELECT id FROM parties_party WHERE name LIKE '当事人%%' ORDER BY id")
        ids = [row[0] for row in c.fetchall()]
        c.execute(f"""
            INSERT INTO disputes_disputeparty (dispute_id, party_id, role, position)
            SELECT d.id, (%s::bigint[])[1 + (d.id %% {pool})], 'applicant', 0 FROM disputes_dispute d
            UNION ALL
            SELECT d.id, (%s::bigint[])[1 + ((d.id * 7 + 1) %% {pool})], 'respondent', 1 FROM disputes_dispute d
            WHERE (d.id * 7 + 1) %% {pool} <> d.id %% {pool}
        """, [ids, ids])
        c.execute("ANALYZE")
    return ids
