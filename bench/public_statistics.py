"""The public statistics page: requests per second with the figures cached, against computing them each time.

    DATABASE_URL=sqlite:////tmp/dash-demo.sqlite3 .venv/bin/python bench/public_statistics.py [--requests 200]

Runs against an existing database (the demo's, seeded by ``seed_demo``: 3,000 disputes; or a bench
PostgreSQL cluster). Both paths render the same page through Django's test client as an anonymous
reader; the baseline clears the cache before every request. Prints requests/s and the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.demo")
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")  # a host the demo settings allow

    def run(clear: bool) -> float:
        start = time.perf_counter()
        for _ in range(args.requests):
            if clear:
                cache.clear()
            response = client.get("/governance/public/")
            assert response.status_code == 200, response.status_code
        return args.requests / (time.perf_counter() - start)

    cache.clear()
    client.get("/governance/public/")  # warm up imports and templates
    cold = run(clear=True)
    cache.clear()
    warm = run(clear=False)
    print(f"requests: {args.requests} per path")
    print(f"figures computed on every request: {cold:8.1f} req/s")
    print(f"figures from the cache:            {warm:8.1f} req/s")
    print(f"ratio cached / uncached:           {warm / cold:8.1f}x")


if __name__ == "__main__":
    main()
