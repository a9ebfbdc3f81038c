"""The leaders' pages on a real streaming replica (decision 0013), and nothing routed without one.

On PostgreSQL a hot standby of the test primary is started for this module (``scripts/pg.sh
standby``: ``pg_basebackup -R`` and streaming replication). With its replay paused, a row written
on the primary is on the primary's figures but not on the page — the page is served from the
replica; after replay it is. The replica refuses writes, so a write routed there fails loudly, and
a replica too far behind is skipped. SQLite has no replication: those tests skip there (test_no_replica.py runs on both
engines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from io import BytesIO

import pytest
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connections, router, transaction
from django.db.models import F
from openpyxl import load_workbook

from suyuan.accounts.models import AuditEntry
from suyuan.common.replica import LAG_NOTE, REPLICA, reads_on_replica, serving_from_replica
from suyuan.governance import selectors
from suyuan.governance.models import EventCount
from suyuan.governance.selectors import Filters

from .scenario import build

QUERY = {"start": "2026-01", "end": "2026-02"}
PERIOD = Filters(date(2026, 1, 1), date(2026, 2, 1))
BOTH = ["default", REPLICA]
DISPUTES = "纠纷登记量（件）"


def _figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'<td data-figure="([^"]+)">([^<]*)</td>', html))


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A hot standby of the test primary as the ``replica`` alias, for this module's tests."""
    from suyuan.testing.replica import hot_standby, replica_alias

    primary = connections["default"].settings_dict
    if primary["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("SQLite 无流复制，只读副本仅在 PostgreSQL 上测试 / SQLite has no streaming replica: "
                    "the replica is proved on PostgreSQL only")
    with hot_standby(primary) as settings_dict, replica_alias(settings_dict):
        yield


@pytest.fixture
def leader(replica, world, client):  # type: ignore[no-untyped-def]
    """The hand-computed scenario, the leader signed in, and all of it replayed on the standby."""
    from suyuan.testing.replica import wait_for_replay

    build(world)
    client.force_login(world.leader)
    wait_for_replay()
    return world.leader


# Each test here is transactional (the standby sees only committed rows) and builds the scenario
# again, so the checks are grouped into a few tests to keep the module short.


def _one_more_dispute() -> None:
    """On the primary: one more dispute recorded in the period (the fact cell bumped by one)."""
    cell = EventCount.objects.filter(kind=selectors.RECORDED, month=date(2026, 1, 1)).order_by("pk").first()
    assert cell is not None
    EventCount.objects.filter(pk=cell.pk).update(n=F("n") + 1)


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_leaders_pages_are_served_from_the_replica_and_catch_up_after_replay(leader, client) -> None:
    from django.core.cache import cache

    from suyuan.testing.replica import replay_paused, wait_for_receipt, wait_for_replay

    page = client.get("/governance/", QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    assert _figures(html)[DISPUTES] == "3"
    assert LAG_NOTE in html and 'id="data-source"' in html  # the lag, stated with the figures

    with replay_paused():
        _one_more_dispute()
        wait_for_receipt()  # the standby has the change, but does not apply it
        assert selectors.dashboard(leader, PERIOD).totals.disputes == 4  # the primary's figure
        assert _figures(client.get("/governance/", QUERY).content.decode())[DISPUTES] == "3"  # not the primary's
        report = client.get("/governance/report/", QUERY).content.decode()
        assert LAG_NOTE in report and _figures(report)[DISPUTES] == "3"
        export = client.get("/governance/report.xlsx", QUERY)
        assert export.status_code == 200
        sheet = {r[0]: r for r in load_workbook(BytesIO(export.content))["指标"].iter_rows(values_only=True)}
        assert sheet[DISPUTES][1] == "3" and sheet["数据来源"][2] == LAG_NOTE
        # The export's audit row was written (and its chain head read) on the primary.
        assert AuditEntry.objects.filter(target_type="governance_report", detail__format="xlsx").exists()
    wait_for_replay()
    assert _figures(client.get("/governance/", QUERY).content.decode())[DISPUTES] == "4"

    cache.clear()
    client.logout()
    public = client.get("/governance/public/")
    assert public.status_code == 200 and LAG_NOTE in public.content.decode()


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_replica_refuses_writes_and_reads_that_decide_writes_stay_on_the_primary(replica) -> None:
    from suyuan.testing.replica import wait_for_replay

    cell = EventCount.objects.create(month=date(2026, 1, 1), kind=selectors.RECORDED, category="x", channel="y", n=1)
    wait_for_replay()
    with pytest.raises(DatabaseError, match="read-only"):
        EventCount.objects.using(REPLICA).filter(pk=cell.pk).update(n=F("n") + 1)
    with reads_on_replica() as on_replica:
        assert on_replica and serving_from_replica()
        assert router.db_for_read(EventCount) == REPLICA
        assert router.db_for_read(Session) == "default"  # sessions: read where they are written
        assert router.db_for_read(AuditEntry) == "default"
        with transaction.atomic():  # inside a transaction a read decides a write
            assert EventCount.objects.get(pk=cell.pk)._state.db == "default"
        replica_copy = EventCount.objects.get(pk=cell.pk)
    assert replica_copy._state.db == REPLICA
    assert router.db_for_read(EventCount) == "default"  # outside the block nothing is routed
    replica_copy.n = 100
    with pytest.raises(DatabaseError, match="read-only"):
        replica_copy.save()  # a row read on the replica is not silently written over the primary's
    assert EventCount.objects.get(pk=cell.pk).n == 1


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_replica_that_lags_or_does_not_answer_is_skipped(leader, client, settings) -> None:
    from suyuan.testing.replica import replay_paused, wait_for_receipt

    settings.SUYUAN_REPLICA_MAX_LAG_SECONDS = 0
    with replay_paused():
        _one_more_dispute()
        wait_for_receipt()
        html = client.get("/governance/", QUERY).content.decode()
    assert _figures(html)[DISPUTES] == "4"  # current figures from the primary
    assert LAG_NOTE not in html

    settings.SUYUAN_REPLICA_MAX_LAG_SECONDS = 30
    connections[REPLICA].close()
    connections.settings[REPLICA]["PORT"], port = "1", connections.settings[REPLICA]["PORT"]
    try:
        html = client.get("/governance/", QUERY).content.decode()
    finally:
        connections[REPLICA].close()
        connections.settings[REPLICA]["PORT"] = port
    assert _figures(html)[DISPUTES] == "4" and LAG_NOTE not in html
