"""Background work of the assets app: asking the registry for a queued search (``db_worker``)."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def run_asset_search(search_id: int) -> dict[str, Any]:
    """Ask the registry; safe to run twice (results are unique per holder and asset)."""
    from .searching import run_search

    return run_search(search_id)


@task()
def check_asset_search(search_id: int, attempt: int) -> dict[str, Any]:
    """The watchdog of one attempt (see ``searching.check_search``)."""
    from .searching import check_search

    return check_search(search_id, attempt)
