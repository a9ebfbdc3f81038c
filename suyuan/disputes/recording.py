"""Recording one dispute from any channel: its number, parties, claims and first timeline event."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.bulk_rows import new_instance
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import InvalidInput
from suyuan.common.sequences import next_value
from suyuan.parties.models import Party
from suyuan.parties.services import resolve_party

from .choices import Channel, EventKind, PartyRole
from .events import append_event
from .intake import DisputeInput, _Clean, _validate
from .models import Claim, Dispute, DisputeParty, ImportJob


@dataclass
class Recorded:
    dispute: Dispute
    created: bool


def _summary(parties: list[tuple[str, Party]], category: str) -> str:
    applicants = "、".join(p.name for r, p in parties if r == PartyRole.APPLICANT)
    respondents = "、".join(p.name for r, p in parties if r == PartyRole.RESPONDENT)
    text = f"{applicants}与{respondents}{DisputeCategory(category).label}"
    return text if len(text) <= 200 else text[:197] + "…"


def _earlier_duplicate(
    category: str, amount: Decimal | None, party_ids: set[int], exclude: int | None
) -> Dispute | None:
    """An earlier dispute with exactly the same parties, category and amount (caught at the door).

    The full test of 民诉法解释 art. 247 (same parties, subject matter and claims) belongs to
    the integrity app; this catches the plain re-submission. One query: every party is required
    (one join each, so the database starts from the party with the fewest disputes) and no other
    party may be on the dispute.
    """
    if not party_ids:
        return None
    candidates = Dispute.objects.filter(category=category, amount=amount)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    for party_id in sorted(party_ids):
        # Separate filter() calls on a multi-valued relation: one join per party, all required.
        candidates = candidates.filter(dispute_parties__party_id=party_id)
    others = DisputeParty.objects.filter(dispute=OuterRef("pk")).exclude(party_id__in=party_ids)
    return candidates.exclude(Exists(others)).order_by("created_at", "pk").first()


def _by_source_ref(source_ref: str) -> Dispute | None:
    # The unique index on source_ref is partial (blank refs are not unique); repeating its
    # condition lets SQLite use it, which otherwise scans every dispute on each batch row.
    return Dispute.objects.filter(source_ref=source_ref).exclude(source_ref="").first()


def record_dispute(
    *,
    actor: User,
    origin: Origin,
    data: DisputeInput,
    import_job: ImportJob | None = None,
    audit: bool = True,
    source_ref_checked: bool = False,
) -> Recorded:
    """Record a new dispute from any channel; give it its life-long number; start its timeline.

    A ``source_ref`` already on file returns the existing dispute (``created=False``), which makes
    batch re-imports and API retries harmless. ``source_ref_checked``: the caller (a batch job, for
    a chunk of rows at once) has just looked the reference up in this transaction and not found it;
    one written since is still caught by the unique index below.
    """
    if data.source_ref and not source_ref_checked:
        existing = _by_source_ref(data.source_ref)
        if existing is not None:
            return Recorded(existing, created=False)
    clean = _validate(actor, data)
    try:
        with transaction.atomic():
            return Recorded(_create(actor, origin, data, clean, import_job, audit), created=True)
    except IntegrityError:
        if data.source_ref:
            existing = _by_source_ref(data.source_ref)
            if existing is not None:
                return Recorded(existing, created=False)
        raise


def _keep_parties(dispute: Dispute, rows: list[DisputeParty]) -> None:
    """Keep the rows just written on the dispute, as a prefetch would, in the relation's order, so
    that the event sinks (the notices' recipients) do not read them back. Only when every party's
    account is known (found with it, or created just now without one): otherwise the readers'
    own joined query is cheaper.

    The queryset is the related manager's (``dispute.dispute_parties.all()``: filtered on the
    dispute, which is known to its rows), built directly: a batch keeps thousands, and going
    through the manager cost more than the rest of the party rows' work."""
    if not all(Party.user.is_cached(row.party) for row in rows):
        return
    kept: QuerySet[DisputeParty] = QuerySet(model=DisputeParty, hints={"instance": dispute})
    # What the manager's ``_apply_rel_filters`` sets, its filter deferred as there.
    kept._deferred_filter = (False, (), {_PARTY_ROWS_OF.name: dispute})  # type: ignore[attr-defined]
    kept._known_related_objects = {_PARTY_ROWS_OF: {dispute.pk: dispute}}  # type: ignore[attr-defined]
    kept._result_cache = sorted(rows, key=lambda row: (row.role, row.position))
    kept._prefetch_done = True  # type: ignore[attr-defined]
    dispute._prefetched_objects_cache = {"dispute_parties": kept}  # type: ignore[attr-defined]


_PARTY_ROWS_OF = DisputeParty._meta.get_field("dispute")


