"""Follow-up work on objects as they arrive, durable and coalesced: one wake-up per queue, not one task per object.

A write that needs a worker's follow-up (a new dispute's triage proposal, its duplicate check)
calls ``PendingQueue.add`` inside its own transaction: a ``PendingWork`` row commits or rolls back
with the write, so a web process killed after the commit and before an enqueue loses nothing. On
commit the queue asks for its wake-up (``common.wakeup``: at most one pending per queue), and the
wake-up task calls ``drain``, which does the work for the waiting objects in arrival order, a batch
per transaction, and deletes their rows with it. A drain that stops (its limit; a killed worker)
leaves the rest for the next wake-up or the periodic catch-up, which calls ``drain`` too.

The work must be safe to do twice for an object (at-least-once: a worker killed after the work and
before its commit does it again next time). Before this, every API intake enqueued its own
``propose_for_dispute`` and ``process_arrival``; unpaced, thousands of each piled up in the one FIFO
queue in front of import jobs (the R5 drill, docs/reliability.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import PendingWork
from .wakeup import WakeupFlag

logger = logging.getLogger(__name__)

QUEUES: dict[str, PendingQueue] = {}  # every queue by name, for the ``pending_work`` command


class PendingQueue:
    """``name``: the queue (and its wake-up's name). ``enqueue``: sends the drain task. ``batch``:
    objects per transaction (on SQLite a transaction holds the one write lock, so keep it short
    where the work is slow). ``limit``: objects per wake-up, then one more turn at the back."""

    def __init__(self, name: str, enqueue: Callable[[], object], *, batch: int = 50, limit: int = 500) -> None:
        self.name = name
        self.flag = WakeupFlag(name, enqueue)
        self.batch = batch
        self.limit = limit
        QUEUES[name] = self

    def add(self, object_ids: Iterable[int]) -> None:
        """In the caller's transaction: these objects wait for the follow-up; wake the drain on commit."""
        rows = [PendingWork(queue=self.name, object_id=pk) for pk in object_ids]
        if not rows:
            return
        PendingWork.objects.bulk_create(rows)
        transaction.on_commit(self.flag.request)

    def waiting(self) -> int:
        return self._waiting().count()

    def set_aside(self) -> QuerySet[PendingWork]:
        """The objects whose follow-up failed on its own (oldest first), kept for an administrator."""
        return PendingWork.objects.filter(queue=self.name, failed_at__isnull=False).order_by("pk")

    def retry(self, object_ids: Iterable[int] | None = None) -> int:
        """Put set-aside objects (all, or those of ``object_ids``) back in line, behind the waiting
        ones, and wake the drain on commit; return how many. A row goes to the back as a new row,
        so an object that fails again does not hold up the objects that arrived meanwhile."""
        with transaction.atomic():
            rows = self.set_aside()
            if object_ids is not None:
                rows = rows.filter(object_id__in=list(object_ids))
            ids = list(rows.values_list("object_id", flat=True))
            rows.delete()
            self.add(ids)
        return len(ids)

    def drain(self, work: Callable[[list[int]], object], *, limit: int | None = None) -> int:
        """Do ``work`` for the waiting objects (ids in arrival order, one call per batch); return how
        many were done. The wake-up's task calls it after ``flag.clear()``; the catch-up directly."""
        limit = self.limit if limit is None else limit
        done = 0
        while done < limit:
            try:
                taken = self._take(work, min(self.batch, limit - done))
            except Exception:
                # One object's failure must not hold up the rest: do the batch again one by one.
                logger.warning("Follow-up batch of %s failed; retrying one by one.", self.name, exc_info=True)
                taken = self._take_singly(work, min(self.batch, limit - done))
            if not taken:
                return done
            done += taken
        if self._waiting().exists():
            self.flag.request()  # more waiting: one more turn, behind whatever else is queued
        return done

    def _waiting(self) -> QuerySet[PendingWork]:
        return PendingWork.objects.filter(queue=self.name, failed_at__isnull=True).order_by("pk")

    def _claim(self, size: int) -> list[tuple[int, int]]:
        waiting = self._waiting()
        if connection.features.has_select_for_update_skip_locked:
            # Two workers drain side by side without doing the same objects twice.
            waiting = waiting.select_for_update(skip_locked=True)
        return list(waiting.values_list("pk", "object_id")[:size])

    def _take(self, work: Callable[[list[int]], object], size: int) -> int:
        with transaction.atomic():
            rows = self._claim(size)
            if rows:
                work(list(dict.fromkeys(object_id for _, object_id in rows)))  # added twice: done once
                PendingWork.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        return len(rows)

    def _take_singly(self, work: Callable[[list[int]], object], size: int) -> int:
        taken = 0
        for _ in range(size):
            try:
                got = self._take(work, 1)
            except Exception as exc:
                logger.exception("Follow-up %s failed for one object; set aside.", self.name)
                with transaction.atomic():
                    rows = self._claim(1)
                    PendingWork.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                        failed_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:500]
                    )
                got = len(rows)
            if not got:
                break
            taken += got
        return taken

    def wake(self, work: Callable[[list[int]], object]) -> int:
        """The wake-up task's body: clear the flag first (see ``common.wakeup`` for the race), then drain."""
        self.flag.clear()
        return self.drain(work)
