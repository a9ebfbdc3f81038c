"""At most one pending delivery wake-up, on every task backend, without losing one.

A committed outbox write asks for a wake-up (``request``). The first ask sets the flag row's
``requested_at`` with a conditional ``UPDATE`` (atomic on both engines: PostgreSQL re-checks the
condition after a concurrent update commits, SQLite has one writer) and only the ask that set it
enqueues ``deliver_due``; the others see a wake-up already pending and do nothing.

The race that matters: a notification committed while the task is running. The task clears the
flag *before* it looks for due rows (``clear`` is its first statement, in autocommit), so either
the writer's ask came before the clear — then its row was committed before the task's first claim
and is delivered by this run — or after it, and the ask finds the flag clear and enqueues the next
wake-up. Clearing at the end would lose the rows committed between the last claim and the clear.

Nothing can get stuck: an enqueue that fails (broker down) puts the flag back; a wake-up lost
anyway (a broker restarted without persistence, a task left behind by a killed worker and never
re-queued) is superseded once the flag is older than ``SUYUAN_NOTICE_WAKEUP_STALE_SECONDS``; and
the periodic catch-up (``deliver_catch_up``) delivers every due row regardless.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import DeliveryWakeup

logger = logging.getLogger(__name__)
FLAG = 1


def stale_after() -> timedelta:
    # A technical bound, not a legal one: longer than a wake-up normally waits in the queue behind
    # an import job, short enough that a lost wake-up costs minutes, not hours.
    return timedelta(seconds=int(getattr(settings, "SUYUAN_NOTICE_WAKEUP_STALE_SECONDS", 600)))


def _set_flag() -> bool:
    """Set the flag if it is clear (or stale); True when this call set it."""
    now = timezone.now()
    clear_or_stale = Q(requested_at__isnull=True) | Q(requested_at__lt=now - stale_after())
    if DeliveryWakeup.objects.filter(clear_or_stale, pk=FLAG).update(requested_at=now):
        return True
    # No row yet (a fresh database; tests flush tables): create it set, or lose to who did.
    _, created = DeliveryWakeup.objects.get_or_create(pk=FLAG, defaults={"requested_at": now})
    return created


def request() -> bool:
    """Enqueue ``deliver_due`` unless a wake-up is already pending; True when one was enqueued.

    Never raises: it runs on commit of the writer's transaction, whose write has happened; a failure
    here (the database busy, the broker down) is logged and left to the catch-up."""
    # Imported late: tasks imports delivery, which imports the adapters (settings-driven).
    from .tasks import deliver_due

    try:
        if not _set_flag():
            return False
    except Exception:
        logger.warning("Could not mark the notice delivery wake-up; the catch-up will deliver.", exc_info=True)
        return False
    try:
        deliver_due.enqueue()
    except Exception:
        logger.warning("Could not enqueue notice delivery; the catch-up will deliver.", exc_info=True)
        try:
            clear()  # the next write asks again
        except Exception:
            logger.warning("Could not clear the wake-up flag; it goes stale after %s.", stale_after())
        return False
    return True


def clear() -> None:
    """The wake-up has started: later writes must enqueue the next one."""
    DeliveryWakeup.objects.filter(pk=FLAG).update(requested_at=None)


def requeued() -> None:
    """A killed worker's ``deliver_due`` is back in the queue (``requeue_tasks``): it is the pending
    wake-up again, so set the flag (it cleared it when it started) and writers do not add another."""
    DeliveryWakeup.objects.update_or_create(pk=FLAG, defaults={"requested_at": timezone.now()})


def pending() -> bool:
    return DeliveryWakeup.objects.filter(pk=FLAG, requested_at__isnull=False).exists()
