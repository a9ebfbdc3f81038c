"""R8: security headers on every page (CSP, frame options, referrer policy) and HSTS in production."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def test_every_page_carries_a_strict_content_security_policy(client, world):
    client.force_login(world.clerk)
    for url in ("/accounts/login/", "/disputes/", "/api/v1/disputes", "/no-such-page/"):
        response = client.get(url)
        csp = _directives(response["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"]
        # 'self', plus this response's nonce when the page has an inline script (Django adds it
        # only when a template used it).
        assert csp["script-src"][0] == "'self'"
        assert all(re.fullmatch(r"'nonce-[\w+/=-]+'", extra) for extra in csp["script-src"][1:])
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_an_inline_script_runs_only_with_the_responses_nonce(client, world):
    """The one inline script (import progress) carries the nonce the header allows."""
    from suyuan.disputes.importing.jobs import create_import_job
    from suyuan.testing.imports import bank_row, csv_bytes, make_bank

    bank = make_bank()
    job = create_import_job(actor=bank, name="a.csv", content=csv_bytes([bank_row(bank, 1)]), store=False)
    client.force_login(bank)
    response = client.get(f"/disputes/import/{job.pk}/")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert scripts, "the job page should have its inline progress script"
    assert all(f'nonce="{nonce}"' in attrs for attrs in scripts)


def test_production_adds_hsts_and_https_only_cookies(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUYUAN_", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SUYUAN_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "SUYUAN_VAR_DIR": str(tmp_path),
        "SUYUAN_ALLOWED_HOSTS": "suyuan.example.cn",
    })
    probe = (
        "import django, json; django.setup();"
        "from django.conf import settings; from django.test import Client;"
        "r = Client().get('/api/v1/auth/me', secure=True, HTTP_HOST='suyuan.example.cn');"
        "plain = Client().get('/api/v1/auth/me', HTTP_HOST='suyuan.example.cn');"
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers), 'plain': plain.status_code,"
        " 'location': plain.get('Location', ''), 'session_secure': settings.SESSION_COOKIE_SECURE,"
        " 'csrf_secure': settings.CSRF_COOKIE_SECURE}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    headers = out["headers"]
    assert out["status"] == 401  # anonymous: the headers are on every answer
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    # Plain HTTP is sent to HTTPS; the cookies never travel without TLS.
    assert out["plain"] == 301 and out["location"].startswith("https://suyuan.example.cn/")
    assert out["session_secure"] and out["csrf_secure"]
