"""Work done as disputes arrive: the duplicate check, group clustering and the similar-case index.

The disputes app calls ``on_event`` for every timeline event (its sink registry); on a new
dispute it enqueues ``process_arrival`` once the intake transaction commits, so a rolled-back
intake leaves nothing behind and the web request does not wait for the checks.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.tasks import task

from suyuan.accounts.context import Origin
from suyuan.disputes.choices import EventKind
from suyuan.disputes.models import Dispute, DisputeEvent

logger = logging.getLogger(__name__)


def on_event(event: DisputeEvent) -> None:
    if event.kind == EventKind.RECORDED:
        dispute_id = event.dispute_id
        transaction.on_commit(lambda: process_arrival.enqueue(dispute_id))


@task()
def process_arrival(dispute_id: int) -> dict[str, Any]:
    """Safe to run twice: findings are per pair, membership is one per dispute, the index replaces."""
    from .services import check_duplicate_suit, cluster_dispute, index_disputes

    dispute = Dispute.objects.filter(pk=dispute_id).first()
    if dispute is None:
        return {"dispute": dispute_id, "skipped": True}
    origin = Origin(via="worker", ip="")
    matches = check_duplicate_suit(dispute=dispute, origin=origin)
    group = cluster_dispute(dispute=dispute, origin=origin)
    size = index_disputes([dispute_id])
    return {
        "dispute": dispute_id,
        "duplicates": sum(1 for m in matches if m.meets_test),
        "group": group.pk if group else None,
        "indexed": size,
    }
