"""Reads of the accounts app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken, AuditEntry, AuditHead, User


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""


def verify_audit_chain(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in ``seq`` order and report the first break."""
    expected_prev = "0" * 64
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(False, checked, f"第 {expected_seq} 条记录缺失或顺序被改动（发现序号 {entry.seq}）")
        if entry.prev_hash != expected_prev:
            return ChainReport(False, checked, f"第 {entry.seq} 条记录的前序哈希不符（记录被删除、插入或重排）")
        if entry.compute_hash() != entry.entry_hash:
            return ChainReport(False, checked, f"第 {entry.seq} 条记录内容被篡改")
        expected_prev = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.seq > checked:
        return ChainReport(
            False, checked,
            f"第 {checked + 1} 条记录缺失：链尾应有 {head.seq} 条记录，实有 {checked} 条（末尾记录被删除）",
        )
    if head is not None and head.seq < checked:
        return ChainReport(
            False, checked,
            f"第 {head.seq + 1} 条记录在链尾之后：链尾应有 {head.seq} 条记录，实有 {checked} 条（记录被追加）",
        )
    if head is not None and head.last_hash != expected_prev:
        return ChainReport(False, checked, f"第 {checked} 条记录与链尾哈希不符（末尾记录被替换）")
    return ChainReport(True, checked)


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash(raw), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def second_factor_accounts() -> QuerySet[User]:
    """Active accounts whose role needs a second factor, with whether one is bound (security admins)."""
    from django.conf import settings
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    bound = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(role__in=settings.SUYUAN_SECOND_FACTOR_ROLES, is_active=True)
        .annotate(second_factor_bound=Exists(bound))
        .order_by("role", "username")
    )
