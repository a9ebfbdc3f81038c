"""The second instance decides the appeal (二审裁判): affirm, amend, or set aside and remand.

The court of second instance (民事诉讼法 第一百七十七条第一款; 2017 text 第一百七十条, rules data
``second_instance``):
- dismisses the appeal and affirms (判决驳回上诉，维持原判决): the first-instance judgment takes effect;
- amends (改判): its own judgment, with its own sum and period, is what is performed;
- sets the judgment aside and remands (裁定撤销原判决，发回原审人民法院重审): the court below registers
  the case again (a new 民初 number, ``receive_remand``) and retries it under the ordinary procedure
  with a new panel (第四十一条第三款; 民诉法解释 第二百五十七条: never the simple procedure).
Its judgments and rulings are final (第一百八十二条): no appeal period, so an affirmed or amended
judgment takes effect on the day it is served on the parties (rules data ``effective = "served"``;
the day of pronouncement when served in court) and "自判决生效之日起 N 日内" runs from that day;
``effective.make_effective`` fixes the due date and hands the performance plan to enforcement.

The dispute went back to "in litigation" with the first appeal (``appeals.file_appeal``); the
decision moves it to "performing" (affirm, amend) or leaves it in litigation for the retrial. The
upper court does not see the dispute itself (its scope is its own cases), so that dispute step is
the system's, in the same transaction as the judge's step on the case.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotPermitted
from suyuan.disputes.choices import ClockStatus, DisputeStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute
from suyuan.disputes.workflow import apply
from suyuan.rules import thresholds

from . import effective, rendered, serving
from .after_models import Appeal, AppealDecision
from .casework import _event, _lock_case, _parse_amount, _require_role, _stop_all_clocks, _today
from .choices import AppealOutcome, CaseType, Procedure
from .judgment import NON_PERFORMANCE_CONSEQUENCES, period_text
from .lifecycle import CASE
from .models import Case, Judgment
from .registration import register_by_system


def _check(*, outcome: str, main_text: str, reasons: str, pronounced: date, served: date, amount: Decimal | None,
           perform_within_days: int | None) -> None:
    errors: dict[str, list[str]] = {}
    if outcome not in AppealOutcome.values:
        errors["outcome"] = ["请选择裁判结果：驳回上诉维持原判、改判或发回重审。"]
    if not main_text:
        errors["main_text"] = ["请填写裁判主文。"]
    if pronounced > _today():
        errors["pronounced_on"] = ["宣判日期不能晚于今天。"]
    if served > _today() or served < pronounced:
        errors["served_on"] = ["送达日期应在宣判日期与今天之间。"]
    if outcome == AppealOutcome.REMAND and not reasons:
        errors["reasons"] = ["发回重审须写明撤销原判决的理由（认定基本事实不清或严重违反法定程序）。"]
    if outcome == AppealOutcome.AMEND:
        if perform_within_days is not None and perform_within_days < 1:
            errors["perform_within_days"] = ["履行期间应当至少为 1 日。"]
        elif amount is not None and perform_within_days is None:
            errors["perform_within_days"] = ["改判给付金钱的，请填写履行期间（自判决生效之日起的日数）。"]
    elif amount is not None or perform_within_days is not None:
        errors["amount"] = ["只有改判才另定给付金额和履行期间；维持原判的按一审判决履行。"]
    if errors:
        raise InvalidInput("二审裁判信息不完整或有误：" + "".join(m for msgs in errors.values() for m in msgs),
                           errors=errors)


def decide_appeal(*, actor: User, origin: Origin, case_id: int, outcome: str, main_text: str, reasons: str = "",
                  amount: str | Decimal | None = None, perform_within_days: int | None = None,
                  pronounced_on: date | None = None, served_on: date | None = None,
                  expected_version: int | None = None) -> AppealDecision:
    """Record the second instance's decision and carry out what it means (module docstring).
    ``served_on``: the day the decision was served on the parties (default: the day it was pronounced)."""
    _require_role(actor, {Role.JUDGE}, "作出二审裁判")
    main_text, reasons = main_text.strip(), reasons.strip()
    pronounced = pronounced_on or _today()
    served = served_on or pronounced
    value = _parse_amount(amount)
    _check(outcome=outcome, main_text=main_text, reasons=reasons, pronounced=pronounced, served=served,
           amount=value, perform_within_days=perform_within_days)
    rule = thresholds.second_instance_rule(on=pronounced)
    if rule is None:
        raise InvalidInput(f"{pronounced} 没有适用的二审裁判规则。")
    with rendered.cleanup(), transaction.atomic():
        second = _lock_case(actor, case_id)
        if second.case_type != CaseType.CIVIL_SECOND:
            raise Conflict("只有第二审案件（民终）可以作出二审裁判；一审案件请录入判决。")
        # The court below sees the appeal of its own case, but only the court of second instance decides it.
        if actor.organisation is None or actor.organisation.court() != second.court:
            raise NotPermitted("只有第二审法院的法官可以作出二审裁判。")
        if AppealDecision.objects.filter(second_case=second).exists():
            raise Conflict("该二审案件已经作出裁判。")
        appeal = Appeal.objects.select_related("case", "case__court").filter(second_case=second).first()
        if appeal is None:
            raise Conflict("未找到该二审案件的上诉记录。")
        first = appeal.case
        _check_periods_over(first)
        if outcome == AppealOutcome.REMAND and AppealDecision.objects.filter(retrial_case=first).exists():
            # 第一百七十七条第二款: after the retrial of a remanded case is appealed, no second remand.
            raise InvalidInput(f"本案已发回重审过一次，重审判决上诉后不得再次发回重审"
                               f"（{rule.no_second_remand_citation}），请依法改判或维持。",
                               errors={"outcome": ["不得再次发回重审。"]})
        _dispute_in_litigation(first, origin=origin)
        label = AppealOutcome(outcome).label
        if outcome == AppealOutcome.REMAND:
            second = apply(CASE, second, "remand", actor=actor, origin=origin, expected_version=expected_version,
                           summary=f"{label}（{reasons[:200]}；{rule.outcomes_citation}）")
            _stop_all_clocks(second, ClockStatus.MET)
            retrial = _register_retrial(first, origin=origin, citation=rule.remand_citation)
        else:
            second = apply(CASE, second, "judge", actor=actor, origin=origin, expected_version=expected_version,
                           summary=f"{label}（{rule.outcomes_citation}；{rule.final_citation}，终审）")
            _stop_all_clocks(second, ClockStatus.MET)
            retrial = None
        decision = AppealDecision.objects.create(
            second_case=second, first_case=first, outcome=outcome, main_text=main_text, reasons=reasons,
            pronounced_on=pronounced, served_on=served, judge=actor, citation=rule.outcomes_citation,
            retrial_case=retrial,
        )
        if retrial is None:
            _take_effect(decision, first=first, second=second, amount=value, perform_within_days=perform_within_days,
                         on=served if rule.effective == "served" else pronounced,
                         final_citation=rule.final_citation, actor=actor, origin=origin)
        _event(first, kind="case.appeal_decided", title="二审裁判", actor=actor, origin=origin,
               summary=f"{second.number}：{label}" + (f"，重审案号 {retrial.number}" if retrial else ""),
               data={"second_case": second.pk, "outcome": outcome, "retrial_case": retrial.pk if retrial else None})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="appeal_decision",
                     target_id=decision.pk, detail={"second_case": second.pk, "outcome": outcome})
    return decision


def _check_periods_over(first: Case) -> None:
    """Every party's appeal period against the first judgment has ended (or that party appealed): until then
    another party may still appeal into this case, so the court of second instance does not decide yet."""
    state = serving.judgment_effectiveness(first)
    running = [r for r in (state.parties if state else []) if not r.appealed
               and (r.appeal_due is None or r.appeal_due >= _today())]
    if running:
        names = "、".join(r.party.name for r in running)
        dues = [r.appeal_due for r in running if r.appeal_due is not None]
        until = f"（至 {max(dues)}）" if dues else "（一审判决尚未向其送达）"
        raise Conflict(f"{names}的上诉期尚未届满{until}，届满后方可作出二审裁判。")


def _dispute_in_litigation(first: Case, *, origin: Origin) -> None:
    """An appeal filed before the dispute's stage followed appeals left the dispute "performing": move it now."""
    dispute = Dispute.objects.select_for_update().get(pk=first.dispute_id)
    if dispute.status == DisputeStatus.PERFORMING:
        apply(DISPUTE, dispute, "appeal", actor=None, origin=origin,
              summary=f"{first.number} 已上诉，判决不发生法律效力，进入第二审")


