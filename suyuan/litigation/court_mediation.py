"""Court-referred mediation (委托调解) after registration, with every party's consent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict, InvalidInput, NotFound
from suyuan.disputes import clocks
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock
from suyuan.disputes.workflow import apply
from suyuan.network.choices import MediatorStatus
from suyuan.network.selectors import roster_for
from suyuan.rules import periods

from . import rendered
from .casework import (
    COURT_ROLES,
    _event,
    _lock_case,
    _lock_dispute,
    _open_clock,
    _parse_amount,
    _require_role,
    _stop_all_clocks,
    _today,
    trial_clock,
)
from .choices import CaseStatus, MediationOutcome
from .lifecycle import CASE
from .models import Case, CourtMediation


def refer_to_court_mediation(*, actor: User, origin: Origin, case_id: int, mediator_id: int,
                             expected_version: int | None = None) -> CourtMediation:
    """Refer a registered case to a mediator on the roster, only with every party's consent."""
    _require_role(actor, COURT_ROLES, "委托调解")
    mediator = roster_for(actor).filter(pk=mediator_id, status=MediatorStatus.ACTIVE).first()
    if mediator is None:
        raise InvalidInput("请从名册中选择在册的调解员。", errors={"mediator": ["请选择在册的调解员。"]})
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        case = apply(CASE, case, "refer_to_mediation", actor=actor, origin=origin, expected_version=expected_version,
                     summary=f"经当事人同意，委托调解员{mediator.name}调解", data={"mediator": mediator.pk})
        cm = CourtMediation.objects.create(case=case, mediator=mediator, assigned_at=timezone.now(), assigned_by=actor,
                                           consent_summary="全体当事人已在同意记录中表示同意调解")
        # The dispute's current mediator is the one the court referred it to: they see it and may
        # record the settlement on it.
        dispute = _lock_dispute(case.dispute_id)
        dispute.mediator = mediator
        dispute.version += 1
        dispute.save(update_fields=["mediator", "version", "updated_at"])
    return cm


def _lock_mediation(actor: User | None, mediation_id: int) -> CourtMediation:
    cm = CourtMediation.objects.select_related("mediator").filter(pk=mediation_id).first()
    if cm is None:
        raise NotFound()
    _lock_case(actor, cm.case_id)
    cm = CourtMediation.objects.select_for_update().select_related("mediator", "case", "case__dispute").get(pk=cm.pk)
    if actor is not None and actor.role == Role.MEDIATOR and cm.mediator.user_id != actor.pk:
        raise NotFound()
    return cm


def sign_court_mediation(*, actor: User, origin: Origin, mediation_id: int) -> CourtMediation:
    """The mediator's signed receipt starts the court-mediation period (15/7 days from 2025, 30 before)."""
    _require_role(actor, {Role.MEDIATOR}, "签收委托调解")
    with transaction.atomic():
        cm = _lock_mediation(actor, mediation_id)
        if cm.signed_receipt_at is not None:
            raise Conflict("已经签收过该委托调解。")
        if cm.outcome != MediationOutcome.PENDING or cm.case.status != CaseStatus.IN_COURT_MEDIATION:
            raise Conflict("该委托调解已经结束。")
        cm.signed_receipt_at = timezone.now()
        clock = clocks.start_clock(dispute=cm.case.dispute, rule="court_mediation",
                                   start=timezone.localdate(cm.signed_receipt_at), subject="委托调解期限",
                                   object_ref=cm.object_ref, procedure=cm.case.procedure or None)
        cm.regime, cm.citation, cm.due = clock.regime, clock.citation, clock.due_on
        cm.save(update_fields=["signed_receipt_at", "regime", "citation", "due"])
        _event(cm.case, kind="court_mediation.receipt", title="调解员签收委托调解", actor=actor, origin=origin,
               summary=f"调解员{cm.mediator.name}签收，调解期限至 {clock.due_on}（{clock.regime}；{clock.citation}）",
               data={"mediation": cm.pk, "due": clock.due_on.isoformat(), "regime": clock.regime})
    return cm


