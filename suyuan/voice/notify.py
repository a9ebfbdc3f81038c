"""The voice app's own notices, written straight into the notices outbox (voice sits above notices).

Their event kinds have no general audience (``register_audience(kind, frozenset())`` in hooks):
a complaint is told to the complainant and the handlers only, never to the other party, and a
survey link is personal to one party.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.models import DisputeEvent
from suyuan.notices.choices import NoticeChannel
from suyuan.notices.messages import SMS_SIGNATURE
from suyuan.notices.models import Notification
from suyuan.notices.recipients import channels_for_user, mobile_or_blank
from suyuan.notices.services import wake_worker
from suyuan.parties.models import Party


def to_party(*, event: DisputeEvent, party: Party, key: str, title: str, text: str, link: str,
             sms_text: str | None = None) -> list[Notification]:
    """Inbox (and the channels the party chose) when the party has an account, else SMS to their mobile."""
    user = User.objects.filter(party=party, is_active=True).first()
    channels = channels_for_user(user, phone=party.phone) if user is not None else (
        [(NoticeChannel.SMS, m)] if (m := mobile_or_blank(party.phone)) else []
    )
    rows = [
        Notification(
            event=event, dispute=event.dispute, recipient_user=user, recipient_party=None if user else party,
            channel=channel, address=address, template_key=key, title=title[:100],
            body=(SMS_SIGNATURE + (sms_text or text) if channel == NoticeChannel.SMS else text)[:500],
            link=link if channel == NoticeChannel.INBOX else "", next_attempt_at=timezone.now(),
            dedupe_key=f"{key}:{event.pk}:{'u' + str(user.pk) if user else 'p' + str(party.pk)}:{channel}"[:120],
        )
        for channel, address in channels
    ]
    return _write(rows)


def to_users(*, event: DisputeEvent, users: Iterable[User], key: str, title: str, text: str,
             link: str) -> list[Notification]:
    """Inbox notices for staff (the organisation's admins, a handler)."""
    rows = [
        Notification(
            event=event, dispute=event.dispute, recipient_user=user, channel=NoticeChannel.INBOX, address="",
            template_key=key, title=title[:100], body=text[:500], link=link, next_attempt_at=timezone.now(),
            dedupe_key=f"{key}:{event.pk}:u{user.pk}:inbox"[:120],
        )
        for user in {u.pk: u for u in users if u.is_active}.values()
    ]
    return _write(rows)


def organisation_admins(organisation_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.ORG_ADMIN, organisation_id=organisation_id, is_active=True))


def _write(rows: list[Notification]) -> list[Notification]:
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        pending = getattr(transaction.get_connection(), "run_on_commit", [])
        if not any(callback is wake_worker for _, callback, *_ in pending):
            transaction.on_commit(wake_worker)
    return rows
