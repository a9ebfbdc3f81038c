"""A single-runner lock for long periodic jobs: at most one process runs a job at a time.

On PostgreSQL it is a session advisory lock (``pg_try_advisory_lock``), shared by every host on the
database and released by the server if the holder dies. On SQLite (one machine by construction) it
is an exclusive ``flock`` on a file under ``SUYUAN_VAR_DIR``/locks, released by the kernel likewise.
The lock is tried, never waited for: a second runner skips its turn instead of queueing behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


def _key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (advisory locks are keyed by bigint)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def single_runner(name: str) -> Iterator[bool]:
    """``with single_runner("sweep") as mine:`` — ``mine`` is False when another runner holds it."""
    if connection.vendor == "postgresql":
        key = _key(f"suyuan:{name}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            mine = bool(cursor.fetchone()[0])
        try:
            yield mine
        finally:
            if mine:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)[:100]}-{_key(name) & 0xFFFFFFFF:08x}.lock"
    with open(folder / filename, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
