"""Recovery and conclusion of an enforcement case: 执行完毕, 终结本次执行程序 (and 恢复执行), 终结执行, 不予执行.

A final outcome closes the dispute in the same transaction (dispute step ``conclude_enforcement``);
终本 does not: the case may be resumed when assets are found, so the dispute stays in enforcement.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.workflow import apply

from . import conditions, selectors
from .choices import EnforcementStatus
from .models import EnforcementCase
from .workflow_steps import apply_case

# 民事诉讼法（2023年修正）第二百六十八条 (2021年修正本第二百六十四条): the grounds of 终结执行.
TERMINATION_GROUNDS = [
    ("withdrawn", "申请人撤销申请"),
    ("document_revoked", "据以执行的法律文书被撤销"),
    ("deceased_no_estate", "作为被执行人的公民死亡，无遗产可供执行，又无义务承担人"),
    ("support_creditor_deceased", "追索赡养费、扶养费、抚养费案件的权利人死亡"),
    ("hardship", "作为被执行人的公民因生活困难无力偿还借款，无收入来源，又丧失劳动能力"),
    ("other", "人民法院认为应当终结执行的其他情形"),
]
TERMINATION_CITATION = "《中华人民共和国民事诉讼法》（2023年修正）第二百六十八条"


def _case(actor: User, case_id: int) -> EnforcementCase:
    case = selectors.visible_cases(actor).select_related("dispute").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def _reason(reason: str, field: str = "reason") -> str:
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise InvalidInput("请填写理由及依据（200 字以内）。", errors={field: ["请填写理由及依据（200 字以内）。"]})
    return reason


def finish(case: EnforcementCase, action: str, *, actor: User, origin: Origin, outcome: str,
           effect: Callable[[EnforcementCase], None] | None = None, payload: dict[str, Any] | None = None,
           expected_version: int | None = None) -> EnforcementCase:
    """A final outcome: the case step, then the dispute closes (same transaction)."""

    def closing(row: EnforcementCase) -> None:
        if effect is not None:
            effect(row)
        row.outcome = outcome[:200]
        row.concluded_at = timezone.now()

    with transaction.atomic():
        done = apply_case(case, action, actor=actor, origin=origin, effect=closing, payload=payload,
                          expected_version=expected_version, summary=f"执行案件 {case.number} 结案：{outcome[:200]}")
        apply(DISPUTE, done.dispute_id, "conclude_enforcement", actor=actor, origin=origin,
              payload={"case": done.pk, "outcome": outcome[:200]}, summary=f"执行结案：{outcome[:200]}")
        _end_carried_clocks(done, actor=actor, origin=origin)
    return done


def _end_carried_clocks(case: EnforcementCase, *, actor: User, origin: Origin) -> None:
    """Measures recorded in a preservation and carried into this case (保全转执行) stop asking to be renewed
    once the case is over; lifting them at the institutions is the officer's act, asked on the timeline."""
    from suyuan.preservation.expiry import stop_measure_clock

    from .selectors import carried_measures

    carried = list(carried_measures(case))
    for measure in carried:
        stop_measure_clock(measure)
    if carried:
        listing = "；".join(f"{m.get_kind_display()}{m.asset} {m.amount} 元" for m in carried)
        append_event(dispute=case.dispute, kind="enforcement.carried_measures_to_lift", title="请解除保全转来的措施",
                     actor=actor, origin=origin,
                     summary=f"执行案件 {case.number} 已结案，不再提醒续行；请向协助执行单位送达解除通知：{listing}",
                     data={"case": case.pk, "measures": [m.pk for m in carried]})


