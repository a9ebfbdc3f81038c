"""R8: judges, administrators and auditors need a TOTP code after the password; enrolment, reset, audit."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.models import AuditEntry
from suyuan.accounts.second_factor import WRONG_CODE_MESSAGE
from suyuan.testing.factories import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:second_factor")
ENROL = reverse("accounts:second_factor_enrol")
WORKBENCH = reverse("disputes:workbench")


def _password(client, username: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def _code(client, url: str, code: str):
    return client.post(url, {"code": code, "next": WORKBENCH})


def test_a_judge_with_only_the_password_reaches_nothing_but_the_code_page(client, world):
    response = _password(client, "judge1")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    page = client.get(WORKBENCH)
    assert page.status_code == 302 and page.url.startswith(VERIFY)
    assert client.get(reverse("accounts:audit_log")).url.startswith(VERIFY)
    api = client.get("/api/v1/auth/me")
    assert api.status_code == 403
    assert "动态口令" in api.json()["detail"]
    assert "动态口令" in client.get(VERIFY).content.decode()


def test_the_right_code_opens_the_session_and_a_wrong_one_is_refused_and_audited(client, world):
    _password(client, "judge1")
    wrong = _code(client, VERIFY, "000000" if totp_code(world.judge) != "000000" else "111111")
    assert wrong.status_code == 200
    assert WRONG_CODE_MESSAGE in wrong.content.decode()
    assert client.get(WORKBENCH).status_code == 302
    assert AuditEntry.objects.filter(actor=world.judge, action=AuditAction.SECOND_FACTOR_FAILED).count() == 1
    # django-otp throttles after a failure (1 s); the test does not wait for it.
    TOTPDevice.objects.get(user=world.judge).throttle_reset()
    ok = _code(client, VERIFY, totp_code(world.judge))
    assert (ok.status_code, ok.url) == (302, WORKBENCH)
    assert client.get(WORKBENCH).status_code == 200
    assert client.get("/api/v1/auth/me").json()["username"] == "judge1"
    assert AuditEntry.objects.filter(actor=world.judge, action=AuditAction.SECOND_FACTOR).count() == 1


def test_a_code_cannot_be_used_twice_and_failures_are_throttled(client, world, django_user_model):
    device = TOTPDevice.objects.get(user=world.judge)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    used = str(totp.token()).zfill(6)
    _password(client, "judge1")
    assert _code(client, VERIFY, used).status_code == 302
    client.post(reverse("accounts:logout"))
    _password(client, "judge1")
    replay = _code(client, VERIFY, used)
    assert replay.status_code == 200 and WRONG_CODE_MESSAGE in replay.content.decode()
    # Straight after a failure even the right code waits for the throttle.
    throttled = _code(client, VERIFY, totp_code(world.judge))
    assert throttled.status_code == 200
    assert "请稍候" in throttled.content.decode()


@pytest.mark.parametrize("role", [Role.JUDGE, Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDITOR])
def test_every_second_factor_role_enrols_at_first_sign_in_with_a_qr_code(client, world, role):
    user = make_user(role, username=f"new-{role}", second_factor=False,
                     organisation=world.dawukou_court if role == Role.JUDGE else None)
    response = _password(client, user.username)
    assert response.url.startswith(ENROL)
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "otpauth://totp/" in html and "<svg" in html and "issuer=%E8%AF%89%E6%BA%90" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The secret shown is the device's: an authenticator app set up from it produces the code.
    assert f"secret={page.context['enrolment'].secret}" in device.config_url
    confirmed = _code(client, ENROL, str(TOTP(device.bin_key).token()).zfill(6))
    assert (confirmed.status_code, confirmed.url) == (302, WORKBENCH)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEntry.objects.filter(actor=user, action=AuditAction.SECOND_FACTOR_ENROLLED).exists()
    assert client.get(WORKBENCH).status_code in (200, 403)  # admins have no case workbench, but no redirect
    assert not client.get(WORKBENCH).get("Location", "").startswith((VERIFY, ENROL))


def test_roles_without_a_second_factor_sign_in_with_the_password(client, world):
    response = _password(client, "clerk1")
    assert (response.status_code, response.url) == (302, WORKBENCH)
    assert client.get(WORKBENCH).status_code == 200
    assert not TOTPDevice.objects.filter(user=world.clerk).exists()


def test_a_security_admin_resets_a_lost_device_and_the_old_sessions_stop_working(client, world):
    security = make_user(Role.SECURITY_ADMIN, username="security1")
    judge_client = client
    _password(judge_client, "judge1")
    _code(judge_client, VERIFY, totp_code(world.judge))
    assert judge_client.get(WORKBENCH).status_code == 200

    from django.test import Client

    admin = Client()
    admin.force_login(security)
    listing = admin.get(reverse("accounts:second_factor_users"))
    assert listing.status_code == 200 and "judge1" in listing.content.decode()
    reset = admin.post(reverse("accounts:second_factor_reset", args=[world.judge.pk]), follow=True)
    assert "已重置" in reset.content.decode()
    assert not TOTPDevice.objects.filter(user=world.judge).exists()
    entry = AuditEntry.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert (entry.actor, entry.target_id, entry.detail["user"]) == (security, str(world.judge.pk), "judge1")
    # The judge's verified session is no longer verified: enrol again.
    again = judge_client.get(WORKBENCH)
    assert again.status_code == 302 and again.url.startswith(ENROL)


def test_only_another_security_admin_may_reset(client, world):
    security = make_user(Role.SECURITY_ADMIN, username="security1")
    url = reverse("accounts:second_factor_reset", args=[world.judge.pk])
    for other in (world.sysadmin, world.auditor, world.clerk):
        client.force_login(other)
        assert client.post(url).status_code == 403
        assert client.get(reverse("accounts:second_factor_users")).status_code == 403
    client.force_login(security)
    own = client.post(reverse("accounts:second_factor_reset", args=[security.pk]))
    assert own.status_code == 403 and "不能重置自己的动态口令" in own.content.decode()
    assert TOTPDevice.objects.filter(user__in=[world.judge, security]).count() == 2
    assert not AuditEntry.objects.filter(action=AuditAction.SECOND_FACTOR_RESET).exists()


def test_an_api_token_for_a_judge_needs_the_current_code(client, world):
    def token(**extra: str):
        body = {"username": "judge1", "password": PASSWORD, **extra}
        return client.post("/api/v1/auth/token", data=json.dumps(body), content_type="application/json")

    refused = token()
    assert refused.status_code == 401
    assert "动态口令" in refused.json()["detail"]
    assert token(otp=totp_code(world.judge)).status_code == 200
    # A clerk's token needs none.
    clerk = client.post("/api/v1/auth/token", data=json.dumps({"username": "clerk1", "password": PASSWORD}),
                        content_type="application/json")
    assert clerk.status_code == 200


@pytest.mark.parametrize("role_user", ["clerk", "judge", "sysadmin", "auditor", "party_user"])
def test_only_a_security_admin_may_reset_a_second_factor(client, world, role_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    before = list(TOTPDevice.objects.filter(user=world.judge).values_list("pk", "key"))
    client.force_login(getattr(world, role_user))
    answer = client.post(reverse("accounts:second_factor_reset", args=[world.judge.pk]))
    assert answer.status_code == 403
    assert list(TOTPDevice.objects.filter(user=world.judge).values_list("pk", "key")) == before
