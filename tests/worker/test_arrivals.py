"""Disputes recorded at intake get their follow-ups from the worker, on the database queue and on
RQ: one wake-up of each arrival queue however many arrive, a proposal and the integrity checks for
every one, nothing left waiting (issue 15, R5)."""

from __future__ import annotations

import pytest

from suyuan.accounts.context import Origin
from suyuan.common.models import PendingWork
from suyuan.common.tasking import is_transactional
from suyuan.disputes.services import record_dispute
from suyuan.integrity.index import shared_index
from suyuan.integrity.tasks import ARRIVALS
from suyuan.testing import worker
from suyuan.testing.disputes import grid_input
from suyuan.triage.models import TriageProposal
from suyuan.triage.tasks import PROPOSALS

pytestmark = pytest.mark.django_db(transaction=True)
WAKEUPS = ("suyuan.triage.tasks.propose_pending", "suyuan.integrity.tasks.check_pending")


def ready(path: str) -> int:
    if is_transactional():
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().filter(task_path=path).count()
    import django_rq

    return sum(job.func_name == path for job in django_rq.get_queue("default").get_jobs())


def test_many_arrivals_one_wakeup_each_queue_and_every_follow_up_done(world, task_backend):
    disputes = [record_dispute(actor=world.grid_worker, origin=Origin(via="test"),
                               data=grid_input(world.grid.code)).dispute for _ in range(6)]
    assert [ready(path) for path in WAKEUPS] == [1, 1]
    assert PROPOSALS.waiting() == ARRIVALS.waiting() == 6
    worker.run_worker()
    assert "FAILED" not in worker.task_statuses()
    ids = [d.pk for d in disputes]
    assert set(TriageProposal.objects.values_list("dispute_id", flat=True)) == set(ids)
    assert shared_index().missing(ids) == []
    assert PendingWork.objects.count() == 0
    assert not PROPOSALS.flag.pending() and not ARRIVALS.flag.pending()