def _create(
    actor: User, origin: Origin, data: DisputeInput, clean: _Clean, import_job: ImportJob | None, audit: bool
) -> Dispute:
    resolved = [(role, resolve_party(data=p)) for role, p in clean.parties]
    parties = [(role, r.party) for role, r in resolved]
    if len({p.pk for _, p in parties}) != len(parties):
        raise InvalidInput("同一当事人不能重复填写。", errors={"parties": ["同一当事人不能重复填写。"]})
    now = timezone.localtime()
    number = dispute_number(now.year, next_value(f"dispute:{now.year}"))
    dispute = new_dispute(actor=actor, data=data, clean=clean, parties=parties, number=number, import_job=import_job)
    dispute.save(force_insert=True)
    rows = dispute_party_rows(dispute, parties)
    DisputeParty.objects.bulk_create(rows)
    _keep_parties(dispute, rows)
    Claim.objects.bulk_create(claim_rows(dispute, clean))
    flagged = sum(len(r.flagged) for _, r in resolved)
    append_event(dispute=dispute, kind=EventKind.RECORDED, actor=actor, origin=origin, first=True,
                 **recorded_event(data, clean, dispute, parties=len(parties), flagged=flagged))
    # A party created just now has no earlier dispute, so neither has this set of parties.
    new_party = any(r.created for _, r in resolved)
    party_ids = {p.pk for _, p in parties}
    duplicate = None if new_party else _earlier_duplicate(data.category, clean.amount, party_ids, dispute.pk)
    if duplicate is not None:
        dispute.duplicate_of = duplicate
        dispute.save(update_fields=["duplicate_of"])
        append_event(dispute=dispute, kind=EventKind.DUPLICATE_SUSPECTED, actor=None, origin=origin,
                     **duplicate_event(duplicate))
    if audit:
        record_audit(
            actor=actor,
            action=AuditAction.CREATE,
            origin=origin,
            target_type="dispute",
            target_id=dispute.number,
            detail=audit_detail(data),
        )
    return dispute


# --- what a recorded dispute is made of (shared with ``recording_bulk``) ----------------------


def dispute_number(year: int, serial: int) -> str:
    return f"SY-{year}-{serial:06d}"


def new_dispute(
    *,
    actor: User,
    data: DisputeInput,
    clean: _Clean,
    parties: list[tuple[str, Party]],
    number: str,
    import_job: ImportJob | None,
) -> Dispute:
    """The dispute row, not yet written (built as ``Dispute(**fields)`` would build it, without
    ``Model.__init__``'s cost: a batch builds thousands, ``common.bulk_rows.new_instance``)."""
    organisation = actor.organisation
    return new_instance(
        Dispute,
        {
            "number": number,
            "summary": _summary(parties, data.category),
            "category": data.category,
            "description": data.description.strip(),
            "amount": clean.amount,
            "occurred_on": data.occurred_on,
            "rights_known_on": data.rights_known_on,
            "channel": data.channel,
            "authority_kind": data.authority_kind if data.channel == Channel.GRID_WORKER else "",
            "authority_note": data.authority_note.strip()[:200],
            "source_ref": data.source_ref,
        },
        {
            "recorded_by": actor,
            "recorded_by_organisation": organisation,
            "region": clean.region,
            "court": clean.court,
            "handling_organisation": organisation if data.channel == Channel.MEDIATION_ORG else None,
            "mediator": getattr(actor, "mediator", None) if actor.role == Role.MEDIATOR else None,
            "import_job": import_job,
        },
    )


def dispute_party_rows(dispute: Dispute, parties: list[tuple[str, Party]]) -> list[DisputeParty]:
    positions: dict[str, int] = {}
    rows = []
    for role, party in parties:
        positions[role] = positions.get(role, 0) + 1
        rows.append(new_instance(DisputeParty, {"role": role, "position": positions[role]},
                                 {"dispute": dispute, "party": party}))
    return rows


def claim_rows(dispute: Dispute, clean: _Clean) -> list[Claim]:
    return [
        Claim(dispute=dispute, position=i, text=text, amount=amount)
        for i, (text, amount) in enumerate(clean.claims, start=1)
    ]


def recorded_event(
    data: DisputeInput, clean: _Clean, dispute: Dispute, *, parties: int, flagged: int
) -> dict[str, Any]:
    """Summary and data of the ``RECORDED`` event."""
    return {
        "summary": f"{Channel(data.channel).label}登记纠纷，管辖法院：{clean.court.name}",
        "data": {
            "channel": data.channel,
            "region": clean.region.code,
            "court": clean.court.court_code,
            "authority_kind": dispute.authority_kind,
            "parties": parties,
            "possible_same_person_flags": flagged,
            "risk_notice_acknowledged": data.risk_notice_acknowledged,
        },
    }


def duplicate_event(duplicate: Dispute) -> dict[str, Any]:
    """Summary and data of the ``DUPLICATE_SUSPECTED`` event."""
    return {
        "summary": f"当事人、纠纷类别和标的额与 {duplicate.number} 相同，疑似重复登记，请核实。",
        "data": {"duplicate_of": duplicate.number},
    }


def audit_detail(data: DisputeInput) -> dict[str, Any]:
    return {"channel": data.channel}
