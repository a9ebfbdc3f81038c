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
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_value() must be called inside transaction.atomic()")
    value = _increment(connection, name)
    if value is None:
        try:
            with transaction.atomic():
                Counter.objects.get_or_create(name=name)
        except IntegrityError:
            pass
        value = _increment(connection, name)
        assert value is not None
    return value


def _increment(connection: BaseDatabaseWrapper, name: str) -> int | None:
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        # Only the model's own table name is interpolated; the counter name is a parameter.
        cursor.execute(f"UPDATE {table} SET value = value + 1 WHERE name = %s RETURNING value", [name])  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row is not None else None
