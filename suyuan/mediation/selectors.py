"""Reads of mediation, always through the actor's scope."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import NotFound
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.models import Dispute, DisputeParty
from suyuan.disputes.selectors import remembered_parties, visible_disputes
from suyuan.documents.selectors import signed_parties
from suyuan.network.choices import MediatorStatus
from suyuan.network.models import Mediator, Organisation
from suyuan.parties.models import Party

from . import quality
from .choices import ConsentKind, ReferralStatus
from .models import ACTIVE_LOAD_STATES, Agreement, ConsentRecord, Referral

# Roles that follow a referral from outside the organisation (the referrer, the court, the area).
OBSERVERS = frozenset({Role.CLERK, Role.JUDGE, Role.CENTRE_STAFF, Role.GRID_WORKER, Role.LEADER, Role.PARTY})


def visible_referrals(user: User) -> QuerySet[Referral]:
    """A mediator sees referrals sent to them, an organisation admin their organisation's, a party
    their own disputes', the referrer's side (court, centre, grid, leaders) the disputes they see."""
    if not user.is_active:
        return Referral.objects.none()
    if user.role == Role.MEDIATOR:
        return Referral.objects.filter(mediator__user=user)
    if user.role == Role.ORG_ADMIN:
        if user.organisation_id is None:
            return Referral.objects.none()
        return Referral.objects.filter(organisation_id=user.organisation_id)
    if user.role in OBSERVERS:
        return Referral.objects.filter(dispute__in=visible_disputes(user).values("pk"))
    return Referral.objects.none()


def can_see_referral(user: User, referral: Referral) -> bool:
    return visible_referrals(user).filter(pk=referral.pk).exists()


def get_referral(user: User, pk: int) -> Referral:
    referral = (
        visible_referrals(user)
        .select_related("dispute__region", "dispute__court", "organisation", "mediator", "referred_by")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise NotFound()
    return referral


def organisation_queue(user: User, *, status: str = "") -> QuerySet[Referral]:
    """The organisation admin's queue: what waits for dispatch first, then the rest."""
    qs = visible_referrals(user) if user.role == Role.ORG_ADMIN else Referral.objects.none()
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("dispute", "mediator").order_by("status", "-referred_at", "-pk")


def mediator_referrals(user: User, *, status: str = "") -> QuerySet[Referral]:
    qs = visible_referrals(user) if user.role == Role.MEDIATOR else Referral.objects.none()
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("dispute", "organisation").order_by("-referred_at", "-pk")


def open_referral(dispute: Dispute) -> Referral | None:
    return dispute.referrals.exclude(  # type: ignore[attr-defined]
        status__in=[ReferralStatus.SETTLED, ReferralStatus.FAILED, ReferralStatus.WITHDRAWN]
    ).first()


def latest_referral(dispute: Dispute) -> Referral | None:
    return Referral.objects.filter(dispute=dispute).select_related("organisation", "mediator").order_by(
        "-referred_at", "-pk"
    ).first()


# ---------------------------------------------------------------------------------------------
# Consent ledger
# ---------------------------------------------------------------------------------------------

def mediation_parties(dispute: Dispute) -> list[Party]:
    """Everyone whose consent and signature the mediation needs (all parties of the dispute): the
    rows the dispute page already loaded on this instance (``remembered_parties``), else asked."""
    rows = remembered_parties(dispute)
    if rows is None:
        rows = list(DisputeParty.objects.filter(dispute=dispute).select_related("party").order_by("role", "position"))
    return [row.party for row in rows]


