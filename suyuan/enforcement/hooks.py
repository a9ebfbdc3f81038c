"""Reactions to the dispute lifecycle, registered from ``EnforcementConfig.ready``.

The lower stage apps (mediation, litigation) cannot import this app; they move the dispute and
pass data in the payload (contract: docs/workflow-contracts.md), and these hooks do the rest in
the same transaction.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import NotPermitted
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.clocks import register_expiry_handler
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute
from suyuan.disputes.workflow import Transition

from .choices import EnforcementStatus, PlanStatus
from .models import EnforcementCase, PerformancePlan


def on_dispute_step(dispute: Dispute, row: Transition, actor: User | None, origin: Origin,
                    payload: dict[str, Any]) -> None:
    from . import services

    if row.target == DisputeStatus.PERFORMING:
        # Without a "performance" payload the dispute performs without tracked instalments (e.g. a
        # non-monetary agreement); with one, a malformed plan refuses the whole step.
        if "performance" in payload:
            services.create_plan(dispute=dispute, performance=payload["performance"], actor=actor, origin=origin)
        return
    plan = PerformancePlan.objects.filter(dispute=dispute).first()
    if plan is None:
        return
    if row.action == "confirm_performance" and plan.status in (PlanStatus.PERFORMING, PlanStatus.DEFAULTED):
        if actor is not None and actor.role == Role.PARTY and actor.party_id != plan.obligee_id:
            raise NotPermitted("只有权利人可以确认履行完毕。")
        services._complete(plan, actor, origin)
    elif row.action == "apply_enforcement" and plan.status != PlanStatus.ENFORCEMENT_APPLIED:
        services.open_enforcement_case(plan=plan, actor=actor, origin=origin)
    elif row.action == "conclude_enforcement":
        case = EnforcementCase.objects.filter(plan=plan, status=EnforcementStatus.OPEN).first()
        if case is not None:
            services.close_case(case=case, actor=actor, origin=origin, outcome=str(payload.get("outcome", "执行终结")))


def connect() -> None:
    from .services import INSTALMENT_RULE, on_instalment_due

    if on_dispute_step not in DISPUTE.after:
        DISPUTE.after.append(on_dispute_step)
    register_expiry_handler(INSTALMENT_RULE, on_instalment_due)
