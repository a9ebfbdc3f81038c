"""The worker side of a search: ask the registry, store what it found, retry what did not answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from suyuan.accounts.context import WORKER
from suyuan.disputes.workflow import apply

from .adapters import RegistryError, get_registry
from .choices import AssetSource, SearchStatus
from .common import subject_of
from .lifecycle import ASSET_SEARCH
from .models import Asset, AssetSearch


def max_attempts() -> int:
    return int(getattr(settings, "SUYUAN_ASSET_SEARCH_MAX_ATTEMPTS", 4))


def backoff_seconds(attempt: int) -> int:
    base = int(getattr(settings, "SUYUAN_ASSET_SEARCH_BACKOFF_SECONDS", 30))
    return base * (2 ** max(attempt - 1, 0))


def run_search(search_id: int) -> dict[str, Any]:
    search = AssetSearch.objects.select_related("party").filter(pk=search_id).first()
    if search is None or search.status in {SearchStatus.COMPLETED, SearchStatus.FAILED}:
        return {"search": search_id, "skipped": True}
    if search.status == SearchStatus.RUNNING:
        # Another delivery is (or was) asking the registry; if its worker died, the watchdog
        # queued with it (``check_search``) takes over once the lease has run out.
        return {"search": search_id, "skipped": True}
    with transaction.atomic():
        # The watchdog's task row is written in the same transaction as "running": a worker
        # killed right after this commit still leaves the watchdog to resume the search.
        search = apply_step(search, "start", attempts=search.attempts + 1)
        _watch(search)
    registry = get_registry()
    only = list(search.pending_sources) or None
    try:
        response = registry.search(party=subject_of(search.party), kinds=search.kinds, only=only)
    except RegistryError as exc:
        return _retry_or_fail(search, f"查控网络暂未反馈：{exc}", pending=only or registry.sources(search.kinds))
    stored = _store(search, response.records)
    if response.pending_sources:
        return _retry_or_fail(search, "部分机构未反馈", pending=response.pending_sources, stored=stored)
    apply_step(search, "complete", completed_at=timezone.now(), pending_sources=[], last_error="",
               summary=f"查询完成，共发现财产 {search.assets.count()} 项")
    return {"search": search_id, "status": SearchStatus.COMPLETED, "stored": stored}


def lease_seconds() -> int:
    return int(getattr(settings, "SUYUAN_ASSET_SEARCH_LEASE_SECONDS", 300))


def _watch(search: AssetSearch) -> None:
    """Queue the watchdog of this attempt: a worker killed mid-request leaves the search running
    and its task claimed forever; the watchdog, run by any worker after the lease, resumes it."""
    from .tasks import check_asset_search

    check_asset_search.using(run_after=timezone.now() + timedelta(seconds=lease_seconds())).enqueue(
        search.pk, search.attempts)


def check_search(search_id: int, attempt: int) -> dict[str, Any]:
    """The watchdog: still running on the same attempt after the lease means its worker died."""
    search = AssetSearch.objects.filter(pk=search_id, status=SearchStatus.RUNNING, attempts=attempt).first()
    if search is None:
        return {"search": search_id, "attempt": attempt, "resumed": False}
    if search.attempts >= max_attempts():
        apply_step(search, "fail", last_error="查询进程中断", completed_at=timezone.now(),
                   summary=f"已查询 {search.attempts} 次仍未完成，查询失败")
        return {"search": search_id, "attempt": attempt, "resumed": False}
    apply_step(search, "retry", last_error="查询进程中断",
               summary=f"第{attempt}次查询未在 {lease_seconds()} 秒内完成（查询进程中断），重新查询")
    return {"search": search_id, "attempt": attempt, "resumed": True, **run_search(search_id)}


def _store(search: AssetSearch, records: list[Any]) -> int:
    """Insert what is new; a repeated delivery finds the rows there (unique per holder and asset)."""
    created = 0
    with transaction.atomic():
        for record in records:
            _, made = Asset.objects.get_or_create(
                holder=search.holder, kind=record.kind, institution=record.institution, identifier=record.identifier,
                defaults={"dispute_id": search.dispute_id, "party_id": search.party_id,
                          "description": record.description, "value": record.value,
                          "source": AssetSource.SEARCH, "search": search},
            )
            created += int(made)
    return created


def _retry_or_fail(search: AssetSearch, error: str, *, pending: list[str], stored: int = 0) -> dict[str, Any]:
    from .services import enqueue_search

    names = "、".join(pending)
    if search.attempts >= max_attempts():
        apply_step(search, "fail", last_error=error, pending_sources=pending, completed_at=timezone.now(),
                   summary=f"已查询 {search.attempts} 次仍未获反馈（{names}），查询失败")
        return {"search": search.pk, "status": SearchStatus.FAILED, "stored": stored}
    delay = backoff_seconds(search.attempts)
    # Partial: some institutions answered and what they found is stored; retry: none did.
    action = "partial" if search.assets.exists() else "retry"
    apply_step(search, action, last_error=error, pending_sources=pending,
               next_attempt_at=timezone.now() + timedelta(seconds=delay),
               summary=f"第{search.attempts}次查询：{names}未反馈，{delay} 秒后重查")
    transaction.on_commit(lambda: enqueue_search(search.pk, delay_seconds=delay))
    return {"search": search.pk, "status": action, "stored": stored}


def apply_step(search: AssetSearch, action: str, *, summary: str = "", **fields: Any) -> AssetSearch:
    def effect(row: AssetSearch) -> None:
        for name, value in fields.items():
            setattr(row, name, value)

    return apply(
        ASSET_SEARCH, search, action, actor=None, origin=WORKER, effect=effect, summary=summary,
        data={"holder": search.holder, "attempt": fields.get("attempts", search.attempts)})
