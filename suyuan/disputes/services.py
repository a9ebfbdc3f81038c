"""Writes of the disputes app. Each service is one use case: validated, scoped, atomic, evented."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.sequences import next_value
from suyuan.network.models import Organisation, Region
from suyuan.network.selectors import court_for_region, region_by_code
from suyuan.parties.choices import MatchFlagStatus
from suyuan.parties.models import Party, PartyMatchFlag
from suyuan.parties.services import PartyInput, remembered_parties, resolve_party

from . import permissions, selectors
from .choices import AuthorityKind, Channel, EventKind, PartyRole
from .events import append_event
from .evidence import check_evidence_file
from .models import Claim, Dispute, DisputeParty, Evidence, ImportJob
from .selectors import get_visible_dispute

MAX_AMOUNT = Decimal("1000000000000")  # a sanity bound on typing errors, not a legal threshold


@dataclass
class ClaimInput:
    text: str
    amount: str | Decimal | None = None


@dataclass
class DisputeInput:
    """A dispute as submitted at any channel, before validation."""

    channel: str
    category: str
    description: str
    region_code: str
    parties: list[tuple[str, PartyInput]]
    claims: list[ClaimInput]
    amount: str | Decimal | None = None
    occurred_on: date | None = None
    rights_known_on: date | None = None  # starts the limitation period (民法典 第一百八十八条)
    authority_kind: str = ""
    authority_note: str = ""
    source_ref: str = ""
    risk_notice_acknowledged: bool = False
    extra_errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Recorded:
    dispute: Dispute
    created: bool


def parse_amount(value: str | Decimal | None, *, label: str = "标的额") -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"{label}应为数字（单位：元）。") from exc
    if not amount.is_finite():
        raise ValueError(f"{label}应为数字（单位：元）。")
    if amount < 0:
        raise ValueError(f"{label}不能为负数。")
    if amount >= MAX_AMOUNT:
        raise ValueError(f"{label}超出可登记范围，请核对单位（元）。")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{label}最多保留两位小数。")
    return amount.quantize(Decimal("0.01"))


@dataclass
class _Clean:
    region: Region
    court: Organisation
    amount: Decimal | None
    claims: list[tuple[str, Decimal | None]]
    parties: list[tuple[str, PartyInput]]


class _Errors(dict[str, list[str]]):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)


def _validate(actor: User, data: DisputeInput) -> _Clean:
    """Check everything a user can get wrong and report it all at once, in Chinese."""
    if not permissions.can_record(actor, data.channel):
        raise NotPermitted("您的角色不能通过该渠道登记纠纷。")
    errors = _Errors(data.extra_errors)
    amount, claims = _check_content(data, errors)
    region, court = _check_place(actor, data, errors)
    parties = _check_parties(actor, data, errors)
    if errors:
        raise InvalidInput("提交的信息有误，请按提示修改。", errors=dict(errors))
    assert region is not None and court is not None
    return _Clean(region=region, court=court, amount=amount, claims=claims, parties=parties)


def _check_content(data: DisputeInput, errors: _Errors) -> tuple[Decimal | None, list[tuple[str, Decimal | None]]]:
    if data.category not in DisputeCategory.values:
        errors.add("category", "请选择纠纷类别。")
    description = data.description.strip()
    if len(description) < 10:
        errors.add("description", "请简要说明事实与理由（不少于 10 个字）。")
    elif len(description) > 5000:
        errors.add("description", "事实与理由不得超过 5000 字。")
    if data.channel == Channel.GRID_WORKER and data.authority_kind not in AuthorityKind.values:
        errors.add("authority_kind", "网格员代为登记须记录当事人的授权方式。")
    amount = None
    try:
        amount = parse_amount(data.amount)
    except ValueError as exc:
        errors.add("amount", str(exc))
    claims: list[tuple[str, Decimal | None]] = []
    for i, claim in enumerate(data.claims, start=1):
        text = claim.text.strip()
        if not text:
            continue
        if len(text) > 500:
            errors.add("claims", f"第 {i} 项请求过长（不超过 500 字）。")
        try:
            claims.append((text, parse_amount(claim.amount, label=f"第 {i} 项请求金额")))
        except ValueError as exc:
            errors.add("claims", str(exc))
    if not claims:
        errors.add("claims", "请至少填写一项请求事项。")
    return amount, claims


# Region code → (region, court), remembered while one batch job runs (``batch_intake``).
_PLACES: ContextVar[dict[str, tuple[Region | None, Organisation | None]] | None] = ContextVar(
    "suyuan_intake_places", default=None
)


@contextmanager
def batch_intake() -> Iterator[None]:
    """Remember, for the rows of one batch job only, what is the same on every row: the region and
    court of each place code, and parties on file that the rows leave unchanged (the institution
    itself). Validation and its messages are unchanged; only the repeated look-ups are saved."""
    token = _PLACES.set({})
    try:
        with remembered_parties():
            yield
    finally:
        _PLACES.reset(token)


def _region_and_court(code: str) -> tuple[Region | None, Organisation | None]:
    places = _PLACES.get()
    if places is not None and code in places:
        return places[code]
    region = region_by_code(code) if code else None
    court = court_for_region(region) if region is not None else None
    if places is not None:
        places[code] = (region, court)
    return region, court


def _check_place(actor: User, data: DisputeInput, errors: _Errors) -> tuple[Region | None, Organisation | None]:
    region, court = _region_and_court(data.region_code)
    if region is None:
        errors.add("region_code", "请选择纠纷发生地。")
    elif court is None:
        errors.add("region_code", "该地区不在本平台服务范围内。")
    elif not _region_in_actor_scope(actor, region):
        errors.add("region_code", "纠纷发生地不在您负责的区域内。")
    if actor.role == Role.CLERK and data.channel == Channel.COURT_WINDOW and actor.organisation:
        # A party who comes to a court's window is received by that court.
        court = actor.organisation.court() or court
    return region, court


def _check_parties(actor: User, data: DisputeInput, errors: _Errors) -> list[tuple[str, PartyInput]]:
    parties: list[tuple[str, PartyInput]] = []
    party_errors = False
    for i, (role, party) in enumerate(data.parties):
        if role not in PartyRole.values:
            errors.add(f"parties.{i}.role", "当事人诉讼地位无效。")
            party_errors = True
            continue
        try:
            cleaned = party.cleaned(prefix=f"parties.{i}.", phone_required=(role == PartyRole.APPLICANT))
        except InvalidInput as exc:
            for key, messages in exc.errors.items():
                for message in messages:
                    errors.add(key, message)
            party_errors = True
            continue
        parties.append((role, cleaned))
    roles_seen = {role for role, _ in parties}
    if not party_errors:
        if PartyRole.APPLICANT not in roles_seen:
            errors.add("parties", "请填写申请人。")
        if PartyRole.RESPONDENT not in roles_seen:
            errors.add("parties", "请填写被申请人。")
    identities = [p.id_number or p.credit_code for _, p in parties if p.id_number or p.credit_code]
    if len(identities) != len(set(identities)):
        errors.add("parties", "同一当事人不能重复填写。")
    if actor.role == Role.PARTY and data.channel == Channel.SELF_SERVICE:
        own = actor.party
        if own is None or not any(
            role == PartyRole.APPLICANT and (p.id_number or p.credit_code) == own.identity_number
            for role, p in parties
        ):
            errors.add("parties", "自助登记时，您本人须为申请人之一。")
    return parties


def _region_in_actor_scope(actor: User, region: Region) -> bool:
    if actor.role == Role.GRID_WORKER:
        worker = getattr(actor, "grid_worker", None)
        paths = list(worker.grids.values_list("path", flat=True)) if worker else []
        return any(region.path.startswith(p) for p in paths)
    if actor.role == Role.CENTRE_STAFF and actor.organisation is not None:
        return region.path.startswith(actor.organisation.region.path)
    return True


def _summary(parties: list[tuple[str, Party]], category: str) -> str:
    applicants = "、".join(p.name for r, p in parties if r == PartyRole.APPLICANT)
    respondents = "、".join(p.name for r, p in parties if r == PartyRole.RESPONDENT)
    text = f"{applicants}与{respondents}{DisputeCategory(category).label}"
    return text if len(text) <= 200 else text[:197] + "…"


def _earlier_duplicate(category: str, amount: Decimal | None, party_ids: set[int], exclude: int) -> Dispute | None:
    """An earlier dispute with exactly the same parties, category and amount (caught at the door).

    The full test of 民诉法解释 art. 247 (same parties, subject matter and claims) belongs to
    the integrity app; this catches the plain re-submission. One query: every party is required
    (one join each, so the database starts from the party with the fewest disputes) and no other
    party may be on the dispute.
    """
    if not party_ids:
        return None
    candidates = Dispute.objects.filter(category=category, amount=amount).exclude(pk=exclude)
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
    own joined query is cheaper."""
    if not all(Party.user.is_cached(row.party) for row in rows):
        return
    kept = dispute.dispute_parties.all()
    kept._result_cache = sorted(rows, key=lambda row: (row.role, row.position))
    kept._prefetch_done = True  # type: ignore[attr-defined]
    dispute._prefetched_objects_cache = {"dispute_parties": kept}  # type: ignore[attr-defined]


