"""Follow-up queues (common.pending): durable with the write, one wake-up for many arrivals, in
order, nothing lost when a batch fails or a drain stops half-way (issue 15, R5)."""

from __future__ import annotations

import pytest
from django.db import transaction

from suyuan.common.models import PendingWork
from suyuan.common.pending import PendingQueue

pytestmark = pytest.mark.django_db(transaction=True)


class Recorder:
    def __init__(self) -> None:
        self.wakeups = 0
        self.done: list[list[int]] = []

    def enqueue(self) -> None:
        self.wakeups += 1

    def work(self, ids: list[int]) -> None:
        self.done.append(ids)


def test_one_wakeup_for_many_committed_arrivals_and_none_for_a_rolled_back_one():
    rec = Recorder()
    queue = PendingQueue("test.q", rec.enqueue, batch=3)
    for pk in (5, 6, 7, 8):
        with transaction.atomic():
            queue.add([pk])
    def failed_intake() -> None:
        with transaction.atomic():
            queue.add([99])
            raise RuntimeError("the intake failed")

    with pytest.raises(RuntimeError):
        failed_intake()
    assert rec.wakeups == 1 and queue.flag.pending()
    assert queue.waiting() == 4  # 99 went with its transaction

    assert queue.wake(rec.work) == 4
    assert rec.done == [[5, 6, 7], [8]]  # arrival order, a batch per transaction
    assert queue.waiting() == 0 and not queue.flag.pending()
    with transaction.atomic():
        queue.add([9])
    assert rec.wakeups == 2  # the wake-up ran: the next arrival asks again


def test_a_drain_that_reaches_its_limit_asks_for_one_more_turn():
    rec = Recorder()
    queue = PendingQueue("test.q", rec.enqueue, batch=2, limit=4)
    with transaction.atomic():
        queue.add(range(1, 8))
    assert rec.wakeups == 1
    assert queue.wake(rec.work) == 4
    assert queue.waiting() == 3 and rec.wakeups == 2 and queue.flag.pending()
    assert queue.wake(rec.work) == 3
    assert [pk for batch in rec.done for pk in batch] == list(range(1, 8))
    assert rec.wakeups == 2


def test_a_failing_batch_rolls_back_and_only_the_bad_object_is_set_aside():
    rec = Recorder()
    queue = PendingQueue("test.q", rec.enqueue, batch=10)
    with transaction.atomic():
        queue.add([1, 2, 3, 4])
    written: list[int] = []

    def work(ids: list[int]) -> None:
        PendingWork.objects.create(queue="test.side-effect", object_id=ids[0])  # rolled back with a failure
        if 3 in ids:
            raise ValueError("cannot do 3")
        written.extend(ids)

    assert queue.wake(work) == 4
    assert written == [1, 2, 4]
    bad = PendingWork.objects.get(queue="test.q")
    assert bad.object_id == 3 and bad.failed_at is not None and "cannot do 3" in bad.error
    assert queue.waiting() == 0  # set aside: the queue is not blocked behind it
    # Only the successful single runs' side effects remain (the failed batch's and 3's rolled back).
    assert sorted(PendingWork.objects.filter(queue="test.side-effect").values_list("object_id", flat=True)) == [1, 2, 4]


def test_the_same_object_added_twice_is_worked_once_per_batch():
    rec = Recorder()
    queue = PendingQueue("test.q", rec.enqueue)
    with transaction.atomic():
        queue.add([4, 4, 5])
    assert queue.wake(rec.work) == 3
    assert rec.done == [[4, 5]]


def test_a_set_aside_object_goes_back_in_line_behind_the_waiting_ones_on_retry():
    rec = Recorder()
    queue = PendingQueue("test.q", rec.enqueue, batch=10)
    with transaction.atomic():
        queue.add([1, 2, 3])

    def work(ids: list[int]) -> None:
        if 2 in ids:
            raise ValueError("cannot do 2")
        rec.work(ids)

    queue.wake(work)
    assert list(queue.set_aside().values_list("object_id", flat=True)) == [2]
    with transaction.atomic():
        queue.add([4])
    assert queue.retry([99]) == 0  # not set aside: nothing to put back
    assert queue.retry() == 1
    assert not queue.set_aside().exists() and queue.waiting() == 2
    rec.done.clear()
    assert queue.wake(rec.work) == 2
    assert rec.done == [[4, 2]]  # the retried object queued behind the one that arrived meanwhile
