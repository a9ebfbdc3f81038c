"""Party sign-in by SMS one-time code: phone + ID number → code → signed in as the party's user.

The parties app and the SMS gateway sit above this app (the layering rule), so they plug in
through ``register_party_signin`` from their AppConfig.ready(); this module owns the security:
codes expire after five minutes, are single-use and stored as keyed hashes; requests are limited
per phone and per address; repeated wrong codes lock the phone for a while; every request,
failure and success is audited with the phone masked.

Whether a phone/ID pair matches a party is never revealed: the request answers the same either way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from suyuan.common.errors import InvalidInput
from suyuan.common.masking import mask_phone
from suyuan.common.phones import clean_phone

from .choices import AuditAction
from .context import Origin
from .models import SignInCode, User
from .services import record_audit

# Product security settings (not legal rules), overridable in settings.
CODE_TTL = timedelta(seconds=getattr(settings, "SUYUAN_SIGNIN_CODE_SECONDS", 300))
RESEND_INTERVAL = timedelta(seconds=getattr(settings, "SUYUAN_SIGNIN_RESEND_SECONDS", 60))
PER_PHONE_PER_HOUR = getattr(settings, "SUYUAN_SIGNIN_PER_PHONE_PER_HOUR", 5)
PER_IP_PER_HOUR = getattr(settings, "SUYUAN_SIGNIN_PER_IP_PER_HOUR", 20)
LOCKOUT_FAILURES = getattr(settings, "SUYUAN_SIGNIN_LOCKOUT_FAILURES", 5)
LOCKOUT_WINDOW = timedelta(minutes=getattr(settings, "SUYUAN_SIGNIN_LOCKOUT_MINUTES", 30))

ID_RE = re.compile(r"^\d{17}[\dX]$")
SENT = "如果手机号与身份证号和登记信息一致，验证码已发送至该手机，5 分钟内有效。"
WRONG = "验证码不正确，请核对后重新输入。"


@dataclass
class _Hooks:
    find_party: Callable[[str, str], int | None] | None = None
    ensure_user: Callable[[int], User] | None = None
    send_code: Callable[[str, str, str], None] | None = None


_HOOKS = _Hooks()


def register_party_signin(
    *, find_party: Callable[[str, str], int | None], ensure_user: Callable[[int], User],
    send_code: Callable[[str, str, str], None],
) -> None:
    """``find_party(phone, id_number)`` → the party's id when both match; ``ensure_user(party_id)``
    → its user, created on first sign-in; ``send_code(key, phone, text)`` sends an SMS, idempotent
    on ``key``."""
    _HOOKS.find_party, _HOOKS.ensure_user, _HOOKS.send_code = find_party, ensure_user, send_code


def _digest(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _clean(phone: str, id_number: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    try:
        phone = clean_phone(phone, mobile_only=True, label="手机号")
    except ValueError as exc:
        errors["phone"] = [str(exc)]
    id_number = str(id_number).strip().upper()
    if not ID_RE.match(id_number):
        errors["id_number"] = ["请填写 18 位公民身份号码。"]
    if errors:
        raise InvalidInput("请检查填写的信息。", errors=errors)
    return phone, id_number


def _refuse(message: str, field: str = "phone") -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def request_sign_in_code(*, phone: str, id_number: str, origin: Origin) -> str:
    """Send a code if the pair matches a party; return the message to show (the same either way)."""
    phone, id_number = _clean(phone, id_number)
    if _HOOKS.find_party is None or _HOOKS.send_code is None:
        raise _refuse("短信验证码登录暂不可用，请使用账户密码登录。")
    now = timezone.now()
    phone_hash = _digest("phone", phone)
    hour_ago = now - timedelta(hours=1)
    with transaction.atomic():
        recent = SignInCode.objects.select_for_update().filter(phone_hash=phone_hash, created_at__gte=hour_ago)
        if _locked(phone_hash, now):
            raise _refuse("验证码错误次数过多，该手机号已暂停登录，请 30 分钟后再试。")
        last = recent.order_by("-created_at").first()
        if last is not None and now - last.created_at < RESEND_INTERVAL:
            raise _refuse("验证码发送过于频繁，请 1 分钟后再试。")
        if recent.count() >= PER_PHONE_PER_HOUR:
            raise _refuse("该手机号获取验证码次数过多，请 1 小时后再试。")
        per_ip = SignInCode.objects.filter(ip=origin.ip, created_at__gte=hour_ago)
        if origin.ip and per_ip.count() >= PER_IP_PER_HOUR:
            raise _refuse("当前网络获取验证码次数过多，请稍后再试。")
        party_id = _HOOKS.find_party(phone, id_number)
        code = f"{secrets.randbelow(10**6):06d}"
        row = SignInCode.objects.create(
            phone_hash=phone_hash, identity_hash=_digest("id", id_number), masked_phone=mask_phone(phone),
            party_id=party_id, code_hash=_digest("code", f"{phone}:{code}") if party_id else "",
            ip=origin.ip, created_at=now, expires_at=now + CODE_TTL,
        )
        record_audit(
            actor=None, action=AuditAction.SIGN_IN_CODE, origin=origin, target_type="sign_in_code",
            target_id=row.pk, detail={"phone": mask_phone(phone), "matched": party_id is not None},
        )
    if party_id is not None:
        minutes = int(CODE_TTL.total_seconds() // 60)
        text = f"【诉源】您的登录验证码为 {code}，{minutes} 分钟内有效。请勿告诉他人。"
        _HOOKS.send_code(f"otp:{row.pk}", phone, text)
    return SENT


def _locked(phone_hash: str, now: datetime) -> bool:
    failures = SignInCode.objects.filter(
        phone_hash=phone_hash, created_at__gte=now - LOCKOUT_WINDOW
    ).aggregate(n=Sum("failed_attempts"))["n"] or 0
    return failures >= LOCKOUT_FAILURES


def verify_sign_in_code(*, phone: str, id_number: str, code: str, origin: Origin) -> User:
    """The party's user (created on first sign-in) if the code is right; ``InvalidInput`` otherwise."""
    phone, id_number = _clean(phone, id_number)
    code = str(code).strip()
    now = timezone.now()
    phone_hash = _digest("phone", phone)
    failure = ""
    with transaction.atomic():
        if _locked(phone_hash, now):
            raise _refuse("验证码错误次数过多，该手机号已暂停登录，请 30 分钟后再试。", "code")
        row = (
            SignInCode.objects.select_for_update().filter(phone_hash=phone_hash).order_by("-created_at", "-pk").first()
        )
        if row is None:
            raise _refuse("请先获取验证码。", "code")
        if row.used_at is not None:
            failure = "验证码已使用，请重新获取。"
        elif now >= row.expires_at:
            failure = "验证码已过期，请重新获取。"
        elif not (
            row.party_id
            and hmac.compare_digest(row.identity_hash, _digest("id", id_number))
            and hmac.compare_digest(row.code_hash, _digest("code", f"{phone}:{code}"))
        ):
            failure = WRONG
        if failure:
            # Recorded and committed before the error is raised: failures count toward lockout.
            row.failed_attempts += 1
            row.save(update_fields=["failed_attempts"])
            record_audit(
                actor=None, action=AuditAction.LOGIN_FAILED, origin=origin, target_type="sign_in_code",
                target_id=row.pk, detail={"phone": mask_phone(phone), "method": "sms_code", "reason": failure},
            )
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            assert _HOOKS.ensure_user is not None and row.party_id is not None
            user = _HOOKS.ensure_user(row.party_id)
            if not user.is_active:
                raise _refuse("该账户已停用，请联系法院或调解组织。", "code")
            record_audit(
                actor=user, action=AuditAction.LOGIN, origin=origin, target_type="sign_in_code",
                target_id=row.pk, detail={"method": "sms_code", "phone": mask_phone(phone)},
            )
            return user
    raise _refuse(failure, "code")
