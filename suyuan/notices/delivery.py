"""Delivery of the outbox: claim due rows, hand them to the channel's adapter, record the result.

At least once, never lost: a row is claimed by setting ``sending`` with a lease in its own short
transaction; if the process dies while sending, the lease runs out and the next run claims the row
again. Exactly once to the person: the send is keyed by the row's id and the adapters drop a key
they have already sent; the inbox channel is the row itself.

On PostgreSQL several workers claim side by side (``FOR UPDATE SKIP LOCKED``); on SQLite the claim
transaction begins IMMEDIATE, which serialises claimers, so the row lock is implicit there.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .adapters import DeliveryError, send_email, sms_gateway
from .choices import NoticeChannel, NoticeStatus
from .models import Notification

logger = logging.getLogger(__name__)


def _setting(name: str, default: float) -> float:
    """A product setting from Django settings, else the environment (how a test tunes a child)."""
    return float(getattr(settings, name, None) or os.environ.get(name) or default)


def max_attempts() -> int:
    return int(_setting("SUYUAN_NOTICE_MAX_ATTEMPTS", 5))


def lease() -> timedelta:
    # Longer than the slowest send of a claimed batch; a shorter lease only costs a harmless resend.
    return timedelta(seconds=_setting("SUYUAN_NOTICE_LEASE_SECONDS", 120))


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2x, 4x … after the 1st, 2nd, 3rd failure, capped at one hour."""
    base = _setting("SUYUAN_NOTICE_RETRY_BASE_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(self.delivered + other.delivered, self.retried + other.retried,
                              self.failed + other.failed)


def claim(*, limit: int = 20, now: datetime | None = None) -> list[int]:
    """Lease up to ``limit`` due rows to this process and return their ids."""
    now = now or timezone.now()
    due = Q(status=NoticeStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=NoticeStatus.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        rows = Notification.objects.filter(due).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        else:
            rows = rows.select_for_update()
        ids = list(rows.values_list("pk", flat=True)[:limit])
        if ids:
            Notification.objects.filter(pk__in=ids).update(
                status=NoticeStatus.SENDING, lease_until=now + lease(), attempts=F("attempts") + 1
            )
    return ids


def send(notification: Notification) -> None:
    key = f"notice:{notification.pk}"
    if notification.channel == NoticeChannel.SMS:
        sms_gateway().send(key=key, phone=notification.address, text=notification.body)
    elif notification.channel == NoticeChannel.EMAIL:
        send_email(key=key, address=notification.address, subject=notification.title, text=notification.body)
    # The inbox channel has nothing to send: marking the row delivered shows it to its owner.


def deliver_one(notification_id: int) -> DeliveryReport:
    notification = Notification.objects.get(pk=notification_id)
    try:
        send(notification)
    except Exception as exc:
        message = str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}"
        logger.warning("Notice %s attempt %s failed: %s", notification.pk, notification.attempts, message)
        give_up = notification.attempts >= max_attempts()
        Notification.objects.filter(pk=notification.pk, status=NoticeStatus.SENDING).update(
            status=NoticeStatus.FAILED if give_up else NoticeStatus.PENDING,
            next_attempt_at=timezone.now() + backoff(notification.attempts),
            lease_until=None,
            last_error=message[:300],
        )
        return DeliveryReport(failed=1) if give_up else DeliveryReport(retried=1)
    Notification.objects.filter(pk=notification.pk, status=NoticeStatus.SENDING).update(
        status=NoticeStatus.DELIVERED, delivered_at=timezone.now(), lease_until=None, last_error=""
    )
    return DeliveryReport(delivered=1)


def expire_exhausted(now: datetime | None = None) -> int:
    """Rows whose lease ran out after the last allowed attempt (the worker kept dying): failed."""
    now = now or timezone.now()
    return Notification.objects.filter(
        status=NoticeStatus.SENDING, lease_until__lt=now, attempts__gte=max_attempts()
    ).update(status=NoticeStatus.FAILED, lease_until=None, last_error="多次发送中断，已停止重试")


def deliver_due(*, limit: int = 500, batch: int = 20) -> DeliveryReport:
    """Deliver what is due now, up to ``limit`` rows; returns what happened."""
    report = DeliveryReport()
    expire_exhausted()
    handled = 0
    while handled < limit:
        ids = claim(limit=min(batch, limit - handled))
        if not ids:
            break
        for notification_id in ids:
            report = report + deliver_one(notification_id)
        handled += len(ids)
    return report
