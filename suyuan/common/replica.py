"""Leaders' reads on a streaming replica (docs/decisions/0013-read-replica.md).

A block of read-only code says so explicitly::

    with reads_on_replica() as on_replica:
        figures = selectors.dashboard(user, filters)

Inside it, and only there, :class:`ReplicaRouter` sends reads to the ``replica`` alias, when one
is configured (``SUYUAN_REPLICA_DATABASE_URL``), answering, and not too far behind
(``SUYUAN_REPLICA_MAX_LAG_SECONDS``). Outside such a block the router has no opinion, so nothing
changes: without the setting (the SQLite demo, the tests) there is no replica at all.

Even inside the block these stay on the primary:

- any read while the primary connection is in a transaction: a read that decides a write (the
  audit chain's head, a counter, ``select_for_update``) is always inside the writer's
  ``atomic()`` block;
- sessions, login lock-outs, second-factor devices, the task queue, counters and idempotency
  records, the audit log (``PRIMARY_ONLY``): state that must be read where it was just written.

Writes are not routed. An object read on the replica remembers it (``_state.db``); saving it goes
to the replica, which refuses (read-only), so a misplaced write fails loudly instead of writing
a stale copy over the primary's row. Write services load their rows on the primary themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Shown with the figures whenever they were read on the replica (the dashboard's definitions,
# the report, the exports, the public page).
LAG_NOTE = "本页数据读自只读副本，可能比业务系统有数秒延迟。"

# (app label, model name or "*"): read on the primary even inside a replica block.
PRIMARY_ONLY = frozenset({
    ("sessions", "*"),
    ("axes", "*"),
    ("otp_totp", "*"),
    ("django_tasks_database", "*"),
    ("common", "*"),
    ("accounts", "auditentry"),
    ("accounts", "audithead"),
    ("accounts", "apitoken"),
    ("accounts", "signincode"),
})

_on_replica: ContextVar[bool] = ContextVar("suyuan_reads_on_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def serving_from_replica() -> bool:
    """True inside a :func:`reads_on_replica` block that does read the replica."""
    return _on_replica.get()


def source_note() -> str:
    """The lag sentence for figures computed in this block, or "" when they come from the primary."""
    return LAG_NOTE if serving_from_replica() else ""


LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_lag_seconds() -> float:
    """How far the replica's replay is behind: 0 when it has replayed all it received.

    Otherwise the age of the last transaction it replayed (the usual estimate; it overstates the
    lag after a quiet spell on the primary, which only makes the fallback below more careful).
    """
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        (lag,) = cursor.fetchone()
    return float(lag)


@contextmanager
def reads_on_replica() -> Iterator[bool]:
    """Send the reads of this block to the replica when it is usable; yields whether it is.

    The replica is skipped (reads stay on the primary, with a warning in the log) when it does not
    answer or is more than ``SUYUAN_REPLICA_MAX_LAG_SECONDS`` behind: the leaders then get current
    figures from the primary instead of an error page or an old picture.
    """
    if _on_replica.get():
        yield True
        return
    if not replica_configured():
        yield False
        return
    try:
        lag = replica_lag_seconds()
    except DatabaseError:
        logger.warning("replica unavailable: leaders' reads go to the primary", exc_info=True)
        connections[REPLICA].close()
        yield False
        return
    limit = float(getattr(settings, "SUYUAN_REPLICA_MAX_LAG_SECONDS", 30))
    if lag > limit:
        logger.warning("replica %.1f s behind (limit %.0f s): leaders' reads go to the primary", lag, limit)
        yield False
        return
    token = _on_replica.set(True)
    try:
        yield True
    finally:
        _on_replica.reset(token)


def _primary_only(model: type[Any]) -> bool:
    meta = model._meta
    return (meta.app_label, "*") in PRIMARY_ONLY or (meta.app_label, meta.model_name) in PRIMARY_ONLY


class ReplicaRouter:
    """Reads inside :func:`reads_on_replica` go to the replica; nothing else is routed."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _on_replica.get():
            return None
        if _primary_only(model) or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # state read where it is written; a read inside a transaction decides a write
        return REPLICA

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: a row read on one may point to a row of the other.
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # The replica replays the primary's migrations; it is never migrated itself.
        return False if db == REPLICA else None
