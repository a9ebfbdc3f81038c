"""Walk a lifecycle table: every (state, action, role) is either allowed or refused, as the table says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict, NotFound, NotPermitted
from suyuan.disputes.workflow import Lifecycle, apply

ORIGIN = Origin(via="test", ip="127.0.0.1")


def cases(lifecycle: Lifecycle[Any], roles: list[str]) -> list[tuple[str, str, str, bool]]:
    """(state, action, role, allowed) for every state × action × role — for pytest.parametrize."""
    out = []
    for state in lifecycle.states.values:
        for action in sorted(lifecycle.actions()):
            row = lifecycle.find(state, action)
            for role in roles:
                out.append((state, action, role, row is not None and role in row.roles))
    return out


def check(lifecycle: Lifecycle[Any], obj: Any, action: str, actor: User | None, allowed: bool,
          payload: dict[str, Any] | None = None, effect: Callable[[Any], None] | None = None) -> None:
    before = getattr(obj, lifecycle.status_field)
    if allowed:
        done = apply(lifecycle, obj, action, actor=actor, origin=ORIGIN, payload=payload, effect=effect)
        row = lifecycle.find(before, action)
        assert row is not None
        assert getattr(done, lifecycle.status_field) == row.target
        dispute = lifecycle.dispute_of(done)
        assert dispute is not None and dispute.events.filter(kind=f"{lifecycle.name}.{action}").exists()
        return
    try:
        apply(lifecycle, obj, action, actor=actor, origin=ORIGIN, payload=payload, effect=effect)
    except (Conflict, NotPermitted, NotFound):
        obj.refresh_from_db()
        assert getattr(obj, lifecycle.status_field) == before
        return
    raise AssertionError(f"{lifecycle.name}: {action} from {before} by {actor and actor.role} should be refused")


class _Rollback(Exception):
    pass


def walk_state(lifecycle: Lifecycle[Any], obj: Any, state: str, actors: dict[str, User],
               payload: dict[str, Any] | None = None) -> int:
    """Try every action by every role from ``state``, each in a savepoint rolled back afterwards.

    Returns the number of edges checked. The object is put into ``state`` with a queryset update:
    arranging a test, not a transition.
    """
    from django.db import transaction

    checked = 0
    for action in sorted(lifecycle.actions()):
        row = lifecycle.find(state, action)
        for role, actor in actors.items():
            allowed = row is not None and role in row.roles
            try:
                with transaction.atomic():
                    type(obj)._default_manager.filter(pk=obj.pk).update(**{lifecycle.status_field: state})
                    obj.refresh_from_db()
                    check(lifecycle, obj, action, actor, allowed, payload=payload)
                    raise _Rollback
            except _Rollback:
                pass
            checked += 1
    return checked
