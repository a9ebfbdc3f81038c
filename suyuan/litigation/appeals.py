"""上诉: a party appeals within their period; the file goes up to the court above with its electronic
record (上下级法院立案信息流转), as a second-instance case (民终) numbered by the allocator.

The appeal is filed through the court of first instance, which sends it with the whole file to the
court of second instance (民事诉讼法 第一百七十二条、第一百七十三条); the transfer is recorded here.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotPermitted
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import start_clock, stop_clock
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.workflow import apply
from suyuan.network.models import Organisation

from .casework import _event, _lock_case, _require_role, _today, case_ref
from .choices import APPEAL_RULES, SECOND_INSTANCE_RULE, CaseStatus, CaseType, Procedure, ServedDocument
from .effective import SERVICE_REF
from .lifecycle import CASE
from .models import Appeal, Case, ServiceRecord
from .registration import allocate_case_number
from .serving import SMALL_CLAIMS_FINAL, parties_of


def upper_court_of(court: Organisation) -> Organisation:
    parent = court.parent
    if parent is None or not parent.is_court:
        raise InvalidInput(f"{court.name}没有上一级人民法院，不能移送上诉。")
    return parent


def _check_in_period(case: Case, party_id: int, filed: date) -> None:
    """Within 15 days of the party's own service of the judgment (民事诉讼法 第一百七十一条)."""
    if filed < case.judgment.pronounced_on:
        raise InvalidInput("上诉日期不能早于宣判日期。", errors={"filed_on": ["上诉日期不能早于宣判日期。"]})
    service = ServiceRecord.objects.filter(case=case, document=ServedDocument.JUDGMENT, party_id=party_id).first()
    if service is not None and service.appeal_due is not None and filed > service.appeal_due:
        message = (f"已超过上诉期限：判决书于 {service.served_on} 送达，上诉期至 {service.appeal_due} 届满"
                   f"（{service.appeal_citation}），不能再提起上诉。")
        raise InvalidInput(message, errors={"filed_on": [message]})


def file_appeal(*, actor: User, origin: Origin, case_id: int, grounds: str, party_id: int | None = None,
                filed_on: date | None = None) -> Appeal:
    """A party (or the clerk at the window, on the party's written appeal) files an appeal in time."""
    _require_role(actor, {Role.PARTY, Role.CLERK}, "提起上诉")
    grounds = grounds.strip()
    if actor.role == Role.PARTY:
        party_id = actor.party_id
    if not party_id:
        raise InvalidInput("请选择上诉人。", errors={"party": ["请选择上诉人。"]})
    if not grounds:
        raise InvalidInput("上诉状应当写明上诉的请求和理由（《中华人民共和国民事诉讼法》第一百七十二条）。",
                           errors={"grounds": ["请填写上诉请求和理由。"]})
    filed = filed_on or _today()
    if filed > _today():
        raise InvalidInput("上诉日期不能晚于今天。", errors={"filed_on": ["上诉日期不能晚于今天。"]})
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if party_id not in {p.pk for p in parties_of(case)}:
            raise NotPermitted("只有本案当事人可以提起上诉。")
        _check_open_for_appeal(case)
        if case.procedure == Procedure.SMALL_CLAIMS:
            raise InvalidInput(SMALL_CLAIMS_FINAL, errors={"grounds": [SMALL_CLAIMS_FINAL]})
        _check_in_period(case, party_id, filed)
        if Appeal.objects.filter(case=case, party_id=party_id).exists():
            raise Conflict("该当事人已经提起上诉。")
        upper = upper_court_of(case.court)
        first = case.status == CaseStatus.JUDGED
        if first:
            case = apply(CASE, case, "appeal", actor=actor, origin=origin, summary=f"当事人提起上诉：{grounds[:200]}")
            # The judgment will not take effect meanwhile: the dispute is in litigation again.
            apply(DISPUTE, case.dispute_id, "appeal", actor=actor, origin=origin,
                  summary=f"{case.number} 当事人提起上诉，判决不发生法律效力，进入第二审")
        appeal = Appeal.objects.create(case=case, party_id=party_id, filed_on=filed, filed_by=actor,
                                       grounds=grounds, upper_court=upper)
        # An appeal keeps the judgment from becoming effective (第一百七十一条): no party's period
        # lapsing may make it effective any more.
        for record in ServiceRecord.objects.filter(case=case, document=ServedDocument.JUDGMENT):
            stop_clock(dispute=case.dispute, rule=APPEAL_RULES[ServedDocument.JUDGMENT],
                       object_ref=f"{SERVICE_REF}{record.pk}", outcome=ClockStatus.CANCELLED)
        second = _transfer(actor=actor, origin=origin, case=case, appeal=appeal, upper=upper)
        if not first:
            _event(case, kind="case.appeal_joined", title="又一当事人提起上诉", actor=actor, origin=origin,
                   summary=f"当事人提起上诉，并入二审案件 {second.number}", data={"appeal": appeal.pk})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="appeal",
                     target_id=appeal.pk, detail={"case": case.pk, "second_case": second.pk})
    return appeal


