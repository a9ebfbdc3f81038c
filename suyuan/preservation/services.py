"""Writes of the preservation app: application, acceptance, ruling, lifting, following the case.

Measures are in ``measures.py``; reactions to the dispute lifecycle in ``hooks.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.assets import services as assets
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.choices import ClockStatus, DisputeStatus
from suyuan.disputes.clocks import start_clock, stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Dispute, DisputeParty
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import apply
from suyuan.litigation.choices import CaseType
from suyuan.litigation.models import Case
from suyuan.litigation.services import allocate_case_number

from . import asset_measures, expiry
from .choices import MeasureStatus, PreservationKind, TodoKind
from .legal import LAPSE, PRE_SUIT_RULING, URGENT_RULING, rules_on
from .lifecycle import COURT, PRESERVATION
from .models import Preservation, PreservationTodo

# A pre-suit preservation cannot be applied for once the dispute is before the court.
NOT_PRE_SUIT = {DisputeStatus.IN_LITIGATION, DisputeStatus.IN_ENFORCEMENT, DisputeStatus.CLOSED,
                DisputeStatus.WITHDRAWN, DisputeStatus.PERFORMED}


def money(value: Any, field: str, errors: dict[str, list[str]], *, required: bool = True) -> Decimal | None:
    text = str(value if value is not None else "").strip()
    if not text:
        if required:
            errors[field] = ["请填写金额（元）。"]
        return None
    try:
        amount = Decimal(text).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[field] = ["请填写金额（元），如 30000.00。"]
        return None
    if amount <= 0:
        errors[field] = ["金额必须大于零。"]
        return None
    return amount


def _court_of(actor: User):  # type: ignore[no-untyped-def]
    if actor.role not in COURT:
        raise NotPermitted("只有法院立案、审判人员可以办理保全。")
    court = actor.organisation.court() if actor.organisation else None
    if court is None:
        raise NotPermitted("您不属于任何法院，不能办理保全。")
    return court


@dataclass(frozen=True)
class ClueInput:
    """One property clue given with the application (财产保全规定 第十一条), kept by the assets app."""

    kind: str
    institution: str
    identifier: str
    description: str = ""
    value: str = ""


@dataclass(frozen=True)
class PreservationInput:
    kind: str
    respondent_party_id: int | None
    amount: str
    applicant_party_id: int | None = None
    clues: str = ""
    security_amount: str = ""
    security_note: str = ""
    by_court: bool = False
    urgent: bool = False
    clue_items: tuple[ClueInput, ...] = ()


def _validate(dispute: Dispute, data: PreservationInput) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    rules = rules_on(timezone.localdate())
    roles: dict[int | None, str] = dict(DisputeParty.objects.filter(dispute=dispute).values_list("party_id", "role"))
    if data.kind not in PreservationKind.values:
        errors["kind"] = ["请选择诉前保全或诉讼保全。"]
    if roles.get(data.respondent_party_id) is None:
        errors["respondent_party_id"] = ["被申请人必须是本纠纷的当事人。"]
    by_court = data.kind == PreservationKind.IN_SUIT and data.by_court
    if not by_court and roles.get(data.applicant_party_id) is None:
        errors["applicant_party_id"] = ["申请人必须是本纠纷的当事人。"]
    if data.applicant_party_id is not None and data.applicant_party_id == data.respondent_party_id:
        errors["respondent_party_id"] = ["申请人与被申请人不能是同一当事人。"]
    amount = money(data.amount, "amount", errors)
    if amount is not None and dispute.amount and amount > dispute.amount:
        errors["amount"] = [f"请求保全金额 {amount} 元超过请求标的额 {dispute.amount} 元：保全限于请求的范围"
                            f"（{rules.scope_citation}）。"]
    security = money(data.security_amount, "security_amount", errors, required=False)
    case = None
    if data.kind == PreservationKind.PRE_SUIT:
        if dispute.status in NOT_PRE_SUIT:
            errors["kind"] = ["该纠纷已进入诉讼或已结束，不能申请诉前保全；已起诉的请申请诉讼保全。"]
        if security is None and "security_amount" not in errors:
            errors["security_amount"] = [f"诉前保全申请人应当提供担保（{rules.security_required_citation}）。"]
    elif data.kind == PreservationKind.IN_SUIT:
        case = Case.objects.filter(dispute=dispute).exclude(number="").order_by("-pk").first()
        if case is None:
            errors["kind"] = ["诉讼保全须在已立案的案件中申请（民事诉讼法第一百零三条）；尚未起诉的请申请诉前保全。"]
    if len(data.clues) > 2000:
        errors["clues"] = ["财产线索不得超过 2000 字。"]
    return {"amount": amount, "security": security, "case": case, "by_court": by_court}, errors


def apply_preservation(*, actor: User, origin: Origin, dispute_id: int, data: PreservationInput) -> Preservation:
    """The clerk records an application (or the court's own motion, in suit) on the dispute."""
    court = _court_of(actor)
    with transaction.atomic():
        dispute = visible_disputes(actor).select_for_update().filter(pk=dispute_id).first()
        if dispute is None:
            raise NotFound()
        clean, errors = _validate(dispute, data)
        if errors:
            raise InvalidInput("保全申请有误，请修改后重新提交。", errors=errors)
        p = Preservation.objects.create(
            dispute=dispute, court=court, case=clean["case"], kind=data.kind, by_court=clean["by_court"],
            applicant_id=None if clean["by_court"] else data.applicant_party_id,
            respondent_id=int(data.respondent_party_id or 0), amount=clean["amount"], clues=data.clues.strip(),
            security_amount=clean["security"], security_note=data.security_note.strip()[:200],
            applied_at=timezone.now(), recorded_by=actor,
        )
        append_event(
            dispute=dispute, kind="preservation.applied", title="登记保全申请", actor=actor, origin=origin,
            summary=f"{p.get_kind_display()}：请求保全 {p.amount} 元，被申请人 {p.respondent.name}",
            data={"preservation": p.pk, "kind": p.kind, "amount": str(p.amount), "urgent": data.urgent},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="preservation",
                     target_id=p.pk, detail={"dispute": dispute.number, "urgent": data.urgent})
        _record_clues(actor=actor, origin=origin, p=p, clues=data.clue_items)
    return p


def _record_clues(*, actor: User, origin: Origin, p: Preservation, clues: tuple[ClueInput, ...]) -> None:
    """The clues become assets of the holder ``preservation:<pk>``, owned by the respondent.

    A bad clue fails the whole application (raised inside its transaction: nothing is kept).
    """
    for index, clue in enumerate(clues, start=1):
        try:
            assets.add_clue(actor=actor, origin=origin, dispute_id=p.dispute_id, holder=p.ref,
                            party_id=p.respondent_id, kind=clue.kind, institution=clue.institution,
                            identifier=clue.identifier, description=clue.description, value=clue.value or None)
        except InvalidInput as exc:
            errors = {f"clue_{index}_{field}": [f"第{index}条财产线索：{m}" for m in ms]
                      for field, ms in exc.errors.items()}
            raise InvalidInput("保全申请有误，请修改后重新提交。", errors=errors) from None
        except Conflict:
            message = f"第{index}条财产线索与前面的线索重复（同一机构、同一账号/权证号）。"
            raise InvalidInput("保全申请有误，请修改后重新提交。", errors={f"clue_{index}": [message]}) from None


def _lock(actor: User | None, preservation_id: int) -> Preservation:
    found = Preservation.objects.select_for_update().select_related("dispute", "court").filter(pk=preservation_id)
    p = found.first()
    if p is None:
        raise NotFound()
    return p


def accept_preservation(*, actor: User, origin: Origin, preservation_id: int, urgent: bool = False,
                        expected_version: int | None = None) -> Preservation:
    """受理: a pre-suit application (or an urgent in-suit one) must be ruled on within 48 hours."""
    with transaction.atomic():
        p = _lock(actor, preservation_id)
        now = timezone.now()

        def effect(row: Preservation) -> None:
            row.accepted_at = now

        done = apply(PRESERVATION, p, "accept", actor=actor, origin=origin, effect=effect,
                     expected_version=expected_version)
        rule = PRE_SUIT_RULING if p.kind == PreservationKind.PRE_SUIT else (URGENT_RULING if urgent else "")
        if rule:
            start_clock(dispute=p.dispute, rule=rule, start=now, subject="保全裁定期限（48小时）",
                        object_ref=p.ref)
    return done


def rule_preservation(*, actor: User, origin: Origin, preservation_id: int, grant: bool, reason: str = "",
                      expected_version: int | None = None) -> Preservation:
    """The ruling: a grant numbers the preservation case (财保); a refusal states its reasons."""
    reason = reason.strip()
    if not grant and not reason:
        raise InvalidInput("驳回保全申请须写明理由。", errors={"reason": ["请填写驳回理由。"]})
    with transaction.atomic():
        p = _lock(actor, preservation_id)
        now = timezone.now()

        def effect(row: Preservation) -> None:
            row.ruled_at = now
            row.ruling_reason = reason
            if grant:
                _, _, row.number = allocate_case_number(court=row.court, case_type=CaseType.PRESERVATION,
                                                        on=timezone.localdate())

        done = apply(PRESERVATION, p, "grant" if grant else "refuse", actor=actor, origin=origin, effect=effect,
                     expected_version=expected_version,
                     summary=("裁定准予保全" if grant else f"裁定驳回保全申请：{reason}"))
        for rule in (PRE_SUIT_RULING, URGENT_RULING):
            stop_clock(dispute=p.dispute, rule=rule, object_ref=p.ref)
    return done


def follow_case(*, preservation: Preservation, actor: User | None, origin: Origin, summary: str) -> Preservation:
    """The applicant sued or applied for arbitration in time: the 30-day clock is met."""
    case = Case.objects.filter(dispute_id=preservation.dispute_id).order_by("-pk").first()

    def effect(row: Preservation) -> None:
        if case is not None:
            row.case = case

    done = apply(PRESERVATION, preservation, "follow_case", actor=actor, origin=origin, effect=effect,
                 summary=summary)
    stop_clock(dispute=preservation.dispute, rule=LAPSE, object_ref=preservation.ref)
    return done


def record_arbitration(*, actor: User, origin: Origin, preservation_id: int, note: str) -> Preservation:
    """The applicant shows an arbitration application (申请仲裁) within the 30 days."""
    note = note.strip()
    if not note:
        raise InvalidInput("请填写仲裁机构及受理情况。", errors={"note": ["请填写仲裁机构及受理情况。"]})
    with transaction.atomic():
        p = _lock(actor, preservation_id)
        if p.kind != PreservationKind.PRE_SUIT:
            raise Conflict("只有诉前保全需要登记起诉或仲裁情况。")
        p.arbitration_note = note[:200]
        p.save(update_fields=["arbitration_note"])
        return follow_case(preservation=p, actor=actor, origin=origin, summary=f"申请人已申请仲裁：{note[:100]}")


def lift_preservation(*, actor: User, origin: Origin, preservation_id: int, reason: str,
                      expected_version: int | None = None) -> Preservation:
    """The clerk confirms the release of every active measure (never done by the sweep)."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写解除保全的理由。", errors={"reason": ["请填写解除理由。"]})
    with transaction.atomic():
        p = _lock(actor, preservation_id)
        now = timezone.now()
        released = list(p.measures.filter(status=MeasureStatus.ACTIVE))
        at_registries = asset_measures.listing(asset_measures.active(p))

        def effect(row: Preservation) -> None:
            row.measures.filter(status=MeasureStatus.ACTIVE).update(
                status=MeasureStatus.RELEASED, ended_at=now, end_reason=reason[:300], ended_by=actor)
            row.todos.filter(kind=TodoKind.LIFT, done_at__isnull=True).update(done_at=now, done_by=actor)

        done = apply(PRESERVATION, p, "lift", actor=actor, origin=origin, effect=effect,
                     expected_version=expected_version,
                     summary=f"确认解除保全（{reason[:100]}），解除措施：{_listing(released, at_registries) or '无'}",
                     data={"released": [m.pk for m in released], "released_at_registries": len(at_registries)})
        # Only once the lift itself is accepted (state, version) are the institutions asked to release.
        asset_measures.release_all(p, actor=actor, origin=origin, reason=reason)
        for measure in released:
            expiry.stop_measure_clock(measure)
        stop_clock(dispute=p.dispute, rule=LAPSE, object_ref=p.ref, outcome=ClockStatus.CANCELLED)
    return done


def transfer_preservation(*, actor: User, origin: Origin, preservation_id: int) -> Preservation:
    """保全转执行: the measures continue as enforcement measures (no new freeze needed)."""
    with transaction.atomic():
        p = _lock(actor, preservation_id)
        now = timezone.now()
        moved = list(p.measures.filter(status=MeasureStatus.ACTIVE))

        def effect(row: Preservation) -> None:
            row.measures.filter(status=MeasureStatus.ACTIVE).update(status=MeasureStatus.TRANSFERRED, ended_at=now)
            row.todos.filter(kind=TodoKind.CARRY, done_at__isnull=True).update(done_at=now, done_by=actor)

        # Registry measures move with the enforcement case's holder: enforcement does it after this step
        # (a ``PRESERVATION.after`` hook), in this transaction, and refuses when there is no case to carry into.
        at_registries = asset_measures.listing(asset_measures.active(p))
        return apply(PRESERVATION, p, "transfer", actor=actor, origin=origin, effect=effect,
                     summary=f"保全措施转为执行措施：{_listing(moved, at_registries) or '无'}",
                     data={"moved": [m.pk for m in moved]})


def _listing(measures: list[Any], at_registries: Sequence[str] = ()) -> str:
    return "；".join([f"{m.get_kind_display()}{m.asset} {m.amount} 元" for m in measures] + list(at_registries))


def add_todo(*, preservation: Preservation, kind: str, cause: str, actor: User | None,
             origin: Origin) -> PreservationTodo | None:
    """Tell the clerk (panel to-do + timeline event, which the outbox notifies) what to do with the measures."""
    if preservation.todos.filter(kind=kind, done_at__isnull=True).exists():
        return None
    active = list(preservation.measures.filter(status=MeasureStatus.ACTIVE))
    label = TodoKind(kind).label
    if kind == TodoKind.RULING_OVERDUE:
        text = "诉前保全申请受理已超过48小时仍未裁定，请立即裁定。"
    else:
        at_registries = asset_measures.listing(asset_measures.active(preservation))
        text = f"{cause}，请{label}：{_listing(active, at_registries) or '（尚未采取措施）'}"
    todo = PreservationTodo.objects.create(preservation=preservation, kind=kind, cause=cause[:100], text=text)
    append_event(dispute=preservation.dispute, kind="preservation.todo", title=f"保全待办：{label}", actor=actor,
                 origin=origin, summary=text, data={"preservation": preservation.pk, "todo": todo.pk, "kind": kind})
    return todo

