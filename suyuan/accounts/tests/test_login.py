from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.models import AuditEntry
from suyuan.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_is_audited_and_lands_on_the_workbench(client, world):
    response = _login(client, "clerk1", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("disputes:workbench")
    assert AuditEntry.objects.filter(actor=world.clerk, action=AuditAction.LOGIN).exists()


def test_wrong_password_shows_chinese_error(client, world):
    response = _login(client, "clerk1", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, world):
    for _ in range(5):
        _login(client, "clerk1", "wrong-password")
    response = _login(client, "clerk1", PASSWORD)
    assert response.status_code in (403, 429)
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    assert _login(client, "judge1", PASSWORD).status_code == 302


def test_idle_session_expires(client, world):
    _login(client, "clerk1", PASSWORD)
    assert client.get(reverse("disputes:workbench")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("disputes:workbench"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_activity_renews_the_idle_timer(client, world, settings):
    # Renewed at most once per SUYUAN_SESSION_RENEW_SECONDS (test_session_activity.py); 0: every request.
    settings.SUYUAN_SESSION_RENEW_SECONDS = 0
    _login(client, "clerk1", PASSWORD)
    before = Session.objects.get().expire_date
    Session.objects.update(expire_date=before - timedelta(minutes=10))
    client.get(reverse("disputes:workbench"))
    assert Session.objects.get().expire_date > before - timedelta(minutes=1)
