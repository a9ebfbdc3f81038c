"""Reads of the notices app. A person reads only their own inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from suyuan.accounts.models import User

from .choices import NoticeChannel, NoticeStatus
from .models import NoticePreference, Notification, SmsMessage
from .recipients import SMS_BY_DEFAULT


def inbox(user: User) -> QuerySet[Notification]:
    """The user's delivered in-app notices, newest first."""
    return Notification.objects.filter(
        recipient_user=user, channel=NoticeChannel.INBOX, status=NoticeStatus.DELIVERED
    ).select_related("dispute").order_by("-pk")


def unread_count(user: User) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def deliveries(user: User) -> QuerySet[Notification]:
    """Delivery records of the user's notices on every channel (status, attempts, errors)."""
    return Notification.objects.filter(recipient_user=user).order_by("-pk")


def sms_outbox(phone: str = "") -> QuerySet[SmsMessage]:
    rows = SmsMessage.objects.all()
    return rows.filter(phone=phone) if phone else rows


def preference_of(user: User) -> tuple[bool, bool]:
    """(sms, email) as saved, or the role's default when the person never chose."""
    saved = NoticePreference.objects.filter(user=user).first()
    if saved is None:
        return user.role in SMS_BY_DEFAULT, False
    return saved.sms, saved.email
