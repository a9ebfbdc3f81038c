"""The deterministic demo data set: one call builds a believable Shizuishan.

``seed_demo(seed=...)`` runs in one transaction (all or nothing) and finishes by writing a marker
counter, so a second call sees the marker and returns at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import COMMAND
from suyuan.accounts.services import record_audit
from suyuan.common.models import Counter
from suyuan.network.reference import load_reference_data

from .disputes import generate
from .network import DEMO_PASSWORD, NAMED_ACCOUNTS, build_network

DEFAULT_SEED = 20261125
DEFAULT_DISPUTES = 3000
MARKER = "demo:seed"


@dataclass(frozen=True)
class SeedResult:
    created: bool
    seed: int
    disputes: int = 0


def is_seeded() -> bool:
    return Counter.objects.filter(name=MARKER).exists()


def seed_demo(*, seed: int = DEFAULT_SEED, disputes: int = DEFAULT_DISPUTES) -> SeedResult:
    if is_seeded():
        marker = Counter.objects.get(name=MARKER)
        return SeedResult(created=False, seed=marker.value)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, nothing secret
    with transaction.atomic():
        load_reference_data()
        net = build_network(rng)
        written = generate(rng, net, disputes)
        Counter.objects.create(name=MARKER, value=seed)
        record_audit(
            actor=None, action=AuditAction.CREATE, origin=COMMAND, target_type="demo",
            detail={"seed": seed, "disputes": written},
        )
    return SeedResult(created=True, seed=seed, disputes=written)


def accounts_table() -> list[tuple[str, str, str]]:
    """(username, role, what to try) for the printed table and the demo home page."""
    from suyuan.accounts.choices import Role

    return [(u, str(Role(r).label), note) for u, r, _org, _name, note in NAMED_ACCOUNTS]


def format_accounts() -> str:
    rows = accounts_table()
    width = max(len(u) for u, _, _ in rows)
    lines = [f"演示账户（统一密码：{DEMO_PASSWORD}）", ""]
    lines += [f"  {u.ljust(width)}  {note}" for u, _role, note in rows]
    return "\n".join(lines)
