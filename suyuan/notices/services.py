"""Writes of the notices app: the outbox written with each event, reading, preferences."""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.bulk_rows import copy_values
from suyuan.common.masking import scrub
from suyuan.disputes.events import WrittenNow
from suyuan.disputes.models import DisputeEvent

from . import wakeup
from .choices import NoticeChannel, NoticeStatus
from .messages import SMS_SIGNATURE, template_for
from .models import NoticePreference, Notification
from .recipients import recipients_of


class _Placeholders(dict[str, Any]):
    """An event's placeholder values, each computed when the template asks for it (a batch's
    ``recorded`` text needs neither the scrubbed event summary nor the actor); unknown ones are blank."""

    def __init__(self, event: DisputeEvent) -> None:
        super().__init__()
        self.event = event

    def __missing__(self, key: str) -> str:
        event = self.event
        if key == "number":
            return event.dispute.number
        if key == "title":
            return event.kind_label
        if key == "summary":
            return scrub(event.summary)
        if key == "dispute":
            return scrub(event.dispute.summary)
        if key == "actor":
            return event.actor_label
        return ""


def render_text(event: DisputeEvent) -> tuple[str, str]:
    """(template key, text). Free text from the event is scrubbed of ID and phone numbers: the
    summary may quote a party's particulars, and each recipient sees only their own dispute's
    number and names."""
    key, template = template_for(event.kind)
    # str.format_map: what string.Formatter().vformat gives for these templates, in C.
    return key, template.format_map(_Placeholders(event))[:480]


_PLAIN_NUMBER = re.compile(r"[A-Za-z0-9-]+")
_NUMBER_SLOT = "0NUMBER0"


@functools.cache
def _detail_link_template(script_prefix: str, url_name: str) -> str:
    return reverse(url_name, args=[_NUMBER_SLOT])


def _detail_link(number: str, role: str = "") -> str:
    """The dispute's page for a recipient of ``role``: ``SUYUAN_ROLE_DISPUTE_PAGES`` (a party's is the
    portal's plain-words page), else ``disputes:detail``.

    Reversed once per script prefix and page, without walking the URL patterns for every
    notification of a batch: a number of plain characters needs no quoting, so it fills a slot.
    """
    url_name = getattr(settings, "SUYUAN_ROLE_DISPUTE_PAGES", {}).get(role, "disputes:detail")
    if not _PLAIN_NUMBER.fullmatch(number):
        return reverse(url_name, args=[number])
    return _detail_link_template(get_script_prefix(), url_name).replace(_NUMBER_SLOT, number)


def write_outbox(event: DisputeEvent) -> int:
    """The event sink: one notification per recipient and channel, in the event's transaction;
    returns how many rows were written (or skipped as already there).

    Registered in ``NoticesConfig.ready()`` with ``disputes.events.register_event_sink``; a
    rolled-back write therefore leaves neither event nor notification behind.
    """
    return write_outbox_many([event])


def write_outbox_many(events: list[DisputeEvent]) -> int:
    """The sink's bulk form (a batch import's chunk of events): the same rows, one INSERT (``COPY``
    of the values on PostgreSQL, ``common.bulk_rows``: no model instance per notice)."""
    preferences: dict[int, NoticePreference | None] = {}
    now = timezone.now()
    rows = [row for event in events for row in _outbox_rows(event, preferences, now)]
    if not rows:
        return 0
    # ignore_conflicts: the dedupe key is the guarantee, should a sink ever run twice. (In the
    # caller's transaction: no savepoint of its own needed.) Not for events ``append_events`` has
    # just inserted (a batch chunk's): no row can refer to them yet, so on PostgreSQL their rows
    # are copied straight into the table, without the staging table and its INSERT … ON CONFLICT
    # (three statements more per chunk, and every row written twice).
    fresh = isinstance(events, WrittenNow)
    copy_values(Notification, rows, ignore_conflicts=not fresh)
    # One wake-up per transaction however many events it writes (a batch import writes hundreds).
    pending = getattr(transaction.get_connection(), "run_on_commit", [])
    if not any(callback is wake_worker for _, callback, *_ in pending):
        transaction.on_commit(wake_worker)
    return len(rows)


def _outbox_rows(
    event: DisputeEvent, preferences: dict[int, NoticePreference | None], now: datetime
) -> list[dict[str, Any]]:
    recipients = recipients_of(event, preferences=preferences)
    if not recipients:
        return []
    key, text = render_text(event)
    title = event.kind_label[:100] or "纠纷进展"
    links: dict[str, str] = {}
    rows = []
    for recipient in recipients:
        link = ""
        if recipient.user is not None:
            role = recipient.user.role
            link = links.get(role) or links.setdefault(role, _detail_link(event.dispute.number, role))
        for channel, address in recipient.channels:
            body = SMS_SIGNATURE + text if channel == NoticeChannel.SMS else text
            rows.append({
                "event_id": event.pk, "dispute_id": event.dispute_id,
                "recipient_user_id": recipient.user.pk if recipient.user is not None else None,
                "recipient_party_id": recipient.party.pk if recipient.party is not None else None,
                "channel": channel, "address": address, "template_key": key, "title": title,
                "body": body, "link": link, "next_attempt_at": now,
                "dedupe_key": f"{event.pk}:{recipient.key}:{channel}",
            })
    return rows


def wake_worker() -> None:
    """Ask the worker to deliver now: enqueues ``deliver_due`` unless a wake-up is already pending
    (``wakeup.request``; the catch-up delivers anyway)."""
    wakeup.request()


def mark_read(*, actor: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the actor's inbox notices read; returns how many."""
    rows = Notification.objects.filter(
        recipient_user=actor, channel=NoticeChannel.INBOX, status=NoticeStatus.DELIVERED, read_at__isnull=True
    )
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


def set_preferences(*, actor: User, origin: Origin, sms: bool, email: bool) -> NoticePreference:
    with transaction.atomic():
        preference, _ = NoticePreference.objects.select_for_update().get_or_create(user=actor)
        preference.sms, preference.email = sms, email
        preference.save()
        record_audit(
            actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="notice_preference",
            target_id=actor.pk, detail={"sms": sms, "email": email},
        )
    return preference
