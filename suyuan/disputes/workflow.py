"""The one mechanism every lifecycle uses: a transition table and one ``apply`` function.

Each status field has its own lifecycle module (``disputes/lifecycle.py`` for Dispute.status,
``mediation/lifecycle.py`` for Referral.status, …) that declares a ``Lifecycle``: its model, its
status choices and a table of ``Transition`` rows (from, action, to, roles, guard). ``apply``:

1. locks the row (SELECT … FOR UPDATE), so two users acting at once are serialised;
2. checks the source state — the second of two concurrent users finds the state already changed
   and gets a ``Conflict`` with a clear message, never a silent overwrite;
3. checks the actor's role, then the lifecycle's object-level scope, then the guard (a legal or
   business precondition, refused with a Chinese reason);
4. runs the caller's ``effect`` (field changes that belong to this step) and sets the new state;
5. writes the timeline event (the audit record, notification outbox and analytics fact) and an
   audit-chain row, in the same transaction;
6. schedules the lifecycle's side effects with ``transaction.on_commit``.

Nothing else may assign a status field. ``manage.py workflow_docs`` renders every table as
documentation with a Mermaid diagram (docs/workflow.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted

from .events import append_event
from .models import Dispute

# A guard returns None when the step may go ahead, or the Chinese reason it may not.
Guard = Callable[[Any, User, dict[str, Any]], str | None]
SYSTEM = "system"  # the role name the worker's sweep acts under (actor None)


@dataclass(frozen=True)
class Transition:
    source: tuple[str, ...]
    action: str
    target: str
    roles: frozenset[str]
    label: str
    guard: Guard | None = None
    guard_doc: str = ""

    def allows_role(self, actor: User | None) -> bool:
        role = actor.role if actor is not None else SYSTEM
        return role in self.roles


def t(source: str | Iterable[str], action: str, target: str, roles: Iterable[str], label: str,
      guard: Guard | None = None, guard_doc: str = "") -> Transition:
    """Shorthand for table rows: ``t(("a", "b"), "act", "c", {Role.CLERK}, "中文动作")``."""
    sources = (source,) if isinstance(source, str) else tuple(source)
    return Transition(sources, action, target, frozenset(str(r) for r in roles), label, guard, guard_doc)


@dataclass
class Lifecycle[M: models.Model]:
    name: str  # short, used in event kinds: "<name>.<action>"
    title: str  # Chinese name of the process
    model: type[M]
    states: type[models.TextChoices]
    transitions: list[Transition]
    # None for an object that belongs to no dispute (a judicial suggestion): the step is then
    # recorded in the audit chain only, with no timeline event.
    dispute_of: Callable[[M], Dispute | None]
    status_field: str = "status"
    # Object-level scope: may this actor act on this object at all? (role is checked per row)
    in_scope: Callable[[M, User], bool] = lambda obj, actor: True
    on_commit: list[Callable[[int, Transition], None]] = field(default_factory=list)
    # Hooks a later stage registers (from its AppConfig.ready) to react to this step inside the
    # same transaction, e.g. enforcement creates the performance plan when a dispute enters
    # "performing". Listed in docs/workflow.md so the flow stays visible.
    after: list[Callable[[Any, Transition, User | None, Origin, dict[str, Any]], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        valid = set(self.states.values)
        seen: set[tuple[str, str]] = set()
        for row in self.transitions:
            unknown = (set(row.source) | {row.target}) - valid
            if unknown:
                raise ValueError(f"{self.name}: unknown state(s) {unknown} in {row.action}")
            for source in row.source:
                if (source, row.action) in seen:
                    raise ValueError(f"{self.name}: two rows for ({source}, {row.action})")
                seen.add((source, row.action))

    def label_of(self, state: str) -> str:
        return str(dict(self.states.choices).get(state, state))

    def find(self, state: str, action: str) -> Transition | None:
        return next((r for r in self.transitions if r.action == action and state in r.source), None)

    def actions(self) -> set[str]:
        return {r.action for r in self.transitions}

    def available(self, obj: M, actor: User | None, payload: dict[str, Any] | None = None) -> list[Transition]:
        """The transitions this actor could take now (for showing only the buttons that work)."""
        state = getattr(obj, self.status_field)
        if actor is not None and not self.in_scope(obj, actor):
            return []
        return [
            r for r in self.transitions
            if state in r.source and r.allows_role(actor)
            and (r.guard is None or r.guard(obj, actor, payload or {}) is None)  # type: ignore[arg-type]
        ]


def apply[M: models.Model](
    lifecycle: Lifecycle[M],
    obj: M | int,
    action: str,
    *,
    actor: User | None,
    origin: Origin,
    payload: dict[str, Any] | None = None,
    effect: Callable[[M], None] | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> M:
    """Take one transition; see the module docstring for the steps and their order."""
    if action not in lifecycle.actions():
        raise InvalidInput(f"{lifecycle.title}没有“{action}”操作。")
    pk = obj if isinstance(obj, int) else obj.pk
    payload = payload or {}
    with transaction.atomic():
        locked = lifecycle.model._default_manager.select_for_update().filter(pk=pk).first()
        if locked is None:
            raise NotFound()
        if actor is not None and not lifecycle.in_scope(locked, actor):
            raise NotFound()
        row = _checked_row(lifecycle, locked, action, actor, payload, expected_version)
        state = getattr(locked, lifecycle.status_field)
        version = getattr(locked, "version", None)
        if effect is not None:
            effect(locked)
        setattr(locked, lifecycle.status_field, row.target)
        if version is not None:
            locked.version = version + 1  # type: ignore[attr-defined]
        locked.save()
        dispute = lifecycle.dispute_of(locked)
        if dispute is not None:
            append_event(
                dispute=dispute,
                kind=f"{lifecycle.name}.{action}",
                title=row.label,
                actor=actor,
                origin=origin,
                summary=summary or f"{row.label}：{lifecycle.label_of(state)} → {lifecycle.label_of(row.target)}",
                data={"lifecycle": lifecycle.name, "object": locked.pk, "from": state, "to": row.target,
                      **(data or {})},
            )
        record_audit(
            actor=actor, action=AuditAction.UPDATE, origin=origin, target_type=lifecycle.name,
            target_id=locked.pk, detail={"action": action, "from": state, "to": row.target,
                                         "dispute": dispute.number if dispute is not None else ""},
        )
        for after in lifecycle.after:
            after(locked, row, actor, origin, payload)
        for hook in lifecycle.on_commit:
            transaction.on_commit(functools.partial(hook, locked.pk, row))
    return locked


def _checked_row[M: models.Model](
    lifecycle: Lifecycle[M], locked: M, action: str, actor: User | None, payload: dict[str, Any],
    expected_version: int | None,
) -> Transition:
    """State, then role, then guard — in that order, so the message names the first real obstacle."""
    version = getattr(locked, "version", None)
    state = getattr(locked, lifecycle.status_field)
    if expected_version is not None and version is not None and version != expected_version:
        raise Conflict(f"该{lifecycle.title}已被他人处理（当前状态：{lifecycle.label_of(state)}），请刷新后重试。")
    row = lifecycle.find(state, action)
    if row is None:
        legal_from = "、".join(
            lifecycle.label_of(s) for r in lifecycle.transitions if r.action == action for s in r.source
        )
        raise Conflict(
            f"当前状态为“{lifecycle.label_of(state)}”，不能执行该操作（仅在{legal_from}时可以）。"
            "可能他人刚刚处理过，请刷新页面查看最新状态。"
        )
    if not row.allows_role(actor):
        raise NotPermitted(f"您的角色不能执行“{row.label}”。")
    if row.guard is not None:
        reason = row.guard(locked, actor, payload)  # type: ignore[arg-type]
        if reason:
            raise InvalidInput(reason, errors={"__all__": [reason]})
    return row


REGISTRY: dict[str, Lifecycle[Any]] = {}


def register[M: models.Model](lifecycle: Lifecycle[M]) -> Lifecycle[M]:
    """Lifecycles register themselves so documentation and tests can walk every table."""
    REGISTRY[lifecycle.name] = lifecycle
    return lifecycle