def _create(
    actor: User, origin: Origin, data: DisputeInput, clean: _Clean, import_job: ImportJob | None, audit: bool
) -> Dispute:
    resolved = [(role, resolve_party(data=p)) for role, p in clean.parties]
    parties = [(role, r.party) for role, r in resolved]
    if len({p.pk for _, p in parties}) != len(parties):
        raise InvalidInput("同一当事人不能重复填写。", errors={"parties": ["同一当事人不能重复填写。"]})
    now = timezone.localtime()
    number = f"SY-{now.year}-{next_value(f'dispute:{now.year}'):06d}"
    organisation = actor.organisation
    dispute = Dispute.objects.create(
        number=number,
        summary=_summary(parties, data.category),
        category=data.category,
        description=data.description.strip(),
        amount=clean.amount,
        occurred_on=data.occurred_on,
        rights_known_on=data.rights_known_on,
        channel=data.channel,
        recorded_by=actor,
        recorded_by_organisation=organisation,
        authority_kind=data.authority_kind if data.channel == Channel.GRID_WORKER else "",
        authority_note=data.authority_note.strip()[:200],
        region=clean.region,
        court=clean.court,
        handling_organisation=organisation if data.channel == Channel.MEDIATION_ORG else None,
        mediator=getattr(actor, "mediator", None) if actor.role == Role.MEDIATOR else None,
        source_ref=data.source_ref,
        import_job=import_job,
    )
    positions: dict[str, int] = {}
    rows = []
    for role, party in parties:
        positions[role] = positions.get(role, 0) + 1
        rows.append(DisputeParty(dispute=dispute, party=party, role=role, position=positions[role]))
    DisputeParty.objects.bulk_create(rows)
    _keep_parties(dispute, rows)
    Claim.objects.bulk_create(
        Claim(dispute=dispute, position=i, text=text, amount=amount)
        for i, (text, amount) in enumerate(clean.claims, start=1)
    )
    flagged = [c.pk for _, r in resolved for c in r.flagged]
    append_event(
        dispute=dispute,
        kind=EventKind.RECORDED,
        actor=actor,
        origin=origin,
        summary=f"{Channel(data.channel).label}登记纠纷，管辖法院：{clean.court.name}",
        first=True,
        data={
            "channel": data.channel,
            "region": clean.region.code,
            "court": clean.court.court_code,
            "authority_kind": dispute.authority_kind,
            "parties": len(parties),
            "possible_same_person_flags": len(flagged),
            "risk_notice_acknowledged": data.risk_notice_acknowledged,
        },
    )
    # A party created just now has no earlier dispute, so neither has this set of parties.
    new_party = any(r.created for _, r in resolved)
    party_ids = {p.pk for _, p in parties}
    duplicate = None if new_party else _earlier_duplicate(data.category, clean.amount, party_ids, dispute.pk)
    if duplicate is not None:
        dispute.duplicate_of = duplicate
        dispute.save(update_fields=["duplicate_of"])
        append_event(
            dispute=dispute,
            kind=EventKind.DUPLICATE_SUSPECTED,
            actor=None,
            origin=origin,
            summary=f"当事人、纠纷类别和标的额与 {duplicate.number} 相同，疑似重复登记，请核实。",
            data={"duplicate_of": duplicate.number},
        )
    if audit:
        record_audit(
            actor=actor,
            action=AuditAction.CREATE,
            origin=origin,
            target_type="dispute",
            target_id=dispute.number,
            detail={"channel": data.channel},
        )
    return dispute


