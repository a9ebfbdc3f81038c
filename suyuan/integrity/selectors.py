"""Reads of the integrity app, always through the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import Prefetch, QuerySet

from suyuan.accounts.models import User
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import NotPermitted
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import get_visible_dispute, visible_disputes

from .art247 import Match
from .facts import dispute_text
from .index import shared_index
from .models import DisputeGroup, DuplicateFinding, GroupMember
from .risk import RiskReport, assess
from .services import DECIDERS, duplicate_matches
from .text import cosine, shared_terms, vector

OVERFETCH = 20  # index hits per wanted result: scope and "earlier only" filter many out


@dataclass
class MatchRow:
    match: Match
    finding: DuplicateFinding | None


@dataclass
class IntegrityReport:
    dispute: Dispute
    matches: list[MatchRow]
    risk: RiskReport


def integrity_report(actor: User, number: str) -> IntegrityReport:
    """Duplicate-suit matches (live, with any decision already taken) and the risk signals of one dispute."""
    if actor.role not in DECIDERS:
        raise NotPermitted("重复起诉和虚假诉讼风险审查由法院立案人员或法官查看。")
    dispute = get_visible_dispute(actor, number)
    findings = {f.earlier_id: f for f in DuplicateFinding.objects.filter(dispute=dispute).select_related("decided_by")}
    rows = [MatchRow(m, findings.get(m.earlier.key)) for m in duplicate_matches(dispute)]
    return IntegrityReport(dispute=dispute, matches=rows, risk=assess(dispute))


def court_groups(actor: User) -> QuerySet[DisputeGroup]:
    if actor.role not in DECIDERS:
        raise NotPermitted("群体性纠纷由法院立案人员或法官管理。")
    court = actor.organisation.court() if actor.organisation else None
    if court is None:
        return DisputeGroup.objects.none()
    members = GroupMember.objects.select_related("dispute").order_by("joined_at", "pk")
    return (
        DisputeGroup.objects.filter(court=court)
        .select_related("party", "demonstration")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("-last_at", "-pk")
    )


@dataclass
class SimilarCase:
    dispute: Dispute
    similarity: float
    reasons: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)


def _amount_reason(a: Decimal | None, b: Decimal | None) -> str:
    if a is None or b is None or a <= 0 or b <= 0:
        return ""
    ratio = float(min(a, b) / max(a, b))
    if ratio >= 0.8:
        return f"标的额相近（{b:,.0f} 元）"
    return ""


def similar_cases(
    actor: User, *, number: str = "", text: str = "", k: int = 10
) -> tuple[Dispute | None, list[SimilarCase]]:
    """The most similar earlier disputes the actor may see, each with why.

    Candidates come from the vector index (fast, approximate); each is then re-scored exactly
    and explained: shared words, same category, close amounts.
    """
    query: Dispute | None = None
    if number:
        query = get_visible_dispute(actor, number)
        text = dispute_text(query)
        amount = float(query.amount) if query.amount is not None else None
    else:
        text = text.strip()
        amount = None
    if not text:
        return query, []
    qvec = vector(text, amount=amount)
    if not qvec.any():
        return query, []
    hits = shared_index().search(qvec, k * OVERFETCH)
    keys = [int(x) for x in hits.keys]
    qs = visible_disputes(actor).filter(pk__in=keys).prefetch_related("claims")
    if query is not None:
        qs = qs.exclude(pk=query.pk).filter(created_at__lte=query.created_at)
    found = {d.pk: d for d in qs}
    results = []
    for pk in keys:
        d = found.get(pk)
        if d is None:
            continue
        other = dispute_text(d)
        sim = cosine(qvec, vector(other, amount=float(d.amount) if d.amount is not None else None))
        shared = shared_terms(text, other)
        reasons = []
        if shared:
            reasons.append("共同事实要素：" + "、".join(shared[:6]))
        if query is not None and d.category == query.category:
            reasons.append(f"同为{DisputeCategory(d.category).label}")
        elif query is None:
            reasons.append(f"纠纷类别：{DisputeCategory(d.category).label}")
        if query is not None and (r := _amount_reason(query.amount, d.amount)):
            reasons.append(r)
        results.append(SimilarCase(d, float(np.clip(sim, 0, 1)), reasons, shared))
    results.sort(key=lambda r: (-r.similarity, -r.dispute.pk))
    return query, results[:k]
