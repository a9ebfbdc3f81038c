"""Where a page's time goes (issue 16, P5): bench/web.py's pages, in process, on its seeded cluster.

    nice -n 10 .venv/bin/python bench/web_profile.py [--port 55492] [--repeat 20] [--profile "dispute page"]

Needs a cluster seeded and kept by ``bench/web.py --keep``. For each page: the queries of one warm
request, their database time, the mean wall time of ``--repeat`` requests through Django's test
client (the whole middleware stack, no HTTP server), the least CPU time of this process per request
over five rounds, and the Python function calls per request (cProfile's count: the same on every
run of the same code, so it compares two versions of a page even on a loaded machine, where times
do not). ``--profile NAME`` prints the cProfile top of that page (cumulative), to find the Python
that a page spends.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=55492)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", default="", help="a page name to profile (cProfile, cumulative)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--queries", default="", help="a page name whose queries to list (time, SQL head)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{args.port}/postgres"
    os.environ["DJANGO_SETTINGS_MODULE"] = "web_site"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    from web import pages_of

    from suyuan.accounts.models import User
    from suyuan.network.models import Organisation

    pages = pages_of(User.objects.get(username="clerk"), User.objects.get(username="party"),
                     Organisation.objects.get(court_code="宁0202"))
    client = Client()
    print(f"{'page':22s} {'queries':>8s} {'db ms':>8s} {'wall ms':>8s} {'cpu ms':>8s} {'calls':>8s}")
    for name, (path, headers) in pages.items():
        extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Cookie"}
        if "Cookie" in headers:
            key, value = headers["Cookie"].split("=", 1)
            client.cookies[key] = value
        else:
            client.cookies.clear()
        for _ in range(2):
            response = client.get(path, **extra)
            assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path, **extra)
        captured = list(queries.captured_queries)  # read now: the next request resets the log
        db = sum(float(q["time"]) for q in captured) * 1000
        t = time.perf_counter()
        for _ in range(args.repeat):
            client.get(path, **extra)
        wall = (time.perf_counter() - t) / args.repeat * 1000
        cpu, calls = cost(lambda: client.get(path, **extra), args.repeat)  # noqa: B023  (called at once)
        print(f"{name:22s} {len(captured):8d} {db:8.1f} {wall:8.1f} {cpu:8.2f} {calls:8.0f}")
        if name == args.queries:
            for q in captured:
                print(f"   {1000 * float(q['time']):7.1f} ms  {q['sql'][:160]}")
        if name == args.profile:
            slow = sorted(captured, key=lambda q: -float(q["time"]))[:8]
            for q in slow:
                print(f"   {1000 * float(q['time']):7.1f} ms  {q['sql'][:300]}")
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                client.get(path, **extra)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)


def cost(request: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The least CPU ms of this process per request over five rounds of ``repeat``, and the Python
    function calls per request (cProfile's count)."""
    cpu = []
    for _ in range(5):
        c = time.process_time()
        for _ in range(repeat):
            request()
        cpu.append((time.process_time() - c) / repeat * 1000)
    counter = cProfile.Profile()
    counter.enable()
    for _ in range(5):
        request()
    counter.disable()
    return min(cpu), pstats.Stats(counter).total_calls / 5  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
