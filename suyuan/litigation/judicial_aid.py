"""国家司法救助: a party in hardship applies, the court reviews and decides with an amount
(《最高人民法院关于加强和规范人民法院国家司法救助工作的意见》法发〔2016〕16号). Fee relief
(缓减免, ``fees.py``) is offered on the same page."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.disputes.workflow import apply

from .after_selectors import visible_aids
from .casework import _event, _lock_case, _parse_amount, _require_role
from .lifecycle_after import AID
from .models import JudicialAid
from .serving import parties_of

AID_BASIS = "《最高人民法院关于加强和规范人民法院国家司法救助工作的意见》（法发〔2016〕16号）"


def apply_for_judicial_aid(*, actor: User, origin: Origin, case_id: int, grounds: str, documents: str = "",
                           applicant_id: int | None = None) -> JudicialAid:
    _require_role(actor, {Role.PARTY, Role.CLERK}, "申请司法救助")
    grounds = grounds.strip()
    if actor.role == Role.PARTY:
        applicant_id = actor.party_id
    if not applicant_id:
        raise InvalidInput("请选择申请人。", errors={"applicant": ["请选择申请人。"]})
    if not grounds:
        raise InvalidInput(f"请写明生活困难的具体情形（{AID_BASIS}）。", errors={"grounds": ["请填写困难情形。"]})
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if applicant_id not in {p.pk for p in parties_of(case)}:
            raise NotPermitted("只有本案当事人可以申请司法救助。")
        aid = JudicialAid.objects.create(case=case, applicant_id=applicant_id, grounds=grounds,
                                         documents=documents.strip(), applied_at=timezone.now(), applied_by=actor)
        _event(case, kind="judicial_aid.applied", title="申请国家司法救助", actor=actor, origin=origin,
               summary=f"当事人申请国家司法救助（{AID_BASIS}）", data={"aid": aid.pk})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="judicial_aid",
                     target_id=aid.pk, detail={"case": case.pk})
    return aid


def _visible(actor: User, pk: int) -> JudicialAid:
    aid = visible_aids(actor).filter(pk=pk).first()
    if aid is None:
        raise NotFound()
    return aid


def review_judicial_aid(*, actor: User, origin: Origin, aid_id: int, note: str = "") -> JudicialAid:
    _require_role(actor, {Role.CLERK, Role.JUDGE}, "审查司法救助申请")
    aid = _visible(actor, aid_id)

    def effect(a: JudicialAid) -> None:
        a.review_note = note.strip()

    return apply(AID, aid, "start_review", actor=actor, origin=origin, effect=effect,
                 summary="审查司法救助申请" + (f"：{note.strip()[:200]}" if note.strip() else ""))


def decide_judicial_aid(*, actor: User, origin: Origin, aid_id: int, grant: bool, reasons: str,
                        amount: str | Decimal | None = None, expected_version: int | None = None) -> JudicialAid:
    _require_role(actor, {Role.JUDGE}, "决定司法救助")
    reasons = reasons.strip()
    value = _parse_amount(amount) if grant else None
    if grant and not value:
        raise InvalidInput("决定给予司法救助的，须写明救助金额。", errors={"amount": ["请填写救助金额。"]})
    aid = _visible(actor, aid_id)

    def effect(a: JudicialAid) -> None:
        a.amount, a.decision_reasons, a.decided_by, a.decided_at = value, reasons, actor, timezone.now()

    return apply(AID, aid, "grant" if grant else "refuse", actor=actor, origin=origin,
                 payload={"reasons": reasons, "amount": str(value or "")}, effect=effect,
                 expected_version=expected_version,
                 summary=(f"决定给予司法救助 {value} 元" if grant else "决定不予救助") + f"：{reasons[:200]}")