def _take_effect(decision: AppealDecision, *, first: Case, second: Case, amount: Decimal | None,
                 perform_within_days: int | None, on: date, final_citation: str, actor: User, origin: Origin) -> None:
    """A final judgment: the dispute performs, and the judgment to perform is effective ``on``."""
    if decision.outcome == AppealOutcome.AFFIRM:
        judgment = first.judgment
    else:
        judgment = Judgment.objects.create(
            case=second, judge=actor, pronounced_on=decision.pronounced_on, main_text=decision.main_text,
            amount=amount, perform_within_days=perform_within_days, consequences=NON_PERFORMANCE_CONSEQUENCES)
        if amount:
            period = period_text(perform_by=None, perform_within_days=perform_within_days)
            # Rendered as the system: the upper court sees its case, not the dispute's other records.
            document = rendered.performance_notice(dispute=second.dispute, case_number=second.number, amount=amount,
                                                   perform_by=None, period=period, on=decision.pronounced_on,
                                                   actor=None, origin=origin)
            judgment.document_id = document.pk
            judgment.save(update_fields=["document_id"])
    apply(DISPUTE, second.dispute_id, "decide_appeal", actor=None, origin=origin,
          summary=f"{second.number} 二审{AppealOutcome(decision.outcome).label}，判决发生法律效力（{final_citation}）")
    effective.make_effective(judgment, on=on, actor=actor, origin=origin)


def _register_retrial(first: Case, *, origin: Origin, citation: str) -> Case:
    """The court below registers the remanded case under a new number, ordinary procedure, its own period."""
    retrial, clock = register_by_system(
        action="receive_remand", origin=origin,
        summary=f"{first.number} 经二审裁定发回重审，依第一审程序另行组成合议庭审理（{citation}）",
        dispute=first.dispute, court=first.court, case_type=CaseType.CIVIL_FIRST, procedure=Procedure.ORDINARY,
        filed_by=first.filed_by)
    _event(retrial, kind="case.numbered", title="编立重审案号", actor=None, origin=origin,
           summary=f"案号 {retrial.number}（原案号 {first.number}）；审理期限至 {clock.due_on}（{clock.citation}）",
           data={"number": retrial.number, "procedure": retrial.procedure, "remanded_from": first.pk})
    return retrial
