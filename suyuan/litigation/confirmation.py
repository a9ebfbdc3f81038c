"""Judicial confirmation of a mediation agreement (司法确认, case type 民特).

Joint application within 30 days of the agreement taking effect; acceptance within 3 days;
ruling within 15 days of acceptance (+10 with the president's approval). All periods come from the
rules module (confirmation_application / _acceptance / _ruling).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes import clocks
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import apply
from suyuan.rules import periods

from . import rendered
from .agreements import effective_agreement
from .choices import CaseType, ConfirmationStatus
from .lifecycle import CONFIRMATION
from .models import ConfirmationApplication
from .registration import allocate_case_number
from .selectors import visible_confirmations

APPLICANTS = {Role.PARTY, Role.MEDIATOR, Role.CLERK}
JOINT_CITATION = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第三百五十一条"


def apply_for_confirmation(*, actor: User, origin: Origin, dispute_id: int, joint: bool) -> ConfirmationApplication:
    """Both parties jointly apply; a late application is refused with the rule's citation."""
    if actor.role not in APPLICANTS:
        raise NotPermitted("您的角色不能申请司法确认。")
    if not joint:
        raise InvalidInput(f"司法确认须由双方当事人共同申请（{JOINT_CITATION}）。",
                           errors={"joint": ["请确认双方当事人共同提出申请。"]})
    with rendered.cleanup(), transaction.atomic():
        if not visible_disputes(actor).filter(pk=dispute_id).exists():
            raise NotFound()
        dispute = visible_disputes(actor).select_related("court").get(pk=dispute_id)
        if dispute.status != DisputeStatus.SETTLED:
            raise Conflict(f"纠纷当前状态为“{dispute.get_status_display()}”，只有达成调解协议后才能申请司法确认。")
        agreement = effective_agreement(dispute)
        if agreement is None:
            raise InvalidInput("该纠纷没有已生效的调解协议，不能申请司法确认。")
        today = timezone.localdate()
        deadline = periods.compute("confirmation_application", start=agreement.effective_on)
        if today > deadline.due:  # type: ignore[operator]
            reason = (
                f"申请已超过法定期限：应当自调解协议生效之日（{agreement.effective_on}）起{deadline.rule.length}日内提出，"
                f"期限已于 {deadline.due} 届满（{deadline.citation}）。可就原纠纷另行起诉或重新调解。"
            )
            raise InvalidInput(reason, errors={"__all__": [reason]})
        dispute = apply(DISPUTE, dispute.pk, "apply_confirmation", actor=actor, origin=origin,
                        summary=f"双方当事人共同申请司法确认（申请期限至 {deadline.due}，{deadline.citation}）")
        app = ConfirmationApplication.objects.create(
            dispute=dispute, court=dispute.court, agreement_ref=agreement.pk,
            agreement_effective_on=agreement.effective_on, applied_at=timezone.now(), applied_by=actor, joint=True,
        )
        clocks.start_clock(dispute=dispute, rule="confirmation_acceptance", start=today,
                           subject="司法确认受理期限", object_ref=app.object_ref)
        rendered.confirmation_application(dispute=dispute, agreement=agreement, on=today, actor=actor, origin=origin)
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="confirmation",
                     target_id=app.pk, detail={"dispute": dispute.number})
    return app


def _lock(actor: User, pk: int) -> ConfirmationApplication:
    app = ConfirmationApplication.objects.select_for_update().select_related("dispute", "court").filter(pk=pk).first()
    if app is None or not visible_confirmations(actor).filter(pk=pk).exists():
        raise NotFound()
    return app


def accept_confirmation(*, actor: User, origin: Origin, application_id: int,
                        expected_version: int | None = None) -> ConfirmationApplication:
    """受理: the 民特 case number is given and the 15-day ruling period starts."""
    with transaction.atomic():
        app = _lock(actor, application_id)
        today = timezone.localdate()

        def effect(a: ConfirmationApplication) -> None:
            a.year, a.serial, a.number = allocate_case_number(court=a.court, case_type=CaseType.CONFIRMATION, on=today)
            a.accepted_at = timezone.now()

        app = apply(CONFIRMATION, app, "accept", actor=actor, origin=origin, effect=effect,
                    expected_version=expected_version)
        clocks.stop_clock(dispute=app.dispute, rule="confirmation_acceptance", object_ref=app.object_ref)
        clock = clocks.start_clock(dispute=app.dispute, rule="confirmation_ruling", start=today,
                                   subject="司法确认审查期限", object_ref=app.object_ref)
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="confirmation",
                     target_id=app.pk, detail={"number": app.number, "ruling_due": clock.due_on.isoformat()})
    return app


