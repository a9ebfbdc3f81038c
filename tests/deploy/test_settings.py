"""Production settings pass Django's deployment checks, and refuse to start without secrets."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUYUAN_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _check({
        "SUYUAN_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3"),
        "SUYUAN_VAR_DIR": str(tmp_path),
        "SUYUAN_ALLOWED_HOSTS": "suyuan.example.cn",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_default_secret_key(tmp_path):
    result = _check({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "SUYUAN_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SUYUAN_SECRET_KEY" in result.stderr