def agree_mediation_extension(*, actor: User, origin: Origin, mediation_id: int, note: str) -> CourtMediation:
    """Both parties agree to extend court mediation by the rule's extension (30 days from 2025).

    The extension is not counted in the trial period, so the trial clock's due date moves by as many days.
    """
    _require_role(actor, COURT_ROLES | {Role.MEDIATOR}, "记录双方同意延长调解")
    note = note.strip()
    if not note:
        raise InvalidInput("请写明双方当事人同意延长的方式（如书面同意、笔录）。",
                           errors={"note": ["请写明同意方式。"]})
    with transaction.atomic():
        cm = _lock_mediation(actor, mediation_id)
        if cm.outcome != MediationOutcome.PENDING or cm.signed_receipt_at is None:
            raise Conflict("只有调解员已签收、尚在进行的委托调解可以延长。")
        if cm.extended:
            raise Conflict("该委托调解已经延长过。")
        clock = _open_clock(cm.case.dispute, "court_mediation", cm.object_ref)
        if clock is None:
            raise Conflict("委托调解期限已经届满，不能再延长。")
        rule = periods.rule_in_force("court_mediation", on=clock.started_on, procedure=cm.case.procedure or None)
        if not rule.extension:
            raise InvalidInput(f"“{rule.regime}”下委托调解期限没有经双方同意延长的规定（{rule.citation}）。")
        clock = clocks.extend_clock(clock=clock, actor=actor, origin=origin, reason=f"双方当事人同意延长：{note}")
        days = (clock.due_on - cm.due).days if cm.due else rule.extension
        trial = trial_clock(cm.case)
        if trial is not None:
            clocks.extend_clock(clock=trial, actor=actor, origin=origin, extra_days=days,
                                reason=f"委托调解经双方同意延长 {days} 日，延长期间不计入审理期限（{rule.citation}）")
        cm.extended, cm.extension_agreed_at, cm.extension_note, cm.due = True, timezone.now(), note, clock.due_on
        cm.save(update_fields=["extended", "extension_agreed_at", "extension_note", "due"])
    return cm


def record_mediation_outcome(*, actor: User, origin: Origin, mediation_id: int, settled: bool, note: str,
                             amount: str | Decimal | None = None, perform_by: date | None = None) -> CourtMediation:
    """Settled: the case closes "以其他方式结案" and the dispute moves to performance. Failed: back to trial.

    A settlement that obliges the respondent to pay (``amount`` by ``perform_by``) becomes a tracked
    performance plan (source ``court_settlement``, docs/workflow-contracts.md), so a default can go
    to enforcement; without an amount the settlement is non-monetary and nothing is tracked.
    """
    _require_role(actor, COURT_ROLES | {Role.MEDIATOR}, "记录委托调解结果")
    note = note.strip()
    if not note:
        raise InvalidInput("请填写调解结果说明（达成的协议内容或未达成的原因）。", errors={"note": ["请填写说明。"]})
    value = _parse_amount(amount) if settled else None
    if value == 0:
        value = None
    if value is not None and perform_by is None:
        raise InvalidInput("协议约定给付金额的，请填写履行期限。", errors={"perform_by": ["请填写履行期限。"]})
    if value is not None and perform_by is not None and perform_by < _today():
        raise InvalidInput("履行期限不能早于今天。", errors={"perform_by": ["履行期限不能早于今天。"]})
    with transaction.atomic():
        cm = _lock_mediation(actor, mediation_id)
        if cm.outcome != MediationOutcome.PENDING:
            raise Conflict("该委托调解已经有结果。")
        case = cm.case
        cm.outcome = MediationOutcome.SETTLED if settled else MediationOutcome.FAILED
        cm.outcome_at, cm.outcome_note = timezone.now(), note
        cm.save(update_fields=["outcome", "outcome_at", "outcome_note"])
        clocks.stop_clock(dispute=case.dispute, rule="court_mediation", object_ref=cm.object_ref)
        if settled:
            def effect(c: Case) -> None:
                c.closed_at = timezone.now()

            apply(CASE, case, "settle", actor=actor, origin=origin, effect=effect,
                  summary=f"委托调解达成协议，以其他方式结案：{note[:200]}")
            _stop_all_clocks(case, ClockStatus.MET)
            payload: dict[str, Any] = {}
            if value is not None and perform_by is not None:
                plan = rendered.performance(dispute=case.dispute, total=value, source="court_settlement",
                                            instalments=[{"due": perform_by.isoformat(), "amount": f"{value:.2f}"}])
                if plan is not None:
                    payload["performance"] = plan
            apply(DISPUTE, case.dispute_id, "settle_in_court", actor=actor, origin=origin, payload=payload,
                  summary="委托调解成功，案件以其他方式结案"
                          + (f"；应于 {perform_by} 前履行 {value} 元" if payload else ""))
        else:
            apply(CASE, case, "return_to_trial", actor=actor, origin=origin,
                  summary=f"委托调解不成，转入审理：{note[:200]}")
    return cm


def court_mediation_expired(clock: Clock) -> None:
    """Sweep escalation: the court-mediation period passed without agreement → the case returns to trial.

    Runs in the sweep's transaction; an agreed extension has already moved the clock's due date.
    """
    if not clock.object_ref.startswith("court_mediation:"):
        return
    cm = CourtMediation.objects.select_for_update().select_related("case").filter(
        pk=int(clock.object_ref.split(":", 1)[1])
    ).first()
    if cm is None or cm.outcome != MediationOutcome.PENDING or cm.case.status != CaseStatus.IN_COURT_MEDIATION:
        return
    cm.outcome, cm.outcome_at = MediationOutcome.EXPIRED, timezone.now()
    cm.outcome_note = f"委托调解期限于 {clock.due_on} 届满，未达成调解协议（{clock.citation}）"
    cm.save(update_fields=["outcome", "outcome_at", "outcome_note"])
    apply(CASE, cm.case_id, "return_to_trial", actor=None, origin=WORKER,
          summary=f"委托调解期限届满未达成协议，转入审理（{clock.citation}）", data={"mediation": cm.pk})