def extend_confirmation_ruling(*, actor: User, origin: Origin, application_id: int, approved_by: str,
                               reason: str) -> ConfirmationApplication:
    """+10 days for special circumstances, with the president's approval (法释〔2011〕5号 第六条)."""
    if actor.role != Role.JUDGE:
        raise NotPermitted("只有承办法官可以报请延长审查期限。")
    if not approved_by.strip() or not reason.strip():
        raise InvalidInput("延长审查期限须写明理由并经院长批准。",
                           errors={"approved_by": ["请填写批准人。"], "reason": ["请填写理由。"]})
    with transaction.atomic():
        app = _lock(actor, application_id)
        if app.status != ConfirmationStatus.ACCEPTED:
            raise Conflict("只有已受理、尚未裁定的申请可以延长审查期限。")
        clock = Clock.objects.filter(dispute=app.dispute, rule="confirmation_ruling", object_ref=app.object_ref,
                                     status="open").first()
        if clock is None:
            raise Conflict("审查期限已经结束，不能延长。")
        clocks.extend_clock(clock=clock, actor=actor, origin=origin,
                            reason=f"{approved_by.strip()}批准：{reason.strip()}")
        app.ruling_extended, app.extension_approved_by = True, approved_by.strip()
        app.version += 1
        app.save(update_fields=["ruling_extended", "extension_approved_by", "version"])
    return app


def decide_confirmation(*, actor: User, origin: Origin, application_id: int, confirmed: bool, reasons: str,
                        expected_version: int | None = None) -> ConfirmationApplication:
    """裁定: confirm the agreement (the dispute moves to performance) or reject it with reasons."""
    reasons = reasons.strip()
    with rendered.cleanup(), transaction.atomic():
        app = _lock(actor, application_id)
        action = "confirm" if confirmed else "reject"

        def effect(a: ConfirmationApplication) -> None:
            a.decided_at, a.decided_by, a.reasons = timezone.now(), actor, reasons

        app = apply(CONFIRMATION, app, action, actor=actor, origin=origin, payload={"reasons": reasons},
                    effect=effect, expected_version=expected_version,
                    summary=f"{app.number}："
                            f"{'裁定确认调解协议有效' if confirmed else '裁定驳回申请。理由：' + reasons[:300]}")
        clocks.stop_clock(dispute=app.dispute, rule="confirmation_ruling", object_ref=app.object_ref)
        payload: dict[str, Any] = {}
        agreement = effective_agreement(app.dispute) if confirmed else None
        if agreement is not None:
            # The ruling makes the agreement enforceable: its schedule becomes the performance plan
            # (enforcement's after-hook, docs/workflow-contracts.md) in this same transaction.
            document = rendered.confirmation_ruling(dispute=app.dispute, agreement=agreement, case_number=app.number,
                                                    on=timezone.localdate(), actor=actor, origin=origin)
            app.document_id = document.pk
            app.save(update_fields=["document_id"])
            plan = rendered.performance(dispute=app.dispute, total=agreement.amount,
                                        instalments=list(agreement.instalments), source="confirmation_ruling")
            if plan is not None:
                payload["performance"] = plan
        apply(DISPUTE, app.dispute_id, "confirm" if confirmed else "reject_confirmation", actor=actor, origin=origin,
              payload=payload)
    return app


def refuse_confirmation(*, actor: User, origin: Origin, application_id: int, reasons: str) -> ConfirmationApplication:
    """不予受理 (e.g. outside the court's jurisdiction, 民诉法解释 第三百五十五条), with reasons."""
    reasons = reasons.strip()
    with transaction.atomic():
        app = _lock(actor, application_id)

        def effect(a: ConfirmationApplication) -> None:
            a.decided_at, a.decided_by, a.reasons = timezone.now(), actor, reasons

        app = apply(CONFIRMATION, app, "refuse", actor=actor, origin=origin, payload={"reasons": reasons},
                    effect=effect, summary=f"裁定不予受理。理由：{reasons[:300]}")
        clocks.stop_clock(dispute=app.dispute, rule="confirmation_acceptance", object_ref=app.object_ref)
        apply(DISPUTE, app.dispute_id, "reject_confirmation", actor=actor, origin=origin)
    return app