def _check_open_for_appeal(case: Case) -> None:
    if case.case_type != CaseType.CIVIL_FIRST or case.status not in {CaseStatus.JUDGED, CaseStatus.APPEALED}:
        raise Conflict(f"案件当前状态为“{case.get_status_display()}”，不能提起上诉。")
    if Appeal.objects.filter(case=case, second_case__appeal_decision__isnull=False).exists():
        raise Conflict("第二审法院已经作出裁判，不能再提起上诉。")


def _transfer(*, actor: User, origin: Origin, case: Case, appeal: Appeal, upper: Organisation) -> Case:
    """Send the file up: one second-instance case per first-instance case, shared by every appellant.

    The electronic transfer is the upper court's registration (上下级法院立案信息流转): the 民终 case
    is created and registered with its number by the system edge ``receive_appeal``; the trial is by
    a collegial panel (民事诉讼法 第四十一条), recorded as the ordinary procedure.
    """
    now = timezone.now()
    existing = Appeal.objects.filter(case=case, second_case__isnull=False).exclude(pk=appeal.pk).first()
    if existing is not None and existing.second_case is not None:
        second = existing.second_case
    else:
        today = timezone.localdate(now)
        second = Case.objects.create(
            dispute=case.dispute, court=upper, case_type=CaseType.CIVIL_SECOND, procedure=Procedure.ORDINARY,
            filed_at=now, filed_by=actor, materials_complete_on=today,
        )

        def effect(c: Case) -> None:
            c.year, c.serial, c.number = allocate_case_number(court=upper, case_type=CaseType.CIVIL_SECOND, on=today)
            c.registered_at = now

        second = apply(CASE, second, "receive_appeal", actor=None, origin=origin, effect=effect,
                       summary=f"{case.number} 上诉，卷宗电子移送{upper.name}，二审立案")
        clock = start_clock(dispute=case.dispute, rule=SECOND_INSTANCE_RULE, start=today,
                            subject="第二审审理期限", object_ref=case_ref(second))
        _event(second, kind="case.numbered", title="编立二审案号", actor=None, origin=origin,
               summary=f"案号 {second.number}；第二审审理期限至 {clock.due_on}（{clock.citation}）",
               data={"number": second.number, "procedure": second.procedure})
        _event(case, kind="case.transferred", title="卷宗移送第二审法院", actor=actor, origin=origin,
               summary=f"{case.number} 上诉卷宗以电子卷宗移送{upper.name}，二审案号 {second.number}",
               data={"second_case": second.pk, "upper_court": upper.pk, "number": second.number})
    appeal.second_case, appeal.transferred_at = second, now
    appeal.save(update_fields=["second_case", "transferred_at"])
    return second
