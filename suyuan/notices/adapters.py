"""Adapters to the world outside: the SMS gateway and e-mail (Django's mailers).

Every send is keyed (``notice:<id>``, ``otp:<id>``) and must be idempotent on that key: the
worker delivers at least once, so after a crash between "sent" and "marked delivered" the same
key is sent again, and the gateway must treat it as the same message (real gateways accept a
client message id for this; the local one keeps a unique key).
"""

from __future__ import annotations

import json
import os
import time
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import SmsMessage


class DeliveryError(Exception):
    """The channel refused or failed; the worker retries with backoff."""


class SmsGateway(Protocol):
    def send(self, *, key: str, phone: str, text: str) -> None: ...


class LocalSmsGateway:
    """Development and demo gateway: writes each message to a table and to var/sms/outbox.jsonl.

    ``SUYUAN_SMS_LOCAL_DELAY`` (seconds) makes the gateway slow to acknowledge: the message is
    recorded, then the send returns only after the delay. A test kills the worker in that window,
    the worst moment (sent, not yet marked delivered). ``SUYUAN_SMS_LOCAL_FAIL`` (a phone number)
    makes sends to that number fail.
    """

    def send(self, *, key: str, phone: str, text: str) -> None:
        self._record(key=key, phone=phone, text=text)
        delay = float(os.environ.get("SUYUAN_SMS_LOCAL_DELAY") or getattr(settings, "SUYUAN_SMS_LOCAL_DELAY", 0) or 0)
        if delay:
            time.sleep(delay)

    def _record(self, *, key: str, phone: str, text: str) -> None:
        if phone and phone == getattr(settings, "SUYUAN_SMS_LOCAL_FAIL", ""):
            raise DeliveryError("短信网关拒绝发送（本地模拟故障）")
        try:
            with transaction.atomic():
                SmsMessage.objects.create(key=key, phone=phone, text=text)
        except IntegrityError:
            return  # Already sent under this key: the idempotent resend.
        path = settings.VAR_DIR / "sms" / "outbox.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"key": key, "phone": phone, "text": text, "at": timezone.now().isoformat()},
                          ensure_ascii=False)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def sms_gateway() -> SmsGateway:
    """The configured gateway (``SUYUAN_SMS_GATEWAY``, a dotted path; the local one by default)."""
    path = getattr(settings, "SUYUAN_SMS_GATEWAY", "suyuan.notices.adapters.LocalSmsGateway")
    gateway: SmsGateway = import_string(path)()
    return gateway


def send_email(*, key: str, address: str, subject: str, text: str) -> None:
    """Through Django's mailers (``MAILERS``); the Message-ID carries the key so a receiving
    system can drop a resend."""
    message = EmailMessage(
        subject=f"【诉源】{subject}", body=text, to=[address],
        headers={"Message-ID": f"<{key.replace(':', '-')}@suyuan.local>"},
    )
    try:
        message.send(using="default")
    except Exception as exc:
        raise DeliveryError(f"邮件发送失败：{type(exc).__name__}") from exc
