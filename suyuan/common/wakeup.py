"""At most one pending wake-up of a named worker task, on every task backend, without losing one.

A committed write asks for a wake-up (``WakeupFlag.request``). The first ask sets the flag row's
``requested_at`` with a conditional ``UPDATE`` (atomic on both engines: PostgreSQL re-checks the
condition after a concurrent update commits, SQLite has one writer) and only the ask that set it
enqueues the task; the others see a wake-up already pending and do nothing.

The race that matters: work committed while the task is running. The task clears the flag
*before* it looks for work (``clear`` is its first statement, in autocommit), so either the
writer's ask came before the clear (its work was committed before the task's first read and is
done by this run) or after it, and the ask finds the flag clear and enqueues the next wake-up.
Clearing at the end would lose the work committed between the last read and the clear.

Nothing can get stuck: an enqueue that fails (broker down) puts the flag back; a wake-up lost
anyway (a broker restarted without persistence, a task left behind by a killed worker and never
re-queued) is superseded once the flag is older than ``SUYUAN_WAKEUP_STALE_SECONDS``; and each
user has a periodic catch-up that does the work regardless (``SUYUAN_PERIODIC_TASKS``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Wakeup

logger = logging.getLogger(__name__)


def stale_after() -> timedelta:
    # A technical bound, not a legal one: longer than a wake-up normally waits in the queue behind
    # an import job, short enough that a lost wake-up costs minutes, not hours.
    return timedelta(seconds=int(getattr(settings, "SUYUAN_WAKEUP_STALE_SECONDS", 600)))


class WakeupFlag:
    """The flag of one task: ``name`` is its row; ``enqueue`` sends the task (looked up late, since
    the task module usually imports the module that owns the flag)."""

    def __init__(self, name: str, enqueue: Callable[[], object]) -> None:
        self.name = name
        self._enqueue = enqueue

    def _set(self) -> bool:
        """Set the flag if it is clear (or stale); True when this call set it."""
        now = timezone.now()
        clear_or_stale = Q(requested_at__isnull=True) | Q(requested_at__lt=now - stale_after())
        if Wakeup.objects.filter(clear_or_stale, pk=self.name).update(requested_at=now):
            return True
        # No row yet (a fresh database; tests flush tables): create it set, or lose to who did.
        _, created = Wakeup.objects.get_or_create(pk=self.name, defaults={"requested_at": now})
        return created

    def request(self) -> bool:
        """Enqueue the task unless a wake-up is already pending; True when one was enqueued.

        Never raises: it runs on commit of the writer's transaction, whose write has happened; a
        failure here (the database busy, the broker down) is logged and left to the catch-up."""
        try:
            if not self._set():
                return False
        except Exception:
            logger.warning("Could not mark the wake-up of %s; the catch-up will do it.", self.name, exc_info=True)
            return False
        try:
            self._enqueue()
        except Exception:
            logger.warning("Could not enqueue %s; the catch-up will do it.", self.name, exc_info=True)
            try:
                self.clear()  # the next write asks again
            except Exception:
                logger.warning("Could not clear the wake-up of %s; it goes stale after %s.", self.name, stale_after())
            return False
        return True

    def clear(self) -> None:
        """The wake-up has started: later writes must enqueue the next one."""
        Wakeup.objects.filter(pk=self.name).update(requested_at=None)

    def requeued(self) -> None:
        """A killed worker's task is back in the queue (``requeue_tasks``): it is the pending wake-up
        again, so set the flag (it cleared it when it started) and writers do not add another."""
        Wakeup.objects.update_or_create(pk=self.name, defaults={"requested_at": timezone.now()})

    def pending(self) -> bool:
        return Wakeup.objects.filter(pk=self.name, requested_at__isnull=False).exists()
