"""Project-wide test fixtures: reference regions, the court network and users of every role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from suyuan.testing.factories import NetworkWorld, build_world


@pytest.fixture
def world(db) -> NetworkWorld:  # type: ignore[no-untyped-def]
    """Regions from the shipped fixture, the three basic courts, a centre, bodies and users."""
    return build_world()


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    """Every test starts with empty caches: a value cached from one test's rows (the workbench's
    filter choices, reference data) never answers in the next."""
    from django.core.cache import caches

    for c in caches.all():
        c.clear()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis for the RQ task backend (scripts/test.sh starts one; else one for this run)."""
    from suyuan.testing.worker import redis_server

    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def s3_url() -> Iterator[str]:
    """A real S3-compatible server (moto's, as a process) for the shared-files tests."""
    from suyuan.testing.s3 import s3_server

    with s3_server() as url:
        yield url


@pytest.fixture(params=["db", "rq"])
def task_backend(request) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Run the test on the database queue and again on RQ (Redis): the same tasks, both engines."""
    from suyuan.testing.worker import task_backend as use_backend

    redis = request.getfixturevalue("redis_url") if request.param == "rq" else None
    with use_backend(request.param, redis):
        yield request.param


@pytest.fixture(autouse=True, scope="session")
def _force_login_passes_the_second_factor() -> Iterator[None]:
    """``Client.force_login`` skips the login form (password included); skip its second step too.

    A user with an enrolled device gets a session verified with that device, as after entering a
    code. Tests of the second factor itself sign in through the forms (accounts/tests).
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):  # type: ignore[no-untyped-def]
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    Client.force_login = force_login
    yield
    Client.force_login = original


@pytest.fixture(autouse=True, scope="session")
def _sqlite_flush_keeps_append_only_triggers() -> Iterator[None]:
    """Let transactional tests empty the append-only tables on SQLite.

    Django empties tables between transactional tests with ``flush``: TRUNCATE on PostgreSQL
    (row triggers do not fire) but DELETE on SQLite, which the append-only triggers refuse. Around
    that flush only, the triggers are dropped and put back, so every test still runs with them.
    """
    from django.core.management.commands import flush
    from django.db import connections

    from suyuan.common.append_only import APPEND_ONLY_TABLES, create_triggers, drop_triggers

    original = flush.Command.handle

    def handle(self, **options):  # type: ignore[no-untyped-def]
        connection = connections[options.get("database", "default")]
        if connection.vendor != "sqlite":
            return original(self, **options)
        for table in APPEND_ONLY_TABLES:
            drop_triggers(connection, table)
        try:
            return original(self, **options)
        finally:
            for table in APPEND_ONLY_TABLES:
                create_triggers(connection, table)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original
