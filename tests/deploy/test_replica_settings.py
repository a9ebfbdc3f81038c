"""SUYUAN_REPLICA_DATABASE_URL: a read-only PostgreSQL alias for the leaders' reads (decision 0013)."""

from __future__ import annotations

import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import replica_from_env

from .test_settings import _check


def test_the_replica_alias_is_read_only_and_a_test_mirror() -> None:
    config = replica_from_env("postgres://reader:pw@10.0.0.2:5433/suyuan")
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("10.0.0.2", 5433, "suyuan", "reader")
    options = config["OPTIONS"]
    assert isinstance(options, dict) and "default_transaction_read_only=on" in options["options"]
    assert config["TEST"] == {"MIRROR": "default"}  # never created, migrated or flushed by the tests


def test_the_replica_must_be_postgresql() -> None:
    with pytest.raises(ImproperlyConfigured, match="SUYUAN_REPLICA_DATABASE_URL"):
        replica_from_env("sqlite:////tmp/replica.sqlite3")


def test_production_settings_with_a_replica_pass_check_deploy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _check({
        "SUYUAN_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "SUYUAN_REPLICA_DATABASE_URL": "postgres://reader@127.0.0.1:1/suyuan",
        "SUYUAN_VAR_DIR": str(tmp_path),
        "SUYUAN_ALLOWED_HOSTS": "suyuan.example.cn",
    })
    assert result.returncode == 0, result.stdout + result.stderr
