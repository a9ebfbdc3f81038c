"""Background work of the notices app (django.tasks; ``db_worker`` runs it)."""

from __future__ import annotations

from django.tasks import task

from . import delivery


@task()
def deliver_due() -> dict[str, int]:
    """Enqueued when an outbox row commits; the periodic ``deliver_notifications`` catches up the rest."""
    report = delivery.deliver_due()
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
