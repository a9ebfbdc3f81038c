"""The tracker on a dispute that skipped an optional step (needs the enforcement app: tested up here)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from suyuan.disputes.progress import progress_of

pytestmark = pytest.mark.django_db


def test_voluntary_performance_marks_judicial_confirmation_as_not_needed(world):
    from suyuan.enforcement.tests.conftest import make_performing

    dispute = make_performing(world)
    steps = {s.label: s for s in progress_of(dispute).steps}
    assert steps["司法确认"].state == "skipped"
    assert steps["履行"].state == "current" and steps["履行"].on == timezone.localdate()
    assert steps["强制执行"].state == "todo"
