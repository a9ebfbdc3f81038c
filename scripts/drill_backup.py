"""R9 backup and restore drill on PostgreSQL: back up 1M disputes, restore on a fresh cluster, verify.

    nice -n 10 .venv/bin/python scripts/drill_backup.py [--disputes 1000000] [--jobs 2]

1. A throwaway cluster (scripts/pg.sh) is migrated and seeded in SQL (bench/seed.py: disputes,
   their timelines, a pool of parties on them) and an audit trail is written through
   ``record_audit`` (the hash chain ``verify_audit`` checks).
2. ``pg_dump -Fd -j N`` backs it up (directory format: tables dumped in parallel).
3. A second, fresh cluster is started and ``pg_restore -j N`` restores the backup into it.
4. On the restored cluster: ``manage.py verify_audit`` (the hash chain, unbroken) and the row counts
   of the main tables, compared with the source's.

Prints each step's time and the dump's size; exits non-zero if a check fails. Goal (issue 15 R9):
restore <= 15 min on 2 cores. Figures: docs/reliability.md (R9).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from seed import insert_disputes, insert_parties, start_cluster, stop_cluster  # noqa: E402

TABLES = ["disputes_dispute", "disputes_disputeevent", "disputes_disputeparty", "parties_party",
          "accounts_auditentry", "accounts_user"]


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit(f"错误：未找到 {name}（PostgreSQL 客户端工具）。")
    return str(found[-1])


def counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]  # noqa: S608
                for t in TABLES}


def seed(n_disputes: int, audits: int, reuse: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from suyuan.accounts.choices import Role
    from suyuan.accounts.models import User
    from suyuan.common.choices import DisputeCategory
    from suyuan.disputes.choices import Channel
    from suyuan.network.choices import RegionLevel
    from suyuan.network.models import Organisation, Region
    from suyuan.network.reference import load_reference_data

    if reuse:
        _audit(User.objects.get(username="clerk"), audits)
        return
    call_command("migrate", verbosity=0)
    load_reference_data()
    clerk = User.objects.create_user(username="clerk", role=Role.CLERK,
                                     organisation=Organisation.objects.get(court_code="宁0202"))
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code").values_list("pk", "code"))
    grid_users = [User.objects.create_user(username=f"grid{i}", role=Role.GRID_WORKER).pk
                  for i in range(2 * len(townships))]
    courts = {o.region.code: o.pk for o in Organisation.objects.filter(kind="basic_court").select_related("region")}
    court_of = [courts[code[:6] + "000000"] for _pk, code in townships]
    insert_disputes(connection, n_disputes=n_disputes, clerk_id=clerk.pk, townships=townships, court_of=court_of,
                    grid_users=grid_users, categories=DisputeCategory.values, channels=Channel.values)
    insert_parties(connection, n_disputes=n_disputes)
    _audit(clerk, audits)


def _audit(clerk, audits: int) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from suyuan.accounts.choices import AuditAction
    from suyuan.accounts.context import Origin
    from suyuan.accounts.services import record_audit

    origin = Origin(via="drill", ip="127.0.0.1")
    with transaction.atomic():
        for i in range(audits):
            record_audit(actor=clerk, action=AuditAction.READ_PERSONAL_DATA, origin=origin, target_type="dispute",
                         target_id=f"B-{i + 1}", detail={"drill": True})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--disputes", type=int, default=1_000_000)
    parser.add_argument("--audits", type=int, default=5000, help="audit rows written through record_audit")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--port", type=int, default=55494, help="the source cluster; the restore uses port+1")
    parser.add_argument("--reuse", action="store_true",
                        help="the source cluster on --port is already seeded (bench/web.py --keep): add the audit "
                             "rows only, and leave it running")
    parser.add_argument("--dir", default="", help="where the clusters and the dump go (default: a temp folder)")
    args = parser.parse_args()
    command = " ".join(["nice -n 10 .venv/bin/python", "scripts/drill_backup.py", *sys.argv[1:]])
    work = Path(args.dir or tempfile.mkdtemp(prefix="suyuan-drill-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # the clusters below run as the postgres user, who must enter this folder
    source_dir, target_dir, dump = str(work / "source"), str(work / "target"), work / "dump"
    source = f"postgres://postgres@127.0.0.1:{args.port}/postgres"
    target = f"postgres://postgres@127.0.0.1:{args.port + 1}/postgres"
    os.environ["DATABASE_URL"] = source
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["SUYUAN_VAR_DIR"] = str(work / "var")
    ok = True
    try:
        if not args.reuse:
            start_cluster(source_dir, args.port)
        t = time.perf_counter()
        seed(args.disputes, args.audits, args.reuse)
        print(f"seeded {'(reused) ' if args.reuse else ''}{args.disputes:,} disputes and {args.audits:,} audit rows "
              f"in {time.perf_counter() - t:.1f} s")
        before = counts(source)
        print("source:", ", ".join(f"{k}={v:,}" for k, v in before.items()))

        shutil.rmtree(dump, ignore_errors=True)
        t = time.perf_counter()
        dump_argv = [pg_bin("pg_dump"), "-Fd", "-j", str(args.jobs), "-Z", "1", "-f", str(dump), "-d", source]
        subprocess.run(dump_argv, check=True)  # noqa: S603 - fixed argv
        dump_s = time.perf_counter() - t
        size = sum(p.stat().st_size for p in dump.rglob("*") if p.is_file())
        print(f"pg_dump -Fd -j {args.jobs}: {dump_s:.1f} s, {size / 1e6:.0f} MB")

        start_cluster(target_dir, args.port + 1)
        t = time.perf_counter()
        restore_argv = [pg_bin("pg_restore"), "-j", str(args.jobs), "--no-owner", "-d", target, str(dump)]
        subprocess.run(restore_argv, check=True)  # noqa: S603
        restore_s = time.perf_counter() - t
        print(f"pg_restore -j {args.jobs} onto a fresh cluster: {restore_s:.1f} s "
              f"(goal <= 900 s: {'met' if restore_s <= 900 else 'NOT met'})")

        t = time.perf_counter()
        env = {**os.environ, "DATABASE_URL": target}
        verify = subprocess.run([sys.executable, str(ROOT / "manage.py"), "verify_audit"], env=env,  # noqa: S603
                                capture_output=True, text=True)
        print(f"verify_audit on the restore ({time.perf_counter() - t:.1f} s): {verify.stdout.strip()} "
              f"{verify.stderr.strip()[-300:]}")
        ok = verify.returncode == 0 and "ok=true" in verify.stdout
        after = counts(target)
        same = after == before
        print("restore:", ", ".join(f"{k}={v:,}" for k, v in after.items()), "— counts identical" if same
              else "— COUNTS DIFFER")
        ok = ok and same
        print(f"drill {'passed' if ok else 'FAILED'}; command: {command}")
    finally:
        if not args.reuse:
            stop_cluster(source_dir)
        stop_cluster(target_dir)
        shutil.rmtree(dump, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
