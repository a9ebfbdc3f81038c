"""The idle timer (issue 15 R8) is renewed by activity at most once per SUYUAN_SESSION_RENEW_SECONDS:
no session write on every request (issue 16 P5), and an idle session still expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.middleware import ACTIVITY_KEY

pytestmark = pytest.mark.django_db


def _session_writes(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    return sum(1 for sql in writes if "django_session" in sql)


def _age_stamp(seconds: int) -> None:
    row = Session.objects.get()
    data = row.get_decoded()
    data[ACTIVITY_KEY] -= seconds
    Session.objects.filter(pk=row.pk).update(session_data=Session.objects.encode(data))


def test_requests_within_the_interval_do_not_write_the_session(client, world, settings):
    settings.SUYUAN_SESSION_RENEW_SECONDS = 60
    client.force_login(world.clerk)
    url = reverse("disputes:workbench")
    client.get(url)  # stamps the session (one write)
    assert [_session_writes(client, url) for _ in range(3)] == [0, 0, 0]


def test_a_request_after_the_interval_renews_the_idle_timer(client, world, settings):
    settings.SUYUAN_SESSION_RENEW_SECONDS = 60
    client.force_login(world.clerk)
    url = reverse("disputes:workbench")
    client.get(url)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    _age_stamp(61)
    assert _session_writes(client, url) == 1
    renewed = Session.objects.get().expire_date
    assert renewed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_an_idle_session_still_expires(client, world, settings):
    settings.SUYUAN_SESSION_RENEW_SECONDS = 60
    client.force_login(world.clerk)
    url = reverse("disputes:workbench")
    client.get(url)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_no_session_is_made_for_a_request_without_one(client, world):
    assert client.get(reverse("home")).status_code in (200, 302)
    assert not Session.objects.exists()
