"""API authentication: tokens for programs (with the login lockout), sessions with CSRF for browsers."""

from __future__ import annotations

import json
from datetime import timedelta

from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.models import ApiToken, AuditEntry
from suyuan.testing.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


def ask_token(client: Client, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    body = json.dumps({"username": username, "password": password, "name": "测试系统"})
    return client.post(TOKEN_URL, data=body, content_type="application/json", **extra)


def test_token_flow(world, client):
    response = ask_token(client, "grid1", PASSWORD)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["token"].startswith("sy_")
    assert out["token_type"] == "Bearer"
    token = ApiToken.objects.get(user=world.grid_worker)
    assert token.token_hash == ApiToken.hash(out["token"])  # only the hash is kept
    assert token.name == "测试系统"
    assert AuditEntry.objects.filter(action=AuditAction.TOKEN, actor=world.grid_worker).count() == 1

    me = client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {out['token']}")
    assert me.status_code == 200
    assert me.json() == {
        "username": "grid1", "full_name": "王网格", "role": "grid_worker", "role_label": "网格员", "organisation": None,
    }


def test_me_names_the_organisation(world, client):
    token = ask_token(client, "clerk1", PASSWORD).json()["token"]
    org = client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {token}").json()["organisation"]
    assert org["name"] == world.dawukou_court.name
    assert org["court_code"] == "宁0202"
    assert org["kind_label"] == "基层人民法院"


def test_wrong_password_is_401_in_chinese(world, client):
    response = ask_token(client, "grid1", "wrong-password")
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码错误。"
    assert not ApiToken.objects.exists()


def test_unknown_user_and_inactive_user_get_the_same_answer(world, client):
    world.judge.is_active = False
    world.judge.save()
    assert ask_token(client, "nobody", PASSWORD).json() == ask_token(client, "judge1", PASSWORD).json()


def test_five_failures_lock_the_account(world, client):
    statuses = [ask_token(client, "clerk1", f"wrong-{i}").status_code for i in range(5)]
    # The fifth failure is the one that locks: axes says so on that very request.
    assert statuses == [401, 401, 401, 401, 429]
    # Even the right password is refused now, in JSON and in Chinese (not axes' HTML page).
    response = ask_token(client, "clerk1", PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "锁定" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert not ApiToken.objects.exists()
    # Another account is not affected.
    assert ask_token(client, "grid1", PASSWORD).status_code == 200


def test_expired_and_revoked_tokens_are_401(world, client):
    token = ask_token(client, "grid1", PASSWORD).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(ME_URL, **auth).status_code == 200
    ApiToken.objects.update(revoked=True)
    response = client.get(ME_URL, **auth)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("未登录或令牌无效")
    ApiToken.objects.update(revoked=False, expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(ME_URL, **auth).status_code == 401


def test_session_works_for_reads_and_needs_csrf_for_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.grid_worker)
    assert client.get(ME_URL).json()["role"] == "grid_worker"
    # A write without the CSRF token is refused (someone else's page could have sent it).
    response = client.post("/api/v1/disputes", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    response = client.post("/api/v1/disputes", data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 422  # past authentication: now the (empty) body is checked


def test_bearer_writes_need_no_csrf(world):
    client = Client(enforce_csrf_checks=True)
    token = ask_token(client, "grid1", PASSWORD).json()["token"]
    response = client.post(
        "/api/v1/disputes", data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 422
