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
from suyuan.common.errors import Conflict, NotPermitted
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.clocks import register_expiry_handler
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute
from suyuan.disputes.workflow import Transition
from suyuan.litigation.models import Judgment

from .choices import EnforcementStatus, PlanStatus
from .models import EnforcementCase


def on_dispute_step(dispute: Dispute, row: Transition, actor: User | None, origin: Origin,
                    payload: dict[str, Any]) -> None:
    from . import opening, selectors, services

    if row.target == DisputeStatus.PERFORMING:
        # Without a "performance" payload the dispute performs without tracked instalments (e.g. a
        # non-monetary agreement); with one, a malformed plan refuses the whole step.
        if "performance" in payload:
            services.create_plan(dispute=dispute, performance=payload["performance"], actor=actor, origin=origin)
        return
    if row.action == "apply_enforcement" and "basis" in payload:
        opening.open_from_basis(dispute=dispute, data=payload["basis"], actor=actor, origin=origin)
        return
    if row.action == "conclude_enforcement":
        # The case's own conclusion step moves the dispute (conclusion.finish, payload "case"); a
        # dispute step on its own may not skip the choice of outcome.
        if "case" not in payload and EnforcementCase.objects.filter(dispute=dispute).exclude(
                status__in=[EnforcementStatus.COMPLETED, EnforcementStatus.TERMINATED,
                            EnforcementStatus.NOT_ENFORCED, EnforcementStatus.CONCLUDED]).exists():
            raise Conflict("请在执行案件页面选择结案方式（执行完毕、终结执行或不予执行）。")
        return
    plan = selectors.original_plan(dispute.pk)
    if plan is None:
        return
    if row.action == "confirm_performance" and plan.status in (PlanStatus.PERFORMING, PlanStatus.DEFAULTED):
        if actor is not None and actor.role == Role.PARTY and actor.party_id != plan.obligee_id:
            raise NotPermitted("只有权利人可以确认履行完毕。")
        services._complete(plan, actor, origin)
    elif row.action == "apply_enforcement" and plan.status != PlanStatus.ENFORCEMENT_APPLIED:
        opening.open_from_plan(plan=plan, actor=actor, origin=origin)


def on_judgment_effective(judgment: Judgment, performance: dict[str, Any], actor: User | None,
                          origin: Origin) -> None:
    """A judgment's plan is created when it becomes effective, not at pronouncement: only then is
    the due date (effective_on + N days) known, and an appealed judgment never gets one."""
    from . import services

    services.create_plan(dispute=judgment.case.dispute, performance=performance, actor=actor, origin=origin)


def connect() -> None:
    from suyuan.litigation.effective import register_effective_handler

    from .services import INSTALMENT_RULE, on_instalment_due

    if on_dispute_step not in DISPUTE.after:
        DISPUTE.after.append(on_dispute_step)
    register_expiry_handler(INSTALMENT_RULE, on_instalment_due)
    register_effective_handler(on_judgment_effective)
