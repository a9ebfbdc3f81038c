"""Several web hosts: each keeps its own copy of the similar-case index, rebuilt from the database
and kept current from the timeline events (no state only one process knows)."""

from __future__ import annotations

import pytest

from suyuan.integrity.index import shared_index
from suyuan.integrity.services import follow_events

from .conftest import company, person, record

pytestmark = pytest.mark.django_db


def _record(world, n: int):  # type: ignore[no-untyped-def]
    return record(world, person(f"申请人{n}"), company(f"某某公司{n}"), description=f"拖欠货款第{n}批，催讨未果。",
                  claims=[("请求支付货款", "1000")])


def test_each_host_rebuilds_its_copy_and_follows_the_event_stream(world, settings, tmp_path):
    first, second = _record(world, 1), _record(world, 2)
    settings.SUYUAN_INTEGRITY_INDEX_DIR = str(tmp_path / "host-a")
    assert follow_events() == 0  # a fresh copy is rebuilt from the database, then follows
    host_a = shared_index()
    assert host_a.missing([first.pk, second.pk]) == []

    third = _record(world, 3)  # recorded on another host: only the event stream tells host A
    assert host_a.missing([third.pk]) == [third.pk]
    assert follow_events() == 1
    assert host_a.missing([third.pk]) == []
    assert follow_events() == 0  # the cursor moved on: nothing is indexed twice

    settings.SUYUAN_INTEGRITY_INDEX_DIR = str(tmp_path / "host-b")  # a second host, its own disk
    follow_events()
    host_b = shared_index()
    assert host_b is not host_a
    assert host_b.missing([first.pk, second.pk, third.pk]) == []
