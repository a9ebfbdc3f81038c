"""Status fields of the enforcement app: the performance plan, its instalments, the enforcement case.

Who on the party side may act (the obligor reports, the obligee confirms and applies) is an
object-level check in ``services``; the tables say which roles may act at all. The legal
preconditions are the guards: the two-year application period, full recovery for 执行完毕, the
终本 conditions (``conditions.py``), default of a settlement before resumption.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t

from .choices import DerivativeStatus as D
from .choices import EnforcementStatus as E
from .choices import InstalmentStatus as I
from .choices import PlanStatus as P
from .conditions import round_end_refusal
from .deadlines import enforcement_period
from .models import DerivativeCase, EnforcementCase, Instalment, PerformancePlan

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

def fully_recovered(case: EnforcementCase, actor: User | None, payload: dict[str, Any]) -> str | None:
    if case.recovered < case.amount:
        return (f"执行到位 {case.recovered} 元，尚欠 {case.amount - case.recovered} 元，不能以“执行完毕”结案。"
                "未全部到位的，可依法终结本次执行程序或终结执行。")
    return None


def settlement_defaulted(case: EnforcementCase, actor: User | None, payload: dict[str, Any]) -> str | None:
    # 民诉法解释（2022年修正）第四百六十五条；《关于执行和解若干问题的规定》第九条、第十一条: resumption
    # only when the settlement is not (fully) performed; a performed settlement is never resumed.
    plan = case.settlement_plan
    if plan is None or plan.status != P.DEFAULTED:
        return "执行和解协议未出现逾期不履行，不能恢复执行（民诉法解释第四百六十五条）。"
    return None


def settlement_performed(case: EnforcementCase, actor: User | None, payload: dict[str, Any]) -> str | None:
    plan = case.settlement_plan
    if plan is None or plan.status != P.PERFORMED:
        return "执行和解协议尚未履行完毕，不能以和解履行完毕结案。"
    return None


def stated_reason(case: EnforcementCase, actor: User | None, payload: dict[str, Any]) -> str | None:
    if not str(payload.get("reason", "")).strip():
        return "请填写理由及依据。"
    return None


def round_end_conditions(case: EnforcementCase, actor: User | None, payload: dict[str, Any]) -> str | None:
    return round_end_refusal(case, payload.get("confirmations") or {})


ENFORCERS = {Role.ENFORCEMENT}
CASE_TRANSITIONS = [
    t(E.OPEN, "enter_settlement", E.SETTLEMENT, ENFORCERS, "达成执行和解，按和解协议履行"),
    t(E.SETTLEMENT, "resume", E.OPEN, ENFORCERS, "和解协议未履行，恢复执行",
      guard=settlement_defaulted, guard_doc="和解履行方案已逾期（民诉法解释第四百六十五条）"),
    t(E.SETTLEMENT, "complete_settlement", E.COMPLETED, ENFORCERS, "执行和解协议履行完毕，执行完毕",
      guard=settlement_performed, guard_doc="和解履行方案已履行完毕"),
    t(E.OPEN, "complete", E.COMPLETED, ENFORCERS, "执行完毕",
      guard=fully_recovered, guard_doc="执行到位金额不少于申请执行标的"),
    t(E.OPEN, "end_round", E.ROUND_ENDED, ENFORCERS, "终结本次执行程序",
      guard=round_end_conditions, guard_doc="法〔2016〕373号第一条各项条件（conditions.py）"),
    t(E.ROUND_ENDED, "resume_round", E.OPEN, ENFORCERS, "发现可供执行财产，恢复执行",
      guard=stated_reason, guard_doc="载明新发现的财产或恢复理由"),
    t((E.OPEN, E.SETTLEMENT, E.ROUND_ENDED), "terminate", E.TERMINATED, ENFORCERS, "终结执行",
      guard=stated_reason, guard_doc="民事诉讼法第二百六十八条所列情形之一"),
    t(E.OPEN, "refuse", E.NOT_ENFORCED, ENFORCERS, "裁定不予执行",
      guard=stated_reason, guard_doc="载明不予执行的理由及依据"),
]

DERIVATIVE_TRANSITIONS = [
    t(D.FILED, "uphold", D.UPHELD, {Role.ENFORCEMENT, Role.JUDGE}, "裁定异议/复议成立"),
    t(D.FILED, "dismiss", D.DISMISSED, {Role.ENFORCEMENT, Role.JUDGE}, "裁定驳回"),
    t(D.FILED, "withdraw", D.WITHDRAWN, {Role.ENFORCEMENT, Role.JUDGE, Role.PARTY}, "撤回异议/复议申请"),
]


def _dispute_visible(dispute_id: int, actor: User) -> bool:
    return visible_disputes(actor).filter(pk=dispute_id).exists()


def _case_in_scope(case: EnforcementCase, actor: User) -> bool:
    if actor.role == Role.ENFORCEMENT:
        court = actor.organisation.court() if actor.organisation else None
        return court is not None and case.court_id == court.pk
    if actor.role == Role.PARTY:
        return actor.party_id in (case.applicant_id, case.respondent_id)
    return _dispute_visible(case.dispute_id, actor)


def _derivative_in_scope(case: DerivativeCase, actor: User) -> bool:
    """The examining court's officers and judges (the court above for 执复); the parties of the main case."""
    if actor.role in (Role.ENFORCEMENT, Role.JUDGE):
        court = actor.organisation.court() if actor.organisation else None
        return court is not None and case.court_id == court.pk
    if actor.role == Role.PARTY:
        return actor.party_id == case.applicant_id
    return False


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
DERIVATIVE = register(Lifecycle(
    name="enforcement_derivative", title="执行异议/复议案件", model=DerivativeCase, states=D,
    transitions=DERIVATIVE_TRANSITIONS, dispute_of=lambda case: case.main_case.dispute,
    in_scope=_derivative_in_scope,
))
