"""The worker path: retries, partial results, idempotency, and a worker killed mid-request."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from suyuan.assets import services
from suyuan.assets.choices import SearchStatus
from suyuan.assets.common import subject_of
from suyuan.assets.local_registry import LocalRegistry
from suyuan.assets.models import Asset, AssetSearch
from suyuan.assets.searching import check_search, run_search

from .conftest import ENF, ORIGIN

KINDS = ["bank", "real_estate", "vehicle", "securities", "online_payment", "equity"]
ROOT = Path(__file__).resolve().parents[3]


def flaky(rate: float, attempts: int = 10):
    return override_settings(
        SUYUAN_ASSET_REGISTRY={"BACKEND": "suyuan.assets.local_registry.LocalRegistry", "FAILURE_RATE": rate},
        SUYUAN_ASSET_SEARCH_MAX_ATTEMPTS=attempts, SUYUAN_ASSET_SEARCH_BACKOFF_SECONDS=1,
    )


def _search(world, dispute, debtor) -> AssetSearch:
    return services.request_search(actor=world.enforcer, origin=ORIGIN, dispute_id=dispute.pk, holder=ENF,
                                   party_id=debtor.pk, kinds=KINDS)


def _expected(debtor) -> set[tuple[str, str, str]]:
    records = LocalRegistry().search(party=subject_of(debtor), kinds=KINDS).records
    return {(r.kind, r.institution, r.identifier) for r in records}


def _stored() -> set[tuple[str, str, str]]:
    rows = list(Asset.objects.filter(holder=ENF).values_list("kind", "institution", "identifier"))
    assert len(rows) == len(set(rows))
    return set(rows)


@pytest.mark.django_db
def test_partial_results_are_kept_and_the_missing_sources_asked_again(world, dispute, debtor):
    from suyuan.parties.models import Party

    # A fixed identity: the demo registry's answers (and failures) are drawn from it.
    Party.objects.filter(pk=debtor.pk).update(id_number="640221197205160417")
    debtor.refresh_from_db()
    search = _search(world, dispute, debtor)
    with flaky(0.5):
        run_search(search.pk)
        search.refresh_from_db()
        assert search.status in {SearchStatus.PARTIAL, SearchStatus.QUEUED} and search.pending_sources
        first = _stored()
        assert first <= _expected(debtor)
        rounds = 1
        while search.status != SearchStatus.COMPLETED:
            assert search.status in {SearchStatus.PARTIAL, SearchStatus.QUEUED}
            run_search(search.pk)
            search.refresh_from_db()
            rounds += 1
    assert search.status == SearchStatus.COMPLETED and search.attempts == rounds
    assert _stored() == _expected(debtor) and search.pending_sources == []
    kinds = list(dispute.events.filter(kind__startswith="asset_search.").values_list("kind", flat=True))
    assert kinds.count("asset_search.start") == rounds and kinds[-1] == "asset_search.complete"
    # Redelivered after completion: nothing happens, nothing doubles.
    assert run_search(search.pk)["skipped"] is True and _stored() == _expected(debtor)


@pytest.mark.django_db
def test_attempt_limit_marks_failed(world, dispute, debtor):
    search = _search(world, dispute, debtor)
    with flaky(1.0, attempts=3):
        for _ in range(3):
            run_search(search.pk)
    search.refresh_from_db()
    assert search.status == SearchStatus.FAILED and search.attempts == 3 and search.last_error
    assert dispute.events.filter(kind="asset_search.fail").count() == 1
    services_resubmit = dispute.events.filter(kind="asset_search.partial").count()
    assert services_resubmit == 0  # nothing answered: retries, not partial results
    assert dispute.events.filter(kind="asset_search.retry").count() == 2


@pytest.mark.django_db
def test_watchdog_resumes_an_attempt_whose_worker_died(world, dispute, debtor):
    search = _search(world, dispute, debtor)
    AssetSearch.objects.filter(pk=search.pk).update(status=SearchStatus.RUNNING, attempts=1)
    assert check_search(search.pk, 2)["resumed"] is False  # another attempt's watchdog: not ours
    assert check_search(search.pk, 1)["resumed"] is True
    search.refresh_from_db()
    assert search.status == SearchStatus.COMPLETED and search.attempts == 2
    assert check_search(search.pk, 1)["resumed"] is False
    assert _stored() == _expected(debtor)


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _database_url(),
            "SUYUAN_ASSET_SEARCH_LEASE_SECONDS": "1", **extra}


def _wait_for(condition, what: str, limit: float = 120.0) -> None:
    """Wait for another process (not a timed assertion: the limit only stops a hung test)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_request_loses_and_doubles_nothing(world, dispute, debtor):
    search = _search(world, dispute, debtor)  # committed: its task is queued in the database
    slow = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT, env=_worker_env(SUYUAN_ASSET_REGISTRY_LATENCY_MS="600000"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: AssetSearch.objects.get(pk=search.pk).status == SearchStatus.RUNNING,
                  "the worker to start asking the registry")
    finally:
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait()
    search.refresh_from_db()
    assert search.status == SearchStatus.RUNNING and search.attempts == 1 and not Asset.objects.exists()
    # The dead worker's claim stays on its task forever: only the watchdog can resume the search.
    assert DBTaskResult.objects.filter(task_path__endswith="run_asset_search", status="RUNNING").count() == 1
    watchdog = DBTaskResult.objects.get(task_path__endswith="check_asset_search", status="READY")
    _wait_for(lambda: timezone.now() > watchdog.run_after, "the lease to run out")
    subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"], cwd=ROOT,
                   env=_worker_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    search.refresh_from_db()
    assert search.status == SearchStatus.COMPLETED and search.attempts == 2
    assert _stored() == _expected(debtor)
    kinds = list(dispute.events.filter(kind__startswith="asset_search.").values_list("kind", flat=True))
    assert kinds == ["asset_search.requested", "asset_search.start", "asset_search.retry", "asset_search.start",
                     "asset_search.complete"]
