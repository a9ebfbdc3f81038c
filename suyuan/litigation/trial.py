"""The trial: starting it, extending its period, withdrawal of the suit (撤诉).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotPermitted
from suyuan.disputes import clocks
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.workflow import apply

from .casework import (
    COURT_ROLES,
    _lock_case,
    _require_role,
    _stop_all_clocks,
    trial_clock,
)
from .choices import CaseStatus
from .lifecycle import CASE
from .models import Case


def start_trial(*, actor: User, origin: Origin, case_id: int, expected_version: int | None = None) -> Case:
    """The parties declined court-referred mediation (or the court proceeds directly): the trial goes on."""
    _require_role(actor, COURT_ROLES, "安排审理")
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        return apply(CASE, case, "start_trial", actor=actor, origin=origin, expected_version=expected_version)


def extend_trial(*, actor: User, origin: Origin, case_id: int, approved_by: str, reason: str) -> Case:
    """Extend the trial period by the rule's extension, with the president's approval recorded."""
    _require_role(actor, {Role.JUDGE}, "延长审理期限")
    approved_by, reason = approved_by.strip(), reason.strip()
    errors = {}
    if not approved_by:
        errors["approved_by"] = ["请填写批准延长的院长。"]
    if not reason:
        errors["reason"] = ["请填写延长理由。"]
    if errors:
        raise InvalidInput("延长审理期限须写明理由并经院长批准。", errors=errors)
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        clock = trial_clock(case)
        if case.status not in {CaseStatus.IN_TRIAL, CaseStatus.IN_COURT_MEDIATION} or clock is None:
            raise Conflict("只有审理中的案件可以延长审理期限。")
        clock = clocks.extend_clock(clock=clock, actor=actor, origin=origin, reason=f"{approved_by}批准：{reason}")
        case.trial_extension_approved_by, case.trial_extension_reason = approved_by, reason
        case.save(update_fields=["trial_extension_approved_by", "trial_extension_reason"])
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="case", target_id=case.pk,
                     detail={"kind": "case.extend_trial", "due": clock.due_on.isoformat()})
    return case


def withdraw_case(*, actor: User, origin: Origin, case_id: int, reason: str = "") -> Case:
    """The plaintiff withdraws the suit (撤诉); every clock of the case stops."""
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if actor.role == Role.PARTY and not case.dispute.dispute_parties.filter(
            party_id=actor.party_id or 0, role="applicant"
        ).exists() and case.filed_by_id != actor.pk:
            raise NotPermitted("只有原告（申请人）可以撤回起诉。")

        def effect(c: Case) -> None:
            c.closed_at = timezone.now()

        case = apply(CASE, case, "withdraw", actor=actor, origin=origin, effect=effect,
                     summary=f"撤回起诉{('：' + reason.strip()[:200]) if reason.strip() else ''}")
        _stop_all_clocks(case)
        apply(DISPUTE, case.dispute_id, "close_case", actor=actor, origin=origin, summary="原告撤回起诉")
    return case
