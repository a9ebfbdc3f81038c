"""Writes of the accounts app: the audit chain and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .choices import AuditAction
from .context import Origin
from .models import ApiToken, AuditEntry, AuditHead, User


def record_audit(
    *,
    actor: User | None,
    action: AuditAction,
    origin: Origin,
    target_type: str = "",
    target_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the hash chain, inside the caller's transaction.

    ``detail`` must already be masked: the audit log is read by auditors, who do not see
    personal data. The head row lock serialises appends; callers keep it for the rest of their
    transaction, so audit last.
    """
    return record_audits(
        actor=actor, action=action, origin=origin, targets=[(target_type, target_id, detail or {})]
    )[0]


def record_audits(
    *,
    actor: User | None,
    action: AuditAction,
    origin: Origin,
    targets: list[tuple[str, str | int, dict[str, Any]]],
) -> list[AuditEntry]:
    """``record_audit`` for many targets of one act at once (a batch import's chunk of disputes):
    the entries in chain order, under one lock of the head, in one INSERT. Each ``detail`` is
    copied, with ``via`` added from the origin unless the caller set it."""
    if not targets:
        return []
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entries = []
        seq, last_hash = head.seq, head.last_hash
        for target_type, target_id, detail in targets:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=timezone.now(),
                actor=actor if actor is not None and actor.pk else None,
                actor_label=(actor.display_name if actor is not None else "系统"),
                actor_role=(actor.role if actor is not None else ""),
                action=action,
                target_type=target_type,
                target_id=str(target_id),
                detail=dict(detail),
                ip=origin.ip,
                prev_hash=last_hash,
            )
            entry.detail.setdefault("via", origin.via)
            entry.entry_hash = last_hash = entry.compute_hash()
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries)
        head.seq, head.last_hash = seq, last_hash
        head.save(update_fields=["seq", "last_hash"])
    return entries


def issue_api_token(*, user: User, origin: Origin, name: str = "API", days: int = 30) -> str:
    """Create a bearer token and return it once; only its hash is kept."""
    raw = "sy_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=ApiToken.hash(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + timedelta(days=days),
        )
        record_audit(
            actor=user, action=AuditAction.TOKEN, origin=origin, target_type="api_token", detail={"name": name}
        )
    return raw