def update_dispute_details(
    *,
    actor: User,
    origin: Origin,
    number: str,
    expected_version: int,
    description: str,
    amount: str | Decimal | None,
    category: str,
) -> Dispute:
    """Correct a recorded dispute. A stale ``expected_version`` is a conflict, never an overwrite."""
    visible = get_visible_dispute(actor, number)
    errors: dict[str, list[str]] = {}
    if category not in DisputeCategory.values:
        errors["category"] = ["请选择纠纷类别。"]
    if len(description.strip()) < 10:
        errors["description"] = ["请简要说明事实与理由（不少于 10 个字）。"]
    try:
        new_amount = parse_amount(amount)
    except ValueError as exc:
        errors["amount"] = [str(exc)]
    if errors:
        raise InvalidInput("提交的信息有误，请按提示修改。", errors=errors)
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().get(pk=visible.pk)
        if not permissions.can_edit_details(actor, dispute):
            raise NotPermitted("当前状态下您不能修改该纠纷。")
        if dispute.version != expected_version:
            raise Conflict(f"该纠纷已被他人修改（当前版本 {dispute.version}），请刷新页面查看最新内容后再修改。")
        changes = {}
        for attr, value in (("description", description.strip()), ("amount", new_amount), ("category", category)):
            old = getattr(dispute, attr)
            if old != value:
                changes[attr] = {"from": "" if old is None else str(old), "to": "" if value is None else str(value)}
                setattr(dispute, attr, value)
        if not changes:
            return dispute
        dispute.version += 1
        dispute.save()
        append_event(
            dispute=dispute,
            kind=EventKind.DETAILS_UPDATED,
            actor=actor,
            origin=origin,
            summary="修改了" + "、".join(str(Dispute._meta.get_field(a).verbose_name) for a in changes),  # type: ignore[union-attr]
            data={"changes": {k: v for k, v in changes.items() if k != "description"}, "fields": list(changes)},
        )
        record_audit(
            actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="dispute", target_id=number,
            detail={"fields": list(changes)},
        )
    return dispute


