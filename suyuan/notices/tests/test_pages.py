"""Inbox pages: a person sees only their own notices; live feed; preferences; the demo SMS log."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from suyuan.notices import delivery
from suyuan.notices.models import NoticePreference, Notification

from .helpers import record

pytestmark = pytest.mark.django_db


def test_inbox_shows_own_notices_only_and_the_top_bar_counts_them(client, world):
    dispute = record(world)
    delivery.deliver_due()
    client.force_login(world.party_user)
    page = client.get(reverse("notices:inbox"))
    assert page.status_code == 200
    assert dispute.number in page.content.decode()
    assert 'id="notice-unread"' in page.content.decode()  # the counter in the top bar
    feed = client.get(reverse("notices:feed")).json()
    assert feed["unread"] == 1 and feed["items"] == []
    client.force_login(world.other_grid_worker)
    assert dispute.number not in client.get(reverse("notices:inbox")).content.decode()
    assert client.get(reverse("notices:feed") + "?after=0").json() == {"unread": 0, "latest": 0, "items": []}


def test_feed_returns_new_notices_after_the_last_seen(client, world):
    record(world)
    delivery.deliver_due()
    client.force_login(world.party_user)
    first = client.get(reverse("notices:feed") + "?after=0").json()
    assert len(first["items"]) == 1 and first["items"][0]["title"] == "纠纷登记"
    second = record(world, respondent_name="王五")
    delivery.deliver_due()
    newer = client.get(reverse("notices:feed") + f"?after={first['latest']}").json()
    assert [i["number"] for i in newer["items"]] == [second.number]
    assert client.get(reverse("notices:feed") + "?after=abc").status_code == 200  # bad input is not a 500


def test_marking_read_touches_only_the_readers_own_rows(client, world):
    record(world)
    delivery.deliver_due()
    mine = Notification.objects.get(recipient_user=world.party_user, channel="inbox")
    client.force_login(world.grid_worker)
    client.post(reverse("notices:read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is None
    client.force_login(world.party_user)
    client.post(reverse("notices:read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notices:feed")).json()["unread"] == 0


def test_preferences_page_saves_the_choice(client, world):
    client.force_login(world.clerk)
    page = client.get(reverse("notices:preferences"))
    assert "短信通知" in page.content.decode()
    client.post(reverse("notices:preferences"), {"email": "on"})
    saved = NoticePreference.objects.get(user=world.clerk)
    assert (saved.sms, saved.email) == (False, True)


def test_sms_outbox_exists_only_in_the_demo(client, world):
    record(world)
    delivery.deliver_due()
    with override_settings(SUYUAN_SMS_OUTBOX_PAGE=False):
        assert client.get(reverse("notices:sms_outbox")).status_code == 404
    with override_settings(SUYUAN_SMS_OUTBOX_PAGE=True):
        page = client.get(reverse("notices:sms_outbox") + "?phone=13800000002")
        assert page.status_code == 200
        assert "【诉源】纠纷" in page.content.decode()


def test_inbox_needs_sign_in(client):
    assert client.get(reverse("notices:inbox")).status_code == 302
