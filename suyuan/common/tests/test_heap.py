"""A batch job freezes the older objects for its length only, once however deeply nested."""

from __future__ import annotations

import gc

from suyuan.common.heap import batch_heap


def test_frozen_inside_and_given_back_after():
    before = gc.get_freeze_count()
    assert before == 0
    with batch_heap():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with batch_heap():
            assert gc.get_freeze_count() == frozen  # nested: not frozen again
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == 0


def test_given_back_when_the_job_fails():
    try:
        with batch_heap():
            raise RuntimeError("the job failed")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0
