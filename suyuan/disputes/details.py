"""Writes to a recorded dispute: corrections of its details, evidence, follow-up notes, and a
clerk's decision on a possible same-person party match."""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.parties.choices import MatchFlagStatus
from suyuan.parties.models import PartyMatchFlag

from . import permissions, selectors
from .choices import EventKind
from .events import append_event
from .evidence import check_evidence_file
from .intake import parse_amount
from .models import Dispute, Evidence
from .selectors import get_visible_dispute


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
