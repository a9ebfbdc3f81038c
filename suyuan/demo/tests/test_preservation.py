"""The demo seed writes preservations through the services (clocks and numbers are real)."""

from __future__ import annotations

import pytest

from suyuan.demo.seed import seed_demo
from suyuan.disputes.models import Clock
from suyuan.preservation.models import Preservation

pytestmark = pytest.mark.django_db


def test_seed_writes_preservations_with_their_clocks():
    seed_demo(seed=7, disputes=400)
    rows = list(Preservation.objects.order_by("pk"))
    assert rows and rows[0].status == "accepted"
    assert Clock.objects.filter(rule="preservation_ruling", object_ref=rows[0].ref, status="open").exists()
    assert all(p.status == "in_force" and "财保" in p.number for p in rows[1:])
