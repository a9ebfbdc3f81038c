"""Proposals made as disputes arrive: one at a time from intake, in bulk after a batch import.

A dispute recorded at a window, by a grid worker or online waits in the ``triage.proposals``
queue (``common.pending``: a row written in the intake's transaction, one wake-up of
``propose_pending`` however many arrive), which proposes for the waiting disputes in chunks; the
periodic catch-up drains it too. Rows of a batch import are skipped there: the import's finished
hook enqueues one task for the whole job, which scores the job's disputes in chunks
(``services.store_proposals``), so a 10,000-row file costs one pass, not 10,000 tasks.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.tasks import task

from suyuan.common.pending import PendingQueue
from suyuan.disputes.choices import EventKind
from suyuan.disputes.models import Dispute, DisputeEvent, ImportJob


def _wake() -> None:
    propose_pending.enqueue()


# Proposing is ~1 ms a dispute in bulk: large batches.
PROPOSALS = PendingQueue("triage.proposals", _wake, batch=100, limit=1000)


def on_event(event: DisputeEvent) -> None:
    if event.kind == EventKind.RECORDED and event.dispute.import_job_id is None:
        PROPOSALS.add([event.dispute_id])


def on_import_finished(job: ImportJob) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: propose_for_import.enqueue(job_id))


@task()
def propose_pending() -> dict[str, Any]:
    """The queue's wake-up, and its periodic catch-up (``SUYUAN_PERIODIC_TASKS``)."""
    from .services import store_proposals

    return {"proposed": PROPOSALS.wake(store_proposals)}


@task()
def propose_for_dispute(dispute_id: int) -> dict[str, Any]:
    """One dispute's proposal (kept for tasks queued before ``propose_pending``, and for callers)."""
    from .services import store_proposals

    return {"dispute": dispute_id, "proposed": store_proposals([dispute_id])}


@task()
def propose_for_import(job_id: int) -> dict[str, Any]:
    from .services import store_proposals

    ids = list(Dispute.objects.filter(import_job_id=job_id).order_by("pk").values_list("pk", flat=True))
    return {"job": job_id, "proposed": store_proposals(ids)}
