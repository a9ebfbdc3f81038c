"""Project-wide test fixtures: reference regions, the court network and users of every role."""

from __future__ import annotations

import pytest

from suyuan.testing.factories import NetworkWorld, build_world


@pytest.fixture
def world(db) -> NetworkWorld:  # type: ignore[no-untyped-def]
    """Regions from the shipped fixture, the three basic courts, a centre, bodies and users."""
    return build_world()
