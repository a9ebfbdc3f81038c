"""What every litigation service shares: locking a case in the actor's scope, role checks, the
timeline event + audit row of a write, the open clocks of a case, amount parsing.

Lock order is case, then dispute, everywhere, so two services never wait on each other in a cycle.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.disputes import clocks
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Clock, Dispute

from .choices import SECOND_INSTANCE_RULE, TRIAL_RULES, CaseStatus, CaseType, Procedure
from .models import Case
from .selectors import visible_cases

COURT_ROLES = {Role.CLERK, Role.JUDGE}
OPEN_STATES = {CaseStatus.FILED, CaseStatus.AWAITING_MATERIALS, CaseStatus.REGISTERED,
               CaseStatus.IN_COURT_MEDIATION, CaseStatus.IN_TRIAL}


def case_ref(case: Case) -> str:
    return f"case:{case.pk}"


def _today() -> date:
    return timezone.localdate()


def _lock_case(actor: User | None, case_id: int) -> Case:
    case = (Case.objects.select_for_update().select_related("dispute", "court", "court__region")
            .filter(pk=case_id).first())
    if case is None or (actor is not None and not visible_cases(actor).filter(pk=case_id).exists()):
        raise NotFound()
    return case


def _lock_dispute(dispute_id: int) -> Dispute:
    return Dispute.objects.select_for_update().get(pk=dispute_id)


def _require_role(actor: User, roles: Collection[str], what: str) -> None:
    if actor.role not in roles:
        raise NotPermitted(f"您的角色不能{what}。")


def _event(case: Case, *, kind: str, title: str, actor: User | None, origin: Origin, summary: str,
           data: dict[str, Any] | None = None) -> None:
    dispute = _lock_dispute(case.dispute_id)
    append_event(dispute=dispute, kind=kind, title=title, actor=actor, origin=origin, summary=summary,
                 data={"case": case.pk, **(data or {})})
    record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="case", target_id=case.pk,
                 detail={"kind": kind, "dispute": dispute.number})


def _open_clock(dispute: Dispute, rule: str, object_ref: str) -> Clock | None:
    return Clock.objects.filter(dispute=dispute, rule=rule, object_ref=object_ref, status=ClockStatus.OPEN).first()


def trial_rule(case: Case) -> str:
    if case.case_type == CaseType.CIVIL_SECOND:
        return SECOND_INSTANCE_RULE
    return TRIAL_RULES[Procedure(case.procedure)]


def trial_clock(case: Case) -> Clock | None:
    if not case.procedure:
        return None
    return _open_clock(case.dispute, trial_rule(case), case_ref(case))



def _stop_all_clocks(case: Case, outcome: str = ClockStatus.CANCELLED) -> None:
    refs = [case_ref(case)] + [m.object_ref for m in case.court_mediations.all()]
    for clock in Clock.objects.filter(dispute=case.dispute, object_ref__in=refs,
                                      status__in=[ClockStatus.OPEN, ClockStatus.OVERDUE]):
        clocks.stop_clock(dispute=case.dispute, rule=clock.rule, object_ref=clock.object_ref, outcome=outcome)



def _parse_amount(raw: str | Decimal | None) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise InvalidInput("金额格式不正确。", errors={"amount": ["请填写数字金额。"]}) from None
    if value < 0 or value >= Decimal("1e12"):
        raise InvalidInput("金额超出范围。", errors={"amount": ["金额超出范围。"]})
    return value.quantize(Decimal("0.01"))
