"""Gapless numbering under concurrency."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import Counter


def next_value(name: str) -> int:
    """Return the next value of counter ``name``; must run inside the caller's transaction.

    The row lock is held until the caller commits, so numbers are gapless (a rollback returns
    the number) and unique. A brand-new counter is created in a savepoint so that two first
    callers racing on the insert both end up locking the same row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must be called inside transaction.atomic()")
    try:
        with transaction.atomic():
            Counter.objects.get_or_create(name=name)
    except IntegrityError:
        pass
    counter = Counter.objects.select_for_update().get(name=name)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
