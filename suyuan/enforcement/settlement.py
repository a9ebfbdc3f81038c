"""执行和解: a settlement reached in enforcement, with its own performance plan.

While the plan runs the case is suspended (state ``settlement``); a default lets the officer resume
enforcement on the applicant's application, the part already paid deducted (民诉法解释（2022年修正）
第四百六十五条；《最高人民法院关于执行和解若干问题的规定》（法释〔2018〕3号）第九条、第十一条 — article
numbers from the published texts, not verified here); a performed settlement concludes the case.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.disputes.events import append_event

from . import selectors
from .choices import PerformanceSource
from .models import EnforcementCase, PerformancePlan
from .workflow_steps import apply_case


def enter_settlement(*, case_id: int, actor: User, origin: Origin, instalments: list[dict[str, Any]],
                     expected_version: int | None = None) -> EnforcementCase:
    """The parties' 执行和解协议 as instalments (due, amount); the total may be less than the claim."""
    from .services import create_plan

    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("执行和解协议由执行员记录。")
    case = selectors.visible_cases(actor).select_related("dispute").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    rows = [r for r in instalments if str(r.get("due", "")).strip() or str(r.get("amount", "")).strip()]
    try:
        total = sum(float(str(r.get("amount", "0"))) for r in rows)
    except ValueError:
        raise InvalidInput("和解协议的分期金额有误。", errors={"instalments": ["请填写金额（元）。"]}) from None
    with transaction.atomic():
        plan = create_plan(
            dispute=case.dispute, actor=actor, origin=origin, settlement=True,
            performance={"source": PerformanceSource.ENFORCEMENT_SETTLEMENT, "total": f"{total:.2f}",
                         "obligor_party_id": case.respondent_id, "obligee_party_id": case.applicant_id,
                         "instalments": rows},
        )
        if plan.total > case.outstanding:
            raise InvalidInput(f"和解金额 {plan.total} 元超过尚未执行到位的 {case.outstanding} 元。",
                               errors={"instalments": ["和解金额不能超过未执行金额。"]})

        def effect(row: EnforcementCase) -> None:
            row.settlement_plan = plan

        return apply_case(case, "enter_settlement", actor=actor, origin=origin, effect=effect,
                          expected_version=expected_version,
                          summary=f"达成执行和解：{plan.instalments.count()} 期，合计 {plan.total} 元；"
                          "和解履行期间暂缓执行")


def resume_after_default(*, case_id: int, actor: User, origin: Origin, reason: str) -> EnforcementCase:
    """恢复执行 on the applicant's application: what was paid under the settlement is deducted."""
    case = selectors.visible_cases(actor).select_related("settlement_plan").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    plan = case.settlement_plan
    paid = plan.paid_total if plan is not None else 0

    def effect(row: EnforcementCase) -> None:
        row.recovered = min(row.recovered + paid, row.amount)
        row.resumed_count += 1

    return apply_case(case, "resume", actor=actor, origin=origin, effect=effect, payload={"reason": reason},
                      summary=f"执行和解协议未履行，恢复执行；和解中已履行 {paid} 元予以扣除"
                      + (f"。{reason.strip()[:200]}" if reason.strip() else ""))


def complete_settlement(*, case_id: int, actor: User, origin: Origin) -> EnforcementCase:
    from .conclusion import finish

    case = selectors.visible_cases(actor).select_related("settlement_plan").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    plan = case.settlement_plan
    paid = plan.paid_total if plan is not None else 0

    def effect(row: EnforcementCase) -> None:
        row.recovered = min(row.recovered + paid, row.amount)
        row.through_settlement = True

    return finish(case, "complete_settlement", actor=actor, origin=origin, effect=effect,
                  outcome=f"执行和解协议履行完毕（和解履行 {paid} 元）")


def on_settlement_performed(plan: PerformancePlan, *, actor: User | None, origin: Origin) -> None:
    """The last settlement instalment is confirmed: tell the officer the case can be concluded."""
    case = EnforcementCase.objects.filter(settlement_plan=plan).first()
    if case is None:
        return
    append_event(dispute=plan.dispute, kind="enforcement.settlement_performed", title="执行和解协议履行完毕",
                 actor=actor, origin=origin,
                 summary=f"{case.number} 的执行和解协议已履行完毕（{plan.total} 元），待执行员结案",
                 data={"case": case.pk, "plan": plan.pk})

