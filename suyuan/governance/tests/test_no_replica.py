"""Without a replica (the SQLite demo, the tests, a one-host deployment) nothing is routed (decision 0013)."""

from __future__ import annotations

import re

import pytest
from django.db import connections, router

from suyuan.common.replica import LAG_NOTE, REPLICA, reads_on_replica, serving_from_replica
from suyuan.governance.models import EventCount

from .scenario import build

QUERY = {"start": "2026-01", "end": "2026-02"}


@pytest.mark.django_db
def test_without_a_replica_nothing_is_routed(world, client) -> None:
    assert REPLICA not in connections
    build(world)
    client.force_login(world.leader)
    with reads_on_replica() as on_replica:
        assert not on_replica and not serving_from_replica()
        assert router.db_for_read(EventCount) == "default"
    html = client.get("/governance/", QUERY).content.decode()
    figures = dict(re.findall(r'<td data-figure="([^"]+)">([^<]*)</td>', html))
    assert figures["纠纷登记量（件）"] == "3"
    assert LAG_NOTE not in html and 'id="data-source"' not in html
