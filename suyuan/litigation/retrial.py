"""申请再审、申诉立案前释明和审查: intake, the six-month check, pre-review with explanation, decision.

An application for retrial is made within six months from the judgment's effective date
(民事诉讼法 第二百一十六条, rule ``retrial_application``) to the court above (第二百一十条); the court
reviews it within three months of receipt (第二百一十五条, rule ``retrial_review``).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.disputes import clocks
from suyuan.disputes.events import append_event
from suyuan.disputes.workflow import apply
from suyuan.rules import periods

from .after_selectors import visible_retrials
from .appeals import upper_court_of
from .casework import _lock_case, _lock_dispute, _require_role, _today
from .choices import RetrialKind
from .lifecycle_after import RETRIAL
from .models import RetrialApplication
from .serving import effective_on, parties_of


def apply_for_retrial(*, actor: User, origin: Origin, case_id: int, grounds: str,
                      kind: str = RetrialKind.RETRIAL, applicant_id: int | None = None,
                      received_on: date | None = None) -> RetrialApplication:
    _require_role(actor, {Role.PARTY, Role.CLERK}, "提交再审申请")
    grounds = grounds.strip()
    if actor.role == Role.PARTY:
        applicant_id = actor.party_id
    if not applicant_id:
        raise InvalidInput("请选择申请人。", errors={"applicant": ["请选择申请人。"]})
    if not grounds:
        raise InvalidInput("请写明申请再审的事由（《中华人民共和国民事诉讼法》第二百一十一条）。",
                           errors={"grounds": ["请填写申请理由。"]})
    if kind not in RetrialKind.values:
        raise InvalidInput("请选择申请再审或申诉。", errors={"kind": ["请选择类型。"]})
    received = received_on or _today()
    if received > _today():
        raise InvalidInput("收到申请的日期不能晚于今天。", errors={"received_on": ["日期不能晚于今天。"]})
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if applicant_id not in {p.pk for p in parties_of(case)}:
            raise NotPermitted("只有本案当事人可以申请再审。")
        effective = effective_on(case, today=received)
        if effective is None:
            raise InvalidInput("该判决尚未发生法律效力，不能申请再审；当事人可以在上诉期内依法上诉。",
                               errors={"case": ["判决尚未生效。"]})
        limit = periods.compute("retrial_application", start=effective)
        assert isinstance(limit.due, date)
        if received > limit.due:
            message = (f"再审申请已超过法定期限：判决于 {effective} 发生法律效力，应当在六个月内即 {limit.due} 前提出"
                       f"（{limit.citation}），本院不予受理。")
            raise InvalidInput(message, errors={"received_on": [message]})
        court = upper_court_of(case.court) if kind == RetrialKind.RETRIAL else case.court
        app = RetrialApplication.objects.create(case=case, court=court, kind=kind, applicant_id=applicant_id,
                                                grounds=grounds, received_on=received, effective_on=effective,
                                                recorded_by=actor)
        dispute = _lock_dispute(case.dispute_id)
        clock = clocks.start_clock(dispute=dispute, rule="retrial_review", start=received,
                                   subject="再审申请审查期限", object_ref=app.object_ref)
        app.review_due, app.review_citation = clock.due_on, clock.citation
        app.save(update_fields=["review_due", "review_citation"])
        append_event(dispute=dispute, kind="retrial.received", title=f"收到{app.get_kind_display()}",
                     actor=actor, origin=origin,
                     summary=f"{court.name}收到{app.get_kind_display()}（原判决 {effective} 生效，"
                             f"申请期限至 {limit.due}），应于 {clock.due_on} 前审查（{clock.citation}）",
                     data={"case": case.pk, "retrial": app.pk, "due": clock.due_on.isoformat()})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="retrial",
                     target_id=app.pk, detail={"case": case.pk, "dispute": dispute.number})
    return app


def _visible(actor: User, pk: int) -> RetrialApplication:
    app = visible_retrials(actor).filter(pk=pk).first()
    if app is None:
        raise NotFound()
    return app


def review_retrial(*, actor: User, origin: Origin, retrial_id: int, explanation: str,
                   expected_version: int | None = None) -> RetrialApplication:
    """Pre-filing review: record what the court explained to the applicant (释明)."""
    _require_role(actor, {Role.CLERK, Role.JUDGE}, "审查再审申请")
    explanation = explanation.strip()
    app = _visible(actor, retrial_id)

    def effect(a: RetrialApplication) -> None:
        a.explanation = explanation

    return apply(RETRIAL, app, "start_review", actor=actor, origin=origin, payload={"explanation": explanation},
                 effect=effect, expected_version=expected_version, summary=f"立案前释明：{explanation[:200]}")


def decide_retrial(*, actor: User, origin: Origin, retrial_id: int, accept: bool, reasons: str,
                   expected_version: int | None = None) -> RetrialApplication:
    _require_role(actor, {Role.CLERK, Role.JUDGE}, "决定再审申请")
    reasons = reasons.strip()
    app = _visible(actor, retrial_id)
    with transaction.atomic():
        def effect(a: RetrialApplication) -> None:
            a.decision_reasons, a.decided_by, a.decided_at = reasons, actor, timezone.now()

        app = apply(RETRIAL, app, "accept" if accept else "decline", actor=actor, origin=origin,
                    payload={"reasons": reasons}, effect=effect, expected_version=expected_version,
                    summary=("予以立案审查" if accept else "释明后不予受理") + f"：{reasons[:200]}")
        clocks.stop_clock(dispute=app.case.dispute, rule="retrial_review", object_ref=app.object_ref)
    return app
