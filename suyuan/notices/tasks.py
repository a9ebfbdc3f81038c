"""Background work of the notices app (django.tasks; ``db_worker`` runs it)."""

from __future__ import annotations

from django.tasks import task

from . import delivery


@task()
def deliver_due() -> dict[str, int]:
    """Enqueued when an outbox row commits; the periodic ``deliver_notifications`` catches up the rest."""
    report = delivery.deliver_due()
    return {"delivered": report.delivered, "retried": report.retried, "failed": report.failed}
