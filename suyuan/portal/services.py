"""Writes of the portal: the public page's verification codes and its guarded lookups."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.common.masking import mask_phone
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import get_visible_dispute
from suyuan.notices.adapters import DeliveryError, sms_gateway
from suyuan.notices.recipients import mobile_or_blank

from .models import AccessCode, PublicLookup

CODE_DIGITS = 6
# One message for a wrong code and an unknown number alike: the page must not tell which numbers exist.
NOT_FOUND = "纠纷编号或查询码不正确。请核对后重新输入；查询码由当事人在“我的纠纷”中获取。"
TOO_MANY = "尝试次数过多，为保护当事人信息，请稍后再试。"


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once to the party, never stored
    sms_to: str  # the masked mobile number the code was sent to ("" when none on file)


def issue_access_code(*, actor: User, origin: Origin, number: str) -> IssuedCode:
    """A new code for the party ``actor`` on their dispute ``number``; the previous one stops working."""
    if actor.role != Role.PARTY or actor.party_id is None:
        raise NotPermitted("查询码只发给纠纷的当事人本人。")
    dispute = get_visible_dispute(actor, number)
    if not dispute.dispute_parties.filter(party_id=actor.party_id).exists():
        raise NotPermitted("查询码只发给纠纷的当事人本人。")
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    now = timezone.now()
    with transaction.atomic():
        AccessCode.objects.update_or_create(
            dispute=dispute, party_id=actor.party_id,
            defaults={"code_hash": make_password(code), "issued_at": now, "issued_by": actor},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="public_access_code",
                     target_id=dispute.number, detail={"party": actor.party_id})
    phone = mobile_or_blank(actor.party.phone if actor.party else "")
    if phone:
        text = (f"【诉源】您的纠纷 {dispute.number} 的公开查询码为 {code}。凭纠纷编号和查询码可在平台“案件进度公开查询”"
                "中查看办理进度，不显示个人信息。请只告知您信任的代理律师；如需作废，请在平台重新获取。")
        key = f"access-code:{dispute.pk}:{actor.party_id}:{now.timestamp():.6f}"
        transaction.on_commit(lambda: _send(key, phone, text))
    return IssuedCode(code=code, sms_to=mask_phone(phone) if phone else "")


def _send(key: str, phone: str, text: str) -> None:
    try:
        sms_gateway().send(key=key, phone=phone, text=text)
    except DeliveryError:
        # The code is already shown on the party's screen; the SMS is a copy. Nothing to undo.
        return


def _window_start(minutes: int) -> datetime:
    return timezone.now() - timedelta(minutes=minutes)


def look_up_public(*, number: str, code: str, origin: Origin) -> Dispute:
    """The dispute behind ``number`` + ``code``, or one and the same error for every wrong pair.

    Guessing is stopped twice: per address (many numbers tried from one place) and per number (one
    number tried from many places). Both count what was typed, so an unknown number is limited like a
    known one. Every attempt is a ``PublicLookup`` row: the audit of the public page.
    """
    number = (number or "").strip().upper()[:40]
    code = (code or "").strip()
    if not number or not code:
        raise InvalidInput("请输入纠纷编号和查询码。")
    window = settings.SUYUAN_PUBLIC_LOOKUP_WINDOW_MINUTES
    since = _window_start(window)
    with transaction.atomic():
        failures_ip = PublicLookup.objects.filter(ip=origin.ip, at__gte=since, succeeded=False).count()
        failures_number = PublicLookup.objects.filter(number=number, at__gte=since, succeeded=False).count()
        refused = (failures_ip >= settings.SUYUAN_PUBLIC_LOOKUP_MAX_PER_ADDRESS
                   or failures_number >= settings.SUYUAN_PUBLIC_LOOKUP_MAX_PER_NUMBER)
        dispute = None if refused else Dispute.objects.filter(number=number).first()
        hashes = list(AccessCode.objects.filter(dispute=dispute).values_list("code_hash", flat=True)) if dispute else []
        # An unknown number checks a dummy hash: it answers as slowly as a known one.
        # Every stored hash is checked (no early exit), so the time does not tell how many parties hold codes.
        checks = [check_password(code, h) for h in hashes] if hashes else [check_password(code, _dummy()) and False]
        matched = True in checks
        matched = matched and bool(hashes) and not refused
        PublicLookup.objects.create(at=timezone.now(), ip=origin.ip, number=number, succeeded=matched,
                                    refused=refused)
    if refused:
        raise NotPermitted(TOO_MANY)
    if not matched or dispute is None:
        raise InvalidInput(NOT_FOUND)
    return dispute


@cache
def _dummy() -> str:
    return make_password(secrets.token_hex(8))