def record_recovery(*, case_id: int, actor: User, origin: Origin, amount: str, note: str,
                    expected_version: int) -> EnforcementCase:
    """执行到位: money received by the court for the applicant (扣划, 被执行人交付, 拍卖款…)."""
    from .services import _money

    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("只有执行员可以登记执行到位款项。")
    case = _case(actor, case_id)
    errors: dict[str, list[str]] = {}
    money = _money(amount, "amount", errors)
    note = note.strip()
    if not note or len(note) > 200:
        errors["note"] = ["请写明款项来源（200 字以内），如：扣划被执行人工商银行存款。"]
    if errors:
        raise InvalidInput("执行到位登记有误。", errors=errors)
    assert money is not None
    with transaction.atomic():
        locked = EnforcementCase.objects.select_for_update().get(pk=case.pk)
        if locked.version != expected_version:
            raise Conflict("该执行案件已被他人修改，请刷新后重试。")
        if locked.status != EnforcementStatus.OPEN:
            raise Conflict(f"执行案件当前为“{locked.get_status_display()}”，不能登记执行到位款项。")
        if money > locked.outstanding:
            raise InvalidInput(f"尚未执行到位 {locked.outstanding} 元，登记金额不能超过该数。",
                               errors={"amount": [f"不能超过 {locked.outstanding} 元。"]})
        locked.recovered += money
        locked.version += 1
        locked.save(update_fields=["recovered", "version"])
        append_event(dispute=locked.dispute, kind="enforcement.recovered", title="执行款到位", actor=actor,
                     origin=origin,
                     summary=f"执行到位 {money} 元（{note}），累计 {locked.recovered} 元，尚欠 {locked.outstanding} 元",
                     data={"case": locked.pk, "amount": str(money), "recovered": str(locked.recovered)})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="enforcement_recovery",
                     target_id=locked.pk, detail={"amount": str(money)})
    return locked


def record_first_measure(*, case_id: int, at: datetime) -> None:
    """The first control measure (冻结/查封/扣押/扣划) on the case, for "average days to first measure"."""
    EnforcementCase.objects.filter(pk=case_id, first_measure_at__isnull=True).update(first_measure_at=at)


def complete(*, case_id: int, actor: User, origin: Origin, expected_version: int | None = None) -> EnforcementCase:
    case = _case(actor, case_id)
    return finish(case, "complete", actor=actor, origin=origin, expected_version=expected_version,
                  outcome=f"执行完毕，申请执行人已受偿 {case.recovered} 元")


def end_round(*, case_id: int, actor: User, origin: Origin, confirmations: dict[str, str]) -> EnforcementCase:
    """终本, when every condition of 法〔2016〕373号 第一条 is met or confirmed in writing by the officer."""
    case = _case(actor, case_id)
    rows = conditions.evaluate(case, confirmations)

    def effect(row: EnforcementCase) -> None:
        row.round_ended_conditions = conditions.snapshot(rows)
        row.outcome = f"终结本次执行程序，未执行到位 {row.outstanding} 元"
        row.concluded_at = timezone.now()

    return apply_case(case, "end_round", actor=actor, origin=origin, effect=effect,
                      payload={"confirmations": confirmations},
                      summary=f"终结本次执行程序：已执行到位 {case.recovered} 元，尚欠 {case.outstanding} 元；"
                      "发现被执行人有可供执行财产的，申请执行人可申请恢复执行")


def resume_round(*, case_id: int, actor: User, origin: Origin, reason: str) -> EnforcementCase:
    case = _case(actor, case_id)
    reason = _reason(reason)

    def effect(row: EnforcementCase) -> None:
        row.resumed_count += 1
        row.outcome = ""
        row.concluded_at = None

    return apply_case(case, "resume_round", actor=actor, origin=origin, effect=effect, payload={"reason": reason},
                      summary=f"恢复执行：{reason}")


def terminate(*, case_id: int, actor: User, origin: Origin, ground: str, reason: str) -> EnforcementCase:
    case = _case(actor, case_id)
    labels = dict(TERMINATION_GROUNDS)
    if ground not in labels:
        raise InvalidInput(f"请选择终结执行的法定情形（{TERMINATION_CITATION}）。", errors={"ground": ["请选择情形。"]})
    reason = _reason(reason)
    return finish(case, "terminate", actor=actor, origin=origin, payload={"reason": reason, "ground": ground},
                  outcome=f"终结执行：{labels[ground]}（{TERMINATION_CITATION}）。{reason}")


def refuse(*, case_id: int, actor: User, origin: Origin, reason: str) -> EnforcementCase:
    case = _case(actor, case_id)
    reason = _reason(reason)
    return finish(case, "refuse", actor=actor, origin=origin, payload={"reason": reason},
                  outcome=f"裁定不予执行：{reason}")

