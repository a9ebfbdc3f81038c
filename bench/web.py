"""Web speed at scale (issue 16, P5): the main pages over 1M disputes on PostgreSQL.

    nice -n 10 .venv/bin/python bench/web.py --disputes 1000000 [--seconds 20] [--port 55492] [--keep]

Starts a throwaway PostgreSQL cluster, seeds it in SQL (bench/seed.py: disputes with their
timelines, a pool of 10,000 parties on them), starts gunicorn (``--workers`` processes of
``--threads`` threads, default 1 x 4) pinned to ``--server-cpus`` (default CPU 0) while this load
generator runs on ``--client-cpus`` (default CPU 1; taskset, when there are 2 CPUs), and for each page:

1. drives it at a fixed 50 requests/s (open loop, loopback) for ``--seconds`` and prints
   p50 / p95 / p99 latency;
2. drives it as fast as 4 concurrent clients can (closed loop) and prints the rate, as a ratio to
   the rate of a bare Django view (same middleware, no work) measured in the same run.

Pages: the bare view anonymous and signed in (the session read, and written when its idle timer
is due for renewal), the clerk's workbench queue, a dispute page, the party portal (/portal/,
我的纠纷; party 0 of the pool is on disputes/10,000 of them) and the API list (bearer token). Targets (issue 16):
p95 <= 100 ms on the workbench and the dispute page, rate >= 30 % of the bare view's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from seed import events_per_dispute, insert_disputes, insert_parties, start_cluster, stop_cluster  # noqa: E402

WEB_PORT = 8791


def cpu_set(spec: str) -> set[int]:
    cpus: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    return cpus


def pin(spec: str) -> list[str]:
    return ["taskset", "-c", spec] if (os.cpu_count() or 1) >= 2 else []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--disputes", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--port", type=int, default=55492)
    parser.add_argument("--dir", default="/tmp/suyuan-bench-web-pg")
    parser.add_argument("--web-port", type=int, default=8791, help="gunicorn's port (loopback)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--server-cpus", default="0", help="CPUs gunicorn is pinned to (taskset list)")
    parser.add_argument("--client-cpus", default="1", help="CPUs this load generator is pinned to")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument("--reuse", action="store_true", help="a cluster seeded and kept by an earlier --keep run")
    args = parser.parse_args()
    command = " ".join(["nice -n 10 .venv/bin/python", "bench/web.py", *sys.argv[1:]])
    if not args.reuse:
        start_cluster(args.dir, args.port)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{args.port}/postgres"
    os.environ["DJANGO_SETTINGS_MODULE"] = "web_site"
    global WEB_PORT
    WEB_PORT = args.web_port
    if (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, cpu_set(args.client_cpus))
    try:
        run(args, command)
    finally:
        if not args.keep:
            stop_cluster(args.dir)


def seed(args: argparse.Namespace) -> dict[str, object]:
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

    court = Organisation.objects.get(court_code="宁0202") if args.reuse else None
    if args.reuse:
        return pages_of(User.objects.get(username="clerk"), User.objects.get(username="party"), court)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_reference_data()
    court = Organisation.objects.get(court_code="宁0202")
    clerk = User.objects.create_user(username="clerk", password="bench-password-1", role=Role.CLERK,
                                     organisation=court)
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code").values_list("pk", "code"))
    grid_users = [User.objects.create_user(username=f"grid{i}", role=Role.GRID_WORKER).pk
                  for i in range(2 * len(townships))]
    courts = {o.region.code: o.pk for o in Organisation.objects.filter(kind="basic_court").select_related("region")}
    court_of = [courts[code[:6] + "000000"] for _pk, code in townships]
    print(f"setup {time.perf_counter() - t0:.1f}s; seeding {args.disputes:,} disputes")
    t = time.perf_counter()
    n_events = insert_disputes(connection, n_disputes=args.disputes, clerk_id=clerk.pk, townships=townships,
                               court_of=court_of, grid_users=grid_users, categories=DisputeCategory.values,
                               channels=Channel.values)
    pool = insert_parties(connection, n_disputes=args.disputes)
    party_user = User.objects.create_user(username="party", role=Role.PARTY, party_id=pool[0])
    print(f"seeded in {time.perf_counter() - t:.1f}s: {n_events:,} events (~{events_per_dispute():.1f} per dispute)")
    return pages_of(clerk, party_user, court)


def pages_of(clerk, party_user, court) -> dict[str, tuple[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test import Client

    from suyuan.accounts.context import Origin
    from suyuan.accounts.services import issue_api_token

    with connection.cursor() as c:
        c.execute("SELECT number FROM disputes_dispute WHERE court_id = %s ORDER BY id DESC LIMIT 1", [court.pk])
        number = c.fetchone()[0]
        c.execute("SELECT count(*) FROM disputes_dispute WHERE court_id = %s", [court.pk])
        at_court = c.fetchone()[0]
        c.execute("SELECT count(*) FROM disputes_disputeparty WHERE party_id = %s", [party_user.party_id])
        of_party = c.fetchone()[0]
    print(f"the clerk's court has {at_court:,} disputes; the party is on {of_party:,}")

    def cookie(user) -> str:  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}"

    token = issue_api_token(user=clerk, origin=Origin(via="bench"))
    return {
        "bare": ("/bench/bare/", {}),
        "bare (signed in)": ("/bench/bare/", {"Cookie": cookie(clerk)}),
        "workbench (clerk)": ("/disputes/", {"Cookie": cookie(clerk)}),
        "dispute page": (f"/disputes/{number}/", {"Cookie": cookie(clerk)}),
        "party portal": ("/portal/", {"Cookie": cookie(party_user)}),
        "API list": ("/api/v1/disputes?limit=20", {"Authorization": f"Bearer {token}"}),
    }


_local = threading.local()


def get(path: str, headers: dict[str, str]) -> tuple[float, int]:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=60)
    t = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        answer = conn.getresponse()
        answer.read()
        status = answer.status
    except (OSError, http.client.HTTPException):
        conn.close()
        _local.conn = None
        status = 0
    return time.perf_counter() - t, status


def open_loop(path: str, headers: dict[str, str], rate: float, seconds: float) -> tuple[list[float], int]:
    """Send at a fixed rate whatever the answers take, for ``seconds`` (the latency a user sees at
    that load). Latency counts from the moment a request was due, so time spent waiting for a free
    client counts too (no coordinated omission). Requests not even started within ``seconds`` after
    the last was due are dropped and counted: the page cannot take that rate."""
    n = int(rate * seconds)
    start = time.perf_counter()

    def at(i: int) -> tuple[float, int]:
        due = start + i / rate
        _elapsed, status = get(path, headers)
        return time.perf_counter() - due, status

    pool = ThreadPoolExecutor(max_workers=16)
    futures = []
    for i in range(n):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(at, i))
    cutoff = start + 2 * seconds
    while time.perf_counter() < cutoff and not all(f.done() for f in futures):
        time.sleep(0.05)
    pool.shutdown(wait=True, cancel_futures=True)
    done = [f.result() for f in futures if not f.cancelled()]
    dropped = n - len(done)
    bad = sum(1 for _, status in done if status != 200)
    if bad:
        print(f"   {bad} of {n} answers were not 200")
    return [t for t, _ in done] + [float("inf")] * dropped, dropped


def closed_loop(path: str, headers: dict[str, str], seconds: float, clients: int = 4) -> float:
    """As fast as ``clients`` concurrent clients go: requests per second."""
    stop = time.perf_counter() + seconds
    counts = [0] * clients

    def client(i: int) -> None:
        while time.perf_counter() < stop:
            get(path, headers)
            counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(counts) / (time.perf_counter() - t)


def run(args: argparse.Namespace, command: str) -> None:
    pages = seed(args)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    server = subprocess.Popen(
        [*pin(args.server_cpus), sys.executable, "-m", "gunicorn", "web_site_wsgi:application",
         "--bind", f"127.0.0.1:{WEB_PORT}", "--workers", str(args.workers), "--threads", str(args.threads),
         "--control-socket", f"/tmp/suyuan-bench-web-{WEB_PORT}.ctl", "--log-level", "warning"],
        cwd=ROOT / "bench", env=env)
    try:
        deadline = time.monotonic() + 120
        while get("/bench/bare/", {})[1] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.5)
        for path, headers in pages.values():  # warm every page once (imports, first queries)
            for _ in range(3):
                _, status = get(path, headers)
            assert status == 200, (path, status)
        print(f"\ngunicorn: {args.workers} process(es) x {args.threads} thread(s) on CPU {args.server_cpus}; "
              f"load generator on CPU {args.client_cpus}")
        print(f"{'page':22s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}   "
              f"at {args.rate:g} req/s for {args.seconds:g} s")
        for name, (path, headers) in pages.items():
            times, dropped = open_loop(path, headers, args.rate, args.seconds)
            times.sort()
            q = [times[min(len(times) - 1, int(len(times) * p))] for p in (0.50, 0.95, 0.99)]
            cells = " ".join(f"{1000 * v:8.1f}" if v != float("inf") else f"{'>' + str(int(args.seconds)) + 's':>8s}"
                             for v in q)
            print(f"{name:22s} {cells}" + (f"   ({dropped} of {len(times)} never started: overloaded)"
                                           if dropped else ""))
        print()
        print(f"{'page':22s} {'req/s':>8s} {'of bare':>8s}   (4 clients, closed loop, {args.seconds / 2:g} s)")
        bare = closed_loop(*pages["bare"], seconds=args.seconds / 2)
        for name, (path, headers) in pages.items():
            rate = bare if name == "bare" else closed_loop(path, headers, seconds=args.seconds / 2)
            print(f"{name:22s} {rate:8.1f} {100 * rate / bare:7.0f}%")
        print()
        print(f"command: {command}")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