def add_evidence(
    *, actor: User, origin: Origin, number: str, upload: UploadedFile, description: str = ""
) -> Evidence:
    dispute = get_visible_dispute(actor, number)
    if not permissions.can_add_evidence(actor, dispute):
        raise NotPermitted("您不能为该纠纷提交证据。")
    name = (upload.name or "").strip()
    head = upload.read(16)
    upload.seek(0)
    try:
        checked = check_evidence_file(name, upload.size or 0, head)
    except ValueError as exc:
        raise InvalidInput(str(exc), errors={"file": [str(exc)]}) from exc
    if len(description) > 200:
        raise InvalidInput("证据说明不得超过 200 字。", errors={"description": ["证据说明不得超过 200 字。"]})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        dispute=dispute,
        stored_name=f"{uuid.uuid4().hex}.{checked.extension}",
        original_name=name[-200:],
        content_type=checked.content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        description=description.strip(),
        uploaded_by=actor,
    )
    try:
        with transaction.atomic():
            Dispute.objects.select_for_update().filter(pk=dispute.pk).first()
            evidence.file.save(evidence.stored_name, upload, save=False)
            evidence.save()
            append_event(
                dispute=dispute,
                kind=EventKind.EVIDENCE_ADDED,
                actor=actor,
                origin=origin,
                summary=f"提交证据：{evidence.original_name}",
                data={"evidence": evidence.pk, "sha256": evidence.sha256, "size": evidence.size},
            )
            record_audit(
                actor=actor, action=AuditAction.CREATE, origin=origin, target_type="evidence",
                target_id=evidence.pk, detail={"dispute": dispute.number},
            )
    except Exception:
        # Nothing half-written: a file whose row did not commit is removed.
        if evidence.file and evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def review_party_match(*, actor: User, origin: Origin, flag_id: int, same_person: bool) -> PartyMatchFlag:
    """A clerk decides whether two party records are the same real person; nothing is merged."""
    flag = selectors.party_match_flags(actor).filter(pk=flag_id).first()
    if flag is None:
        raise NotFound()
    with transaction.atomic():
        locked = PartyMatchFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.status != MatchFlagStatus.OPEN:
            raise Conflict("该疑似重复记录已被他人核实，请刷新页面。")
        locked.status = MatchFlagStatus.SAME if same_person else MatchFlagStatus.DIFFERENT
        locked.resolved_by = actor
        locked.save(update_fields=["status", "resolved_by"])
        record_audit(
            actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="party_match_flag",
            target_id=locked.pk, detail={"decision": locked.status},
        )
    return locked


def add_follow_up(*, actor: User, origin: Origin, number: str, text: str) -> None:
    """A follow-up note (visit, call, check) on the dispute's timeline."""
    dispute = get_visible_dispute(actor, number)
    if not permissions.can_follow_up(actor, dispute):
        raise NotPermitted("您不能为该纠纷添加跟进记录。")
    text = text.strip()
    if not 2 <= len(text) <= 500:
        raise InvalidInput("跟进记录应为 2 至 500 字。", errors={"text": ["跟进记录应为 2 至 500 字。"]})
    with transaction.atomic():
        Dispute.objects.select_for_update().filter(pk=dispute.pk).first()
        append_event(dispute=dispute, kind=EventKind.FOLLOW_UP, actor=actor, origin=origin, summary=text)
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="follow_up",
                     target_id=dispute.number)
