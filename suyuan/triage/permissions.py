"""Who triages: court clerks and judges, within their court (scope via disputes.selectors)."""

from __future__ import annotations

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User

TRIAGE_ROLES = frozenset({Role.CLERK, Role.JUDGE})


def can_triage(user: User) -> bool:
    return user.is_active and user.role in TRIAGE_ROLES
