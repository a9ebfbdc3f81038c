"""Bulk actions on the workbench queue: a registry the stage apps fill, and one runner.

Disputes sits below mediation and litigation, so it cannot call their services; each app registers
its action from its ``AppConfig.ready()`` (``register_bulk_action``) with a handler that calls the
same service as the single action. The runner gives every item its own transaction: the item's
version check and the service commit together or not at all, and a failing item never touches
another. Items carry the version the clerk saw; a dispute changed since is reported, not written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, DomainError, InvalidInput, NotFound, NotPermitted

from .models import Dispute
from .selectors import visible_disputes

# handler(actor=, origin=, dispute=, option=) → a short note for the summary; raises a DomainError.
Handler = Callable[..., str]
# options(actor) → the choices of the one parameter the action needs (organisation, assignee …).
Options = Callable[[User], list[tuple[str, str]]]

MAX_ITEMS = 200


@dataclass(frozen=True)
class BulkAction:
    key: str
    label: str
    roles: frozenset[str]
    handler: Handler
    option_label: str = ""
    options: Options | None = None


REGISTRY: dict[str, BulkAction] = {}


def register_bulk_action(key: str, label: str, roles: Iterable[str], handler: Handler, *,
                         option_label: str = "", options: Options | None = None) -> None:
    """Called from a stage app's ``ready()``; registering the same key again replaces it."""
    REGISTRY[key] = BulkAction(key=key, label=label, roles=frozenset(roles), handler=handler,
                               option_label=option_label, options=options)


def actions_for(user: User) -> list[BulkAction]:
    return [a for a in REGISTRY.values() if user.role in a.roles]


@dataclass
class BulkItem:
    dispute_id: int
    version: int


@dataclass
class BulkOutcome:
    done: list[tuple[str, str]] = field(default_factory=list)      # (number, note)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (number or id, reason)

    def summary(self) -> str:
        text = f"成功 {len(self.done)} 件，未处理 {len(self.skipped)} 件"
        if self.skipped:
            reasons: dict[str, int] = {}
            for _, reason in self.skipped:
                reasons[reason] = reasons.get(reason, 0) + 1
            text += "（" + "；".join(f"{r}：{n} 件" for r, n in reasons.items()) + "）"
        return text + "。"


def parse_items(values: Iterable[str]) -> list[BulkItem]:
    """``"<dispute id>:<version>"`` pairs from the queue's check boxes."""
    items = []
    for value in values:
        try:
            pk, version = (int(part) for part in value.split(":", 1))
        except ValueError as exc:
            raise InvalidInput("所选纠纷的参数无效，请刷新页面后重新选择。") from exc
        items.append(BulkItem(pk, version))
    if not items:
        raise InvalidInput("请先勾选要处理的纠纷。")
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"一次最多处理 {MAX_ITEMS} 件纠纷，请分批操作。")
    return items


def check_option(action: BulkAction, actor: User, option: str) -> None:
    if action.options is None:
        return
    if option not in {value for value, _ in action.options(actor)}:
        message = f"请选择{action.option_label}。"
        raise InvalidInput(message, errors={"option": [message]})


def run_bulk_action(*, actor: User, origin: Origin, key: str, items: list[BulkItem], option: str = "") -> BulkOutcome:
    """Run one registered action on each item, one transaction per item; never half-writes one."""
    action = REGISTRY.get(key)
    if action is None:
        raise InvalidInput("未知的批量操作。")
    if actor.role not in action.roles:
        raise NotPermitted(f"您的角色不能批量{action.label}。")
    check_option(action, actor, option)
    outcome = BulkOutcome()
    numbers = dict(visible_disputes(actor).filter(pk__in=[i.dispute_id for i in items]).values_list("pk", "number"))
    for item in items:
        label = numbers.get(item.dispute_id, f"#{item.dispute_id}")
        try:
            with transaction.atomic():
                dispute = _lock_visible(actor, item)
                note = action.handler(actor=actor, origin=origin, dispute=dispute, option=option)
        except DomainError as exc:
            outcome.skipped.append((label, _reason(exc)))
        else:
            outcome.done.append((label, note))
    record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="dispute_bulk",
                 detail={"action": key, "option": option, "done": [n for n, _ in outcome.done],
                         "skipped": [n for n, _ in outcome.skipped]})
    return outcome


def _lock_visible(actor: User, item: BulkItem) -> Dispute:
    if not visible_disputes(actor).filter(pk=item.dispute_id).exists():
        raise NotFound("纠纷不存在或无权查看")
    dispute = Dispute.objects.select_for_update().get(pk=item.dispute_id)
    if dispute.version != item.version:
        raise Conflict("已被他人更新，请刷新后重试")
    return dispute


def _reason(exc: DomainError) -> str:
    return exc.message.rstrip("。")
