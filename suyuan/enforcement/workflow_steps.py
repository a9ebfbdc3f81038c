"""One place where the enforcement case moves: the lifecycle step plus, for a final outcome, the dispute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.disputes.workflow import apply

from .lifecycle import ENFORCEMENT_CASE
from .models import EnforcementCase


def apply_case(case: EnforcementCase, action: str, *, actor: User | None, origin: Origin,
               effect: Callable[[EnforcementCase], None] | None = None, payload: dict[str, Any] | None = None,
               summary: str = "", expected_version: int | None = None) -> EnforcementCase:
    return apply(ENFORCEMENT_CASE, case, action, actor=actor, origin=origin, effect=effect, payload=payload,
                 summary=summary, data={"case": case.pk}, expected_version=expected_version)
