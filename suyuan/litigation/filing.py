"""Filing a suit (起诉) and the one-notice correction of materials (一次性补正告知).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound
from suyuan.disputes import clocks
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import apply
from suyuan.rules import periods

from . import rendered
from .casework import (
    COURT_ROLES,
    OPEN_STATES,
    _lock_case,
    _require_role,
    _today,
    case_ref,
)
from .choices import CaseType
from .lifecycle import CASE, FILERS
from .models import Case, MissingMaterialItem, MissingMaterialsNotice

MAX_MATERIAL_ITEMS = 30


def registration_deadline(case: Case) -> periods.Deadline:
    """The last day to decide on registration: 7 days from receipt of complete materials (CPL art. 126)."""
    return periods.compute("registration", start=case.materials_complete_on)


def file_suit(*, actor: User, origin: Origin, dispute_id: int) -> Case:
    """A party (or the court window, a grid worker or centre on the party's behalf) files a suit."""
    _require_role(actor, FILERS, "提交起诉")
    with rendered.cleanup(), transaction.atomic():
        if not visible_disputes(actor).filter(pk=dispute_id).exists():
            raise NotFound()
        dispute = apply(DISPUTE, dispute_id, "file_suit", actor=actor, origin=origin)
        if Case.objects.filter(dispute=dispute, status__in=OPEN_STATES).exists():
            raise Conflict("该纠纷已有尚未办结的起诉，不能重复起诉。")
        now = timezone.now()
        case = Case.objects.create(
            dispute=dispute, court=dispute.court, case_type=CaseType.CIVIL_FIRST, filed_at=now, filed_by=actor,
            materials_complete_on=timezone.localdate(now),
        )
        clock = clocks.start_clock(dispute=dispute, rule="registration", start=case.materials_complete_on,
                                   subject="立案审查期限", object_ref=case_ref(case))
        append_event(dispute=dispute, kind="case.filed", title="提交起诉", actor=actor, origin=origin,
                     summary=f"向{dispute.court.name}提交起诉，应于 {clock.due_on} 前决定是否立案（{clock.citation}）",
                     data={"case": case.pk, "due": clock.due_on.isoformat()})
        rendered.risk_notice(dispute=dispute, on=case.materials_complete_on, actor=actor, origin=origin)
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="case", target_id=case.pk,
                     detail={"dispute": dispute.number})
    return case


def request_materials(*, actor: User, origin: Origin, case_id: int, items: list[str], note: str = "",
                      expected_version: int | None = None) -> MissingMaterialsNotice:
    """一次性补正告知: every missing item in one notice; a second notice is refused (the one-notice rule).

    The registration period stops; it runs again in full from receipt of the complete materials.
    """
    cleaned = [i.strip() for i in items if i and i.strip()]
    if not cleaned:
        raise InvalidInput("请逐项列明需要补正的全部材料。", errors={"items": ["至少列明一项需补正的材料。"]})
    if len(cleaned) > MAX_MATERIAL_ITEMS:
        raise InvalidInput("补正事项过多，请合并后列明。", errors={"items": [f"最多 {MAX_MATERIAL_ITEMS} 项。"]})
    if len(set(cleaned)) != len(cleaned):
        raise InvalidInput("补正事项有重复，请核对。", errors={"items": ["补正事项有重复。"]})
    if any(len(i) > 300 for i in cleaned):
        raise InvalidInput("每项补正材料不超过 300 字。", errors={"items": ["每项不超过 300 字。"]})
    _require_role(actor, COURT_ROLES, "告知补正材料")
    with rendered.cleanup(), transaction.atomic():
        case = _lock_case(actor, case_id)
        if case.material_notices.exists():
            raise InvalidInput(
                "补正材料应当一次性全面告知，本案已经告知过，不得再次要求补正；材料仍不符合要求的，应依法作出裁定。",
                errors={"items": ["本案已一次性告知补正，不能再次告知。"]},
            )
        now = timezone.now()
        case = apply(CASE, case, "request_materials", actor=actor, origin=origin, expected_version=expected_version,
                     summary=f"一次性告知补正 {len(cleaned)} 项材料", data={"items": cleaned})
        notice = MissingMaterialsNotice.objects.create(case=case, issued_at=now, issued_by=actor, note=note.strip())
        MissingMaterialItem.objects.bulk_create(
            [MissingMaterialItem(notice=notice, position=n, text=text) for n, text in enumerate(cleaned, 1)]
        )
        clocks.stop_clock(dispute=case.dispute, rule="registration", object_ref=case_ref(case),
                          outcome=ClockStatus.CANCELLED)
        rendered.correction_notice(dispute=case.dispute, on=timezone.localdate(now), missing=cleaned,
                                   received=timezone.localdate(case.filed_at), actor=actor, origin=origin)
    return notice


def complete_materials(*, actor: User, origin: Origin, case_id: int, received_on: date | None = None) -> Case:
    """The complete materials arrived: the 7 days run again from the day of receipt."""
    _require_role(actor, FILERS, "补交材料")
    today = _today()
    received = received_on or today
    if received > today:
        raise InvalidInput("收到材料的日期不能晚于今天。", errors={"received_on": ["日期不能晚于今天。"]})
    if actor.role != Role.CLERK and received != today:
        raise InvalidInput("补交材料以今天为收到日期。",
                           errors={"received_on": ["只有立案人员可以登记此前收到的材料。"]})
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        notice = case.material_notices.filter(completed_on__isnull=True).first()
        if notice is not None and received < timezone.localdate(notice.issued_at):
            raise InvalidInput("收到补正材料的日期不能早于告知日期。", errors={"received_on": ["日期早于告知日期。"]})

        def effect(c: Case) -> None:
            c.materials_complete_on = received

        case = apply(CASE, case, "complete_materials", actor=actor, origin=origin, effect=effect,
                     summary=f"补齐起诉材料（{received}收到），立案审查期限重新起算")
        if notice is not None:
            notice.completed_on = received
            notice.received_by = actor
            notice.save(update_fields=["completed_on", "received_by"])
        clocks.start_clock(dispute=case.dispute, rule="registration", start=received, subject="立案审查期限",
                           object_ref=case_ref(case))
    return case



def registration_overdue(case: Case, *, today: date | None = None) -> bool:
    return (today or _today()) > registration_deadline(case).due  # type: ignore[operator]


def days_left(case: Case, *, today: date | None = None) -> int:
    due = registration_deadline(case).due
    assert isinstance(due, date)
    return (due - (today or _today())).days
