"""Reads of the assets app. Consumers pass the actor; staff outside the court see nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from suyuan.accounts.models import User
from suyuan.disputes.selectors import visible_disputes

from .choices import MeasureStatus
from .models import Asset, AssetSearch, Measure


def _scoped[Q: QuerySet](rows: Q, actor: User | None) -> Q:
    if actor is None:
        return rows
    return rows.filter(dispute__in=visible_disputes(actor))  # type: ignore[no-any-return]


def measures_of(holder: str, actor: User | None = None) -> QuerySet[Measure]:
    return _scoped(Measure.objects.filter(holder=holder).select_related("asset", "asset__party"), actor)


def active_measures_of(holder: str, actor: User | None = None) -> QuerySet[Measure]:
    return measures_of(holder, actor).filter(status=MeasureStatus.ACTIVE)


def assets_of(holder: str, actor: User | None = None) -> QuerySet[Asset]:
    return _scoped(Asset.objects.filter(holder=holder).select_related("party"), actor)


def searches_of(holder: str, actor: User | None = None) -> QuerySet[AssetSearch]:
    return _scoped(AssetSearch.objects.filter(holder=holder).select_related("party"), actor)


def controlled_total(holder: str) -> Decimal:
    return sum((m.amount for m in Measure.objects.filter(holder=holder, status=MeasureStatus.ACTIVE)), Decimal("0"))


def over_seizure(holder: str, claim_amount: Decimal) -> Decimal:
    """How much the holder's active measures exceed the claim (0 when they do not)."""
    return max(controlled_total(holder) - Decimal(claim_amount), Decimal("0"))


@dataclass(frozen=True)
class SearchOutcome:
    search: AssetSearch
    found: list[Asset]
    pending_sources: list[str]
    requested_at: datetime
    completed_at: datetime | None
    attempts: int


def search_outcome(search: AssetSearch) -> SearchOutcome:
    return SearchOutcome(search=search, found=list(search.assets.order_by("kind", "institution", "pk")),
                         pending_sources=list(search.pending_sources), requested_at=search.requested_at,
                         completed_at=search.completed_at, attempts=search.attempts)
