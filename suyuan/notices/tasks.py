"""Background work of the notices app (django.tasks; ``db_worker`` runs it)."""

from __future__ import annotations

from django.tasks import task

from . import delivery, wakeup

# One wake-up's share of the worker: at most this many rows, then (if more are due) a fresh
# wake-up at the back of the queue, so a slow gateway never holds the worker for long in front of
# import jobs (0.1 s per SMS: about 10 s).
WAKEUP_LIMIT = 100


@task()
def deliver_due() -> dict[str, int]:
    """The delivery wake-up, enqueued when an outbox row commits and none is pending (``wakeup``);
    the periodic ``deliver_catch_up`` catches up the rest."""
    # First, before looking for due rows: a notification committed from now on asks for the next
    # wake-up (see wakeup.py for the race this closes).
    wakeup.clear()
    report = delivery.deliver_due(limit=WAKEUP_LIMIT)
    if report.delivered + report.retried + report.failed >= WAKEUP_LIMIT:
        wakeup.request()  # more may be due: one more turn, behind whatever else is queued
    return {"delivered": report.delivered, "retried": report.retried, "failed": report.failed}


@task()
def deliver_catch_up() -> dict[str, int | bool]:
    """The periodic catch-up (``manage.py periodic``): retries after backoff and rows whose worker died.
    One runner at a time; the wake-ups of ``deliver_due`` may run beside it (claims skip locked rows)."""
    from suyuan.common.locks import single_runner

    with single_runner("notices.deliver") as mine:
        if not mine:
            return {"skipped": True}
        report = delivery.deliver_due()
    return {"delivered": report.delivered, "retried": report.retried, "failed": report.failed}
