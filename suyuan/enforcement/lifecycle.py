"""Status fields of the enforcement app: the performance plan, its instalments, the enforcement case.

Who on the party side may act (the obligor reports, the obligee confirms and applies) is an
object-level check in ``services``; the tables say which roles may act at all. The one legal
precondition, the two-year period for applying for enforcement, is the guard below.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t

from .choices import EnforcementStatus as E
from .choices import InstalmentStatus as I
from .choices import PlanStatus as P
from .deadlines import enforcement_period
from .models import EnforcementCase, Instalment, PerformancePlan

SIDES = {Role.PARTY, Role.CLERK}


def within_enforcement_period(plan: PerformancePlan, actor: User | None, payload: dict[str, Any]) -> str | None:
    if plan.last_default_due is None:
        return None
    period = enforcement_period(plan.last_default_due)
    today = timezone.localdate()
    if period.expired(today):
        return (f"申请执行的期间已于 {period.due:%Y年%m月%d日} 届满（自履行期间最后一日 "
                f"{period.start:%Y年%m月%d日} 起算，{period.citation}），本平台不能再提交强制执行申请。"
                "如有中止、中断事由，请持相关证明到法院窗口办理。")
    return None


PLAN_TRANSITIONS = [
    t((P.PERFORMING, P.DEFAULTED), "mark_performed", P.PERFORMED, SIDES | {Role.MEDIATOR}, "确认履行完毕"),
    t(P.PERFORMING, "default", P.DEFAULTED, {SYSTEM}, "逾期未履行"),
    t(P.DEFAULTED, "apply_enforcement", P.ENFORCEMENT_APPLIED, SIDES, "申请强制执行",
      guard=within_enforcement_period, guard_doc="自履行期间最后一日起二年内（rules: enforcement_application）"),
]

INSTALMENT_TRANSITIONS = [
    t((I.PENDING, I.OVERDUE), "report_payment", I.REPORTED, SIDES, "报告付款"),
    t(I.REPORTED, "confirm_payment", I.PAID, SIDES, "确认收款（本期已付清）"),
    t(I.REPORTED, "confirm_partial", I.PENDING, SIDES, "确认部分收款"),
    t(I.REPORTED, "reject_report", I.PENDING, SIDES, "未收到款项，退回付款报告"),
    t(I.PENDING, "mark_overdue", I.OVERDUE, {SYSTEM}, "本期逾期未履行"),
]

CASE_TRANSITIONS = [
    t(E.OPEN, "conclude", E.CONCLUDED, {Role.ENFORCEMENT}, "执行完毕或终结"),
]


def _dispute_visible(dispute_id: int, actor: User) -> bool:
    return visible_disputes(actor).filter(pk=dispute_id).exists()


def _case_in_scope(case: EnforcementCase, actor: User) -> bool:
    if actor.role == Role.ENFORCEMENT:
        court = actor.organisation.court() if actor.organisation else None
        return court is not None and case.court_id == court.pk
    return _dispute_visible(case.dispute_id, actor)


PLAN = register(Lifecycle(
    name="performance", title="履行方案", model=PerformancePlan, states=P, transitions=PLAN_TRANSITIONS,
    dispute_of=lambda plan: plan.dispute, in_scope=lambda plan, actor: _dispute_visible(plan.dispute_id, actor),
))
INSTALMENT = register(Lifecycle(
    name="instalment", title="分期履行", model=Instalment, states=I, transitions=INSTALMENT_TRANSITIONS,
    dispute_of=lambda i: i.plan.dispute, in_scope=lambda i, actor: _dispute_visible(i.plan.dispute_id, actor),
))
ENFORCEMENT_CASE = register(Lifecycle(
    name="enforcement", title="执行案件", model=EnforcementCase, states=E, transitions=CASE_TRANSITIONS,
    dispute_of=lambda case: case.dispute, in_scope=_case_in_scope,
))
