"""Delivery: every channel, retries with exponential backoff, give-up after the last attempt."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from suyuan.disputes.models import DisputeEvent
from suyuan.notices import delivery
from suyuan.notices.choices import NoticeChannel, NoticeStatus
from suyuan.notices.models import Notification, SmsMessage
from suyuan.notices.services import set_preferences

from .helpers import ORIGIN, record

pytestmark = pytest.mark.django_db


def test_due_notices_are_delivered_on_every_channel(world, tmp_path):
    world.party_user.email = "chen@example.cn"
    world.party_user.save()
    set_preferences(actor=world.party_user, origin=ORIGIN, sms=True, email=True)
    dispute = record(world)
    report = delivery.deliver_due()
    rows = Notification.objects.filter(dispute=dispute)
    assert report.delivered == rows.count() == 4
    assert set(rows.values_list("status", flat=True)) == {NoticeStatus.DELIVERED}
    sms = rows.filter(channel=NoticeChannel.SMS)
    assert set(SmsMessage.objects.values_list("key", flat=True)) == {f"notice:{n.pk}" for n in sms}
    assert (tmp_path / "sms" / "outbox.jsonl").read_text(encoding="utf-8").count("\n") == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chen@example.cn"]
    assert dispute.number in mail.outbox[0].body
    assert delivery.deliver_due().delivered == 0  # nothing is delivered twice


@override_settings(SUYUAN_SMS_LOCAL_FAIL="13800000002", SUYUAN_NOTICE_RETRY_BASE_SECONDS=30,
                   SUYUAN_NOTICE_MAX_ATTEMPTS=3)
def test_failures_retry_with_exponential_backoff_then_give_up(world):
    dispute = record(world)
    failing = Notification.objects.get(dispute=dispute, recipient_party__name="李四")
    gaps = []
    for attempt in (1, 2, 3):
        before = timezone.now()
        delivery.deliver_due()
        failing.refresh_from_db()
        assert failing.attempts == attempt
        assert "本地模拟故障" in failing.last_error
        if attempt < 3:
            assert failing.status == NoticeStatus.PENDING
            gaps.append(round((failing.next_attempt_at - before).total_seconds()))
            assert delivery.deliver_due().retried == 0  # not due before its backoff has passed
            Notification.objects.filter(pk=failing.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert gaps == [30, 60]
    assert failing.status == NoticeStatus.FAILED
    # The others were delivered on the first run; the failure did not hold them up.
    assert Notification.objects.filter(dispute=dispute, status=NoticeStatus.DELIVERED).count() == 2


def test_a_row_whose_worker_died_is_claimed_again_after_its_lease(world):
    dispute = record(world)
    assert delivery.claim(limit=100)  # a worker claims every row, then dies
    assert delivery.claim(limit=100) == []  # leased: nobody else takes them
    Notification.objects.filter(dispute=dispute).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert delivery.deliver_due().delivered == 3


def test_resending_after_a_crash_between_send_and_mark_does_not_duplicate_the_sms(world):
    dispute = record(world)
    sms = Notification.objects.filter(dispute=dispute, channel=NoticeChannel.SMS).first()
    delivery.send(sms)  # sent, then the process died before marking it delivered
    delivery.deliver_due()
    assert SmsMessage.objects.filter(key=f"notice:{sms.pk}").count() == 1
    sms.refresh_from_db()
    assert sms.status == NoticeStatus.DELIVERED


def test_the_command_delivers_and_reports(world, capsys):
    from django.core.management import call_command

    record(world)
    call_command("deliver_notifications")
    assert "已送达 3 条" in capsys.readouterr().out
    assert not Notification.objects.exclude(status=NoticeStatus.DELIVERED).exists()
    assert DisputeEvent.objects.count() == 1
