"""Assigning a dispute to a clerk or judge of its court (承办人), singly or from the queue in bulk."""

from __future__ import annotations

from django.db import transaction

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted

from .choices import EventKind
from .events import append_event
from .models import Dispute
from .selectors import visible_disputes

ASSIGNER_ROLES = frozenset({Role.CLERK, Role.JUDGE})
ASSIGNEE_ROLES = (Role.CLERK, Role.JUDGE)


def court_staff(actor: User) -> list[User]:
    """Active clerks and judges of the actor's own court: whom a dispute may be assigned to."""
    court = actor.organisation.court() if actor.organisation is not None else None
    if court is None or actor.role not in ASSIGNER_ROLES:
        return []
    return list(User.objects.filter(organisation=court, role__in=ASSIGNEE_ROLES, is_active=True)
                .order_by("role", "full_name", "pk"))


def assign_dispute(*, actor: User, origin: Origin, dispute_id: int, assignee_id: int,
                   expected_version: int | None = None) -> Dispute:
    """Set the dispute's 承办人. Only within the actor's court; a stale version is a conflict."""
    if actor.role not in ASSIGNER_ROLES:
        raise NotPermitted("只有立案人员或法官可以分配承办人。")
    assignee = next((u for u in court_staff(actor) if u.pk == assignee_id), None)
    if assignee is None:
        message = "请选择本院的立案或审判人员。"
        raise InvalidInput(message, errors={"assignee": [message]})
    with transaction.atomic():
        if not visible_disputes(actor).filter(pk=dispute_id).exists():
            raise NotFound()
        dispute = Dispute.objects.select_for_update().get(pk=dispute_id)
        if expected_version is not None and dispute.version != expected_version:
            raise Conflict(f"该纠纷已被他人修改（当前版本 {dispute.version}），请刷新后重试。")
        if dispute.court_id != assignee.organisation_id:
            raise InvalidInput("承办人须为该纠纷管辖法院的工作人员。")
        if dispute.assignee_id == assignee.pk:
            return dispute
        previous = dispute.assignee_id
        dispute.assignee = assignee
        dispute.version += 1
        dispute.save(update_fields=["assignee", "version", "updated_at"])
        append_event(dispute=dispute, kind=EventKind.ASSIGNED, actor=actor, origin=origin,
                     summary=f"分配承办人：{assignee.display_name}",
                     data={"assignee": assignee.pk, "previous": previous})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="dispute",
                     target_id=dispute.number, detail={"assignee": assignee.pk})
    return dispute


def bulk_assign(*, actor: User, origin: Origin, dispute: Dispute, option: str) -> str:
    updated = assign_dispute(actor=actor, origin=origin, dispute_id=dispute.pk, assignee_id=int(option),
                             expected_version=dispute.version)
    return f"承办人 {updated.assignee.display_name if updated.assignee else ''}"


def assignee_options(actor: User) -> list[tuple[str, str]]:
    return [(str(u.pk), f"{u.display_name}（{u.get_role_display()}）") for u in court_staff(actor)]