def current_consents(dispute: Dispute) -> dict[tuple[int, str], ConsentRecord]:
    """(party id, kind) → the latest ledger entry; no entry means no consent yet."""
    latest: dict[tuple[int, str], ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(dispute=dispute).select_related("recorded_by").order_by("at", "pk"):
        latest[(record.party_id, record.kind)] = record
    return latest


def has_consent(dispute: Dispute, party: Party, kind: str) -> bool:
    record = (
        ConsentRecord.objects.filter(dispute=dispute, party=party, kind=kind).order_by("-at", "-pk").first()
    )
    return record is not None and record.given


def consent_gap(dispute: Dispute, *, online: bool = False) -> str | None:
    """Why mediation (online mediation) cannot go ahead yet, or None when every party agreed."""
    latest = current_consents(dispute)
    kinds = [ConsentKind.MEDIATION] + ([ConsentKind.ONLINE_MEDIATION] if online else [])
    for kind in kinds:
        refused, missing = [], []
        for party in mediation_parties(dispute):
            record = latest.get((party.pk, kind))
            if record is None:
                missing.append(party.name)
            elif not record.given:
                refused.append(party.name)
        label = "调解" if kind == ConsentKind.MEDIATION else "在线调解"
        if refused:
            return f"当事人{'、'.join(refused)}不同意{label}。"
        if missing:
            return f"尚未取得当事人{'、'.join(missing)}同意{label}的意思表示。"
    return None


def parties_without_consent(*, dispute: Dispute, kind: str = ConsentKind.MEDIATION) -> list[str]:
    """Names of the parties whose latest word on ``kind`` is not "yes" (read by litigation too)."""
    latest = current_consents(dispute)
    return [
        p.name for p in mediation_parties(dispute)
        if (record := latest.get((p.pk, kind))) is None or not record.given
    ]


def consent_history(dispute: Dispute, *, party: Party | None = None) -> QuerySet[ConsentRecord]:
    qs = ConsentRecord.objects.filter(dispute=dispute).select_related("party", "recorded_by")
    if party is not None:
        qs = qs.filter(party=party)
    return qs.order_by("-at", "-pk")


def party_consent_disputes(user: User) -> QuerySet[Dispute]:
    """A party's own disputes (as a party, not merely as recorder) for their consent page."""
    if user.role != Role.PARTY or user.party_id is None:
        return Dispute.objects.none()
    ids = DisputeParty.objects.filter(party_id=user.party_id).values("dispute_id")
    return Dispute.objects.filter(pk__in=ids).order_by("-created_at", "-pk")


# ---------------------------------------------------------------------------------------------
# Agreement
# ---------------------------------------------------------------------------------------------

def signed_party_ids(agreement: Agreement) -> set[int]:
    """Parties who signed the agreement's current document (a revised agreement is a new document)."""
    if agreement.document_id is None:
        return set()
    return signed_parties(agreement.document)  # type: ignore[arg-type]


def unsigned_parties(agreement: Agreement) -> list[Party]:
    signed = signed_party_ids(agreement)
    return [p for p in mediation_parties(agreement.dispute) if p.pk not in signed]


def agreement_of(referral: Referral) -> Agreement | None:
    return Agreement.objects.filter(referral=referral).select_related("document", "offer").first()


# ---------------------------------------------------------------------------------------------
# Recommendation of mediators
# ---------------------------------------------------------------------------------------------

# Weights of the recommendation score (out of 100). Not legal values: a product choice, shown to
# the admin as reasons so they can overrule it.
W_SPECIALTY, W_REGION, W_LOAD, W_RECORD = 40, 25, 20, 15


@dataclass(frozen=True)
class Candidate:
    mediator: Mediator
    score: int
    reasons: list[str]

    def __iter__(self):  # type: ignore[no-untyped-def]
        # Unpacks as (mediator, score, reasons), the documented selector shape.
        return iter((self.mediator, self.score, self.reasons))


def _record_reason(settled: int, failed: int, performed: int) -> tuple[float, str]:
    finished = settled + failed
    if finished == 0:
        return 0.5, "暂无办结记录（按中等水平计）"
    rate = settled / finished
    text = f"调解成功率 {rate:.0%}（办结 {finished} 件，成功 {settled} 件）"
    part = rate
    if settled:
        performed_rate = performed / settled
        text += f"，其中 {performed} 件已履行完毕"
        part = 0.7 * rate + 0.3 * performed_rate
    return part, text


def recommend_mediators(
    dispute: Dispute, organisation: Organisation, *, referral: Referral | None = None
) -> list[Candidate]:
    """Rank the organisation's active mediators for this dispute, with the reasons for each score.

    Specialty (the dispute's category), region served (the place the dispute arose), current load
    against capacity and track record (settlement rate; how many settlements were then performed).
    Each item unpacks as ``(mediator, score, reasons)``.
    """
    declined = set(referral.declined_mediators.values_list("pk", flat=True)) if referral is not None else set()
    current = referral.mediator_id if referral is not None else None
    mediators = (
        Mediator.objects.filter(organisations=organisation, status=MediatorStatus.ACTIVE)
        .annotate(
            load=Count("referrals", filter=Q(referrals__status__in=ACTIVE_LOAD_STATES), distinct=True),
            settled=Count("referrals", filter=Q(referrals__status=ReferralStatus.SETTLED), distinct=True),
            failed=Count("referrals", filter=Q(referrals__status=ReferralStatus.FAILED), distinct=True),
            performed=Count(
                "referrals",
                filter=Q(referrals__status=ReferralStatus.SETTLED, referrals__dispute__status=DisputeStatus.PERFORMED),
                distinct=True,
            ),
        )
        .prefetch_related("regions")
        .order_by("name", "pk")
    )
    category = str(dict(DisputeCategory.choices).get(dispute.category, dispute.category))
    place = dispute.region
    out: list[Candidate] = []
    ranked = list(mediators)
    public = quality.public_notes(m.pk for m in ranked)
    for m in ranked:
        score = Decimal(0)
        reasons: list[str] = []
        if dispute.category in (m.specialties or []):
            score += W_SPECIALTY
            reasons.append(f"擅长{category}")
        else:
            reasons.append(f"未登记擅长{category}")
        served = [r for r in m.regions.all() if place.path == r.path or place.path.startswith(r.path + "/")]
        if served:
            score += W_REGION
            reasons.append(f"服务区域包含纠纷发生地（{served[0].name}）")
        elif not m.regions.all():
            reasons.append("未登记服务区域")
        else:
            reasons.append("服务区域不含纠纷发生地")
        load: int = m.load  # type: ignore[attr-defined]
        free = max(m.capacity - load, 0)
        score += Decimal(W_LOAD * free) / m.capacity
        reasons.append(f"在办 {load} 件 / 上限 {m.capacity} 件" + ("，已满负荷" if free == 0 else ""))
        part, text = _record_reason(m.settled, m.failed, m.performed)  # type: ignore[attr-defined]
        notes = public.get(m.pk, [])
        score += Decimal(str(W_RECORD * quality.blend(part, notes)))
        reasons.append(text)
        reasons.extend(n.text for n in notes)
        if free == 0:
            score = Decimal(0)
        if m.pk in declined:
            score = Decimal(0)
            reasons.append("曾拒收本案")
        if m.pk == current:
            reasons.append("当前承办人")
        out.append(Candidate(m, int(score.to_integral_value()), reasons))
    out.sort(key=lambda c: (-c.score, c.mediator.name, c.mediator.pk))
    return out
