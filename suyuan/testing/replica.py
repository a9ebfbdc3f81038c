"""A real streaming replica for the tests: a hot standby of the test primary on the same machine.

``hot_standby(primary)`` runs ``scripts/pg.sh standby`` (``pg_basebackup -R`` from the primary's
cluster, then the standby follows it by streaming replication) and yields the ``replica`` alias's
settings: the primary's test database on the standby's port, read-only, a test mirror of
``default`` (so Django never creates, migrates or flushes it). ``replica_alias`` puts that alias
into ``django.db.connections`` for the block; ``wait_for_replay`` waits until the standby has
replayed everything the primary has written so far (``pg_last_wal_replay_lsn``).
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from suyuan.common.replica import REPLICA

ROOT = Path(__file__).resolve().parents[2]
PG_SH = ROOT / "scripts" / "pg.sh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def hot_standby(primary: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A hot standby of the cluster behind ``primary`` (a Django settings dict on 127.0.0.1)."""
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="suyuan-standby-")
    try:
        subprocess.run([str(PG_SH), "standby", folder, str(port), str(primary["PORT"])],  # noqa: S603 - fixed argv
                       check=True, capture_output=True, text=True, timeout=120)
        yield {**primary, "HOST": "127.0.0.1", "PORT": str(port),
               "OPTIONS": {"options": "-c default_transaction_read_only=on",
                           "application_name": "suyuan-replica-reads"},
               "TEST": {**primary.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS},
               "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False}
    finally:
        subprocess.run([str(PG_SH), "stop", folder], check=False, capture_output=True, timeout=120)  # noqa: S603


@contextmanager
def replica_alias(settings_dict: dict[str, Any]) -> Iterator[None]:
    """``DATABASES["replica"]`` for the block (the same dict as ``settings.DATABASES``)."""
    connections.settings[REPLICA] = settings_dict
    try:
        yield
    finally:
        with suppress(AttributeError):
            connections[REPLICA].close()
        with suppress(AttributeError):
            del connections[REPLICA]
        connections.settings.pop(REPLICA, None)


def _scalar(alias: str, sql: str, params: tuple[Any, ...] = ()) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def primary_lsn() -> str:
    """Where the primary's WAL ends now (its insert position: includes commits not yet flushed)."""
    return str(_scalar(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_insert_lsn()"))


def _wait(sql: str, lsn: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not _scalar(REPLICA, sql, (lsn,)):
        if time.monotonic() > deadline:
            raise AssertionError(f"the standby did not reach {lsn} in {timeout} s")
        time.sleep(0.05)


def wait_for_replay(timeout: float = 15) -> str:
    """Block until the standby has replayed the primary's WAL up to now; returns that position."""
    lsn = primary_lsn()
    _wait("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn, timeout)
    return lsn


def wait_for_receipt(timeout: float = 15) -> str:
    """Block until the standby has received (not necessarily replayed) the primary's WAL up to now."""
    lsn = primary_lsn()
    _wait("SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", lsn, timeout)
    return lsn


@contextmanager
def replay_paused() -> Iterator[None]:
    """Stop the standby applying WAL (it keeps receiving it) for the block; resume after."""
    _scalar(REPLICA, "SELECT pg_wal_replay_pause() IS NULL")
    deadline = time.monotonic() + 15
    while _scalar(REPLICA, "SELECT pg_get_wal_replay_pause_state()") != "paused":
        if time.monotonic() > deadline:
            raise AssertionError("the standby did not pause replay")
        time.sleep(0.05)
    try:
        yield
    finally:
        _scalar(REPLICA, "SELECT pg_wal_replay_resume() IS NULL")
