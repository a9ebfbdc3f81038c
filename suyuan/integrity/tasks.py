"""Work done as disputes arrive: the duplicate check, group clustering and the similar-case index.

The disputes app calls ``on_event`` for every timeline event (its sink registry); a new dispute
joins the ``integrity.arrivals`` queue (``common.pending``: a row in the intake's transaction, so a
rolled-back intake leaves nothing behind and a killed web process loses nothing; one wake-up of
``check_pending`` however many arrive), and the web request does not wait for the checks. The rows of a batch
import are left to ``process_import``, enqueued once by the import's finished hook: one task and
one index write for the whole file instead of one per row.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.tasks import task

from suyuan.accounts.context import Origin
from suyuan.common.pending import PendingQueue
from suyuan.disputes.choices import EventKind
from suyuan.disputes.models import Dispute, DisputeEvent, ImportJob

logger = logging.getLogger(__name__)


def _wake() -> None:
    check_pending.enqueue()


# ~40 ms a dispute and a write each: small batches, so that on SQLite a batch's transaction does
# not hold the one write lock against intake for long.
ARRIVALS = PendingQueue("integrity.arrivals", _wake, batch=10, limit=200)


def on_event(event: DisputeEvent) -> None:
    if event.kind == EventKind.RECORDED and event.dispute.import_job_id is None:
        ARRIVALS.add([event.dispute_id])


def on_import_finished(job: ImportJob) -> None:
    """A batch import's rows are checked in one task after the job, in the order they were filed."""
    job_id = job.pk
    transaction.on_commit(lambda: process_import.enqueue(job_id))


def _check(dispute: Dispute) -> dict[str, Any]:
    from .services import check_duplicate_suit, cluster_dispute

    origin = Origin(via="worker", ip="")
    matches = check_duplicate_suit(dispute=dispute, origin=origin)
    group = cluster_dispute(dispute=dispute, origin=origin)
    return {"duplicates": sum(1 for m in matches if m.meets_test), "group": group.pk if group else None}


@task()
def process_arrival(dispute_id: int) -> dict[str, Any]:
    """One dispute's checks (kept for tasks queued before ``check_pending``, and for callers).

    Safe to run twice: findings are per pair, membership is one per dispute, the index replaces."""
    from .services import index_disputes

    dispute = Dispute.objects.filter(pk=dispute_id).first()
    if dispute is None:
        return {"dispute": dispute_id, "skipped": True}
    checked = _check(dispute)
    return {"dispute": dispute_id, **checked, "indexed": index_disputes([dispute_id])}


def _check_arrivals(ids: list[int]) -> None:
    """``process_arrival`` for a batch of the queue, in arrival order, with one index write."""
    from .services import index_disputes

    disputes = Dispute.objects.in_bulk(ids)
    present = [pk for pk in ids if pk in disputes]
    for pk in present:
        _check(disputes[pk])
    if present:
        index_disputes(present)


@task()
def check_pending() -> dict[str, Any]:
    """The queue's wake-up, and its periodic catch-up (``SUYUAN_PERIODIC_TASKS``)."""
    return {"checked": ARRIVALS.wake(_check_arrivals)}


@task()
def process_import(job_id: int) -> dict[str, Any]:
    """``process_arrival`` for every dispute of an import job, one by one (so a group forms and grows
    as within a stream of arrivals), then the whole job into the similar-case index in one write."""
    from .services import index_disputes

    ids, duplicates, groups = [], 0, set()
    for dispute in Dispute.objects.filter(import_job_id=job_id).order_by("pk").iterator(chunk_size=500):
        checked = _check(dispute)
        ids.append(dispute.pk)
        duplicates += checked["duplicates"]
        if checked["group"] is not None:
            groups.add(checked["group"])
    return {"job": job_id, "disputes": len(ids), "duplicates": duplicates, "groups": sorted(groups),
            "indexed": index_disputes(ids) if ids else 0}


@task()
def merge_index() -> dict[str, Any]:
    """The periodic index upkeep (``manage.py periodic``): catch up with the database, fold the delta
    into the graph. The index is a per-host copy (docs/decisions/0005-shared-files.md): one runner at
    a time per host and index directory."""
    import socket

    from suyuan.common.locks import single_runner

    from .index import index_dir, shared_index
    from .services import sync_index

    with single_runner(f"integrity.merge.{socket.gethostname()}.{index_dir()}") as mine:
        if not mine:
            return {"skipped": True}
        added = sync_index()
        size = shared_index().merge()
    return {"added": added, "size": size}
