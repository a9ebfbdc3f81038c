"""Gapless numbering under concurrency."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from .models import Counter


def next_value(name: str) -> int:
    """Return the next value of counter ``name``; must run inside the caller's transaction.

    One ``UPDATE … RETURNING`` (PostgreSQL, SQLite 3.35+) increments the counter and takes its row
    lock, held until the caller commits, so numbers are gapless (a rollback returns the number) and
    unique: a concurrent writer waits on the row and then increments the committed value. A
    brand-new counter is created in a savepoint so that two first callers racing on the insert
    both end up updating the same row.
    """
    return next_values(name, 1)[0]


def next_values(name: str, count: int) -> range:
    """The next ``count`` values of counter ``name`` at once (a batch import's chunk), with the
    guarantees of ``next_value``: one ``UPDATE … RETURNING`` moves the counter by ``count``, so the
    values are consecutive, and gapless as long as the caller uses all of them or rolls back."""
    if count < 1:
        return range(0)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_value() must be called inside transaction.atomic()")
    value = _increment(connection, name, count)
    if value is None:
        try:
            with transaction.atomic():
                Counter.objects.get_or_create(name=name)
        except IntegrityError:
            pass
        value = _increment(connection, name, count)
        assert value is not None
    return range(value - count + 1, value + 1)


def _increment(connection: BaseDatabaseWrapper, name: str, count: int) -> int | None:
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        # Only the model's own table name is interpolated; the counter name and step are parameters.
        cursor.execute(
            f"UPDATE {table} SET value = value + %s WHERE name = %s RETURNING value",  # noqa: S608
            [count, name],
        )
        row = cursor.fetchone()
    return int(row[0]) if row is not None else None
