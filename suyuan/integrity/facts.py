"""Disputes from the database as plain facts for the comparisons (one query per batch)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch

from suyuan.disputes.choices import PartyRole
from suyuan.disputes.models import Claim, Dispute, DisputeParty

from .art247 import CaseFacts


def dispute_text(dispute: Dispute, claims: Iterable[Claim] | None = None) -> str:
    """What a similar-case search compares: the facts and the claims."""
    claim_list = claims if claims is not None else dispute.claims.all()
    return dispute.description + "\n" + "\n".join(c.text for c in claim_list)


def facts_of(disputes: Iterable[Dispute]) -> list[CaseFacts]:
    ids = [d.pk for d in disputes]
    rows = (
        Dispute.objects.filter(pk__in=ids)
        .prefetch_related(
            Prefetch("dispute_parties", queryset=DisputeParty.objects.select_related("party")),
            Prefetch("claims", queryset=Claim.objects.order_by("position")),
        )
    )
    out = []
    for d in rows:
        parties = list(d.dispute_parties.all())
        out.append(CaseFacts(
            key=d.pk,
            number=d.number,
            category=d.category,
            description=d.description,
            amount=float(d.amount) if d.amount is not None else None,
            claims=[(c.text, float(c.amount) if c.amount is not None else None) for c in d.claims.all()],
            applicants=frozenset(p.party_id for p in parties if p.role == PartyRole.APPLICANT),
            respondents=frozenset(p.party_id for p in parties if p.role == PartyRole.RESPONDENT),
            names={p.party_id: p.party.name for p in parties},
            status=d.status,
        ))
    order = {pk: i for i, pk in enumerate(ids)}
    out.sort(key=lambda f: order[f.key])
    return out


def earlier_sharing_parties(dispute: Dispute) -> list[Dispute]:
    """Earlier disputes sharing at least two of this dispute's parties (one on each side at best).

    Found through the party index. A dispute sharing two parties shares at least one that is not
    the busiest of them, so the search starts from the others' disputes: a bank with thousands of
    disputes is counted through the index, never grouped row by row (a batch's checks would
    otherwise grow with the square of its size).
    """
    party_ids = list(DisputeParty.objects.filter(dispute=dispute).values_list("party_id", flat=True))
    if len(party_ids) < 2:
        return []
    load = dict(
        DisputeParty.objects.filter(party_id__in=party_ids).values("party_id").annotate(n=Count("id"))
        .values_list("party_id", "n")
    )
    busiest = max(party_ids, key=lambda pk: (load.get(pk, 0), pk))
    reachable = set(
        DisputeParty.objects.filter(party_id__in=[pk for pk in party_ids if pk != busiest])
        .exclude(dispute_id=dispute.pk).values_list("dispute_id", flat=True)
    )
    if not reachable:
        return []
    ids = (
        DisputeParty.objects.filter(party_id__in=party_ids, dispute__created_at__lte=dispute.created_at,
                                    dispute_id__in=reachable)
        .exclude(dispute_id=dispute.pk)
        .values("dispute_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values_list("dispute_id", flat=True)
    )
    return list(Dispute.objects.filter(pk__in=list(ids)).order_by("created_at", "pk"))
