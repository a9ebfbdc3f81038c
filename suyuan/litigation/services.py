"""Writes of the litigation stage: filing, registration, court-referred mediation, trial, judgment.

Each service is one use case: keyword-only, atomic, checks role and scope, moves the case through
``lifecycle.CASE`` and the dispute through ``DISPUTE`` in the same transaction, starts and stops
the legal clocks, and leaves a timeline event and an audit row for every write.
Lock order is case, then dispute, everywhere, so two services never wait on each other in a cycle.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.sequences import next_value
from suyuan.disputes import clocks
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock, Dispute
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import apply
from suyuan.network.choices import MediatorStatus
from suyuan.network.models import Organisation
from suyuan.network.selectors import roster_for
from suyuan.rules import periods

from . import rendered, tracks
from .choices import TRIAL_RULES, CaseStatus, CaseType, MediationOutcome, Procedure
from .lifecycle import CASE, FILERS
from .models import Case, CourtMediation, Judgment, MissingMaterialItem, MissingMaterialsNotice, format_case_number
from .selectors import visible_cases

COURT_ROLES = {Role.CLERK, Role.JUDGE}
OPEN_STATES = {CaseStatus.FILED, CaseStatus.AWAITING_MATERIALS, CaseStatus.REGISTERED,
               CaseStatus.IN_COURT_MEDIATION, CaseStatus.IN_TRIAL}
MAX_MATERIAL_ITEMS = 30

# What the performance notice (履行告知书) tells the losing party, with the provisions it rests on.
NON_PERFORMANCE_CONSEQUENCES = (
    "如未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十四条的规定，"
    "加倍支付迟延履行期间的债务利息；对方当事人可以向人民法院申请强制执行，申请执行的期间为二年"
    "（《中华人民共和国民事诉讼法》第二百五十条）。被执行人有履行能力而拒不履行的，人民法院可以将其纳入"
    "失信被执行人名单、限制高消费（《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条，"
    "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条）；情节严重的，依法追究法律责任"
    "（《中华人民共和国刑法》第三百一十三条）。"
)


def case_ref(case: Case) -> str:
    return f"case:{case.pk}"


def _today() -> date:
    return timezone.localdate()


def _lock_case(actor: User | None, case_id: int) -> Case:
    case = (Case.objects.select_for_update().select_related("dispute", "court", "court__region")
            .filter(pk=case_id).first())
    if case is None or (actor is not None and not visible_cases(actor).filter(pk=case_id).exists()):
        raise NotFound()
    return case


def _lock_dispute(dispute_id: int) -> Dispute:
    return Dispute.objects.select_for_update().get(pk=dispute_id)


def _require_role(actor: User, roles: Collection[str], what: str) -> None:
    if actor.role not in roles:
        raise NotPermitted(f"您的角色不能{what}。")


def _event(case: Case, *, kind: str, title: str, actor: User | None, origin: Origin, summary: str,
           data: dict[str, Any] | None = None) -> None:
    dispute = _lock_dispute(case.dispute_id)
    append_event(dispute=dispute, kind=kind, title=title, actor=actor, origin=origin, summary=summary,
                 data={"case": case.pk, **(data or {})})
    record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="case", target_id=case.pk,
                 detail={"kind": kind, "dispute": dispute.number})


def _open_clock(dispute: Dispute, rule: str, object_ref: str) -> Clock | None:
    return Clock.objects.filter(dispute=dispute, rule=rule, object_ref=object_ref, status=ClockStatus.OPEN).first()


def trial_clock(case: Case) -> Clock | None:
    if not case.procedure:
        return None
    return _open_clock(case.dispute, TRIAL_RULES[Procedure(case.procedure)], case_ref(case))


def registration_deadline(case: Case) -> periods.Deadline:
    """The last day to decide on registration: 7 days from receipt of complete materials (CPL art. 126)."""
    return periods.compute("registration", start=case.materials_complete_on)


# --- filing and registration -------------------------------------------------------------------


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


def allocate_case_number(*, court: Organisation, case_type: str, on: date) -> tuple[int, int, str]:
    """The next serial for the court, year and type; call inside the registration transaction.

    ``next_value`` holds the counter's row lock until commit, so two clerks registering at once get
    distinct consecutive serials, and a rolled-back registration leaves no gap.
    """
    if not court.court_code:
        raise InvalidInput("受理法院没有案号代字，不能编立案号。")
    serial = next_value(f"case:{court.court_code}:{on.year}:{case_type}")
    number = format_case_number(year=on.year, court_code=court.court_code, case_type=case_type, serial=serial)
    return on.year, serial, number


@dataclass(frozen=True)
class TrackChoice:
    procedure: str
    fast_track: bool = False
    small_claims_agreed: bool = False
    exclusions: tuple[str, ...] = ()


def register_case(*, actor: User, origin: Origin, case_id: int, track: TrackChoice,
                  expected_version: int | None = None) -> Case:
    """立案: number the case, fix the procedure and start the trial period from today."""
    _require_role(actor, COURT_ROLES, "登记立案")
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        today = _today()
        errors = tracks.check_track(case, procedure=track.procedure, fast_track=track.fast_track,
                                    agreed=track.small_claims_agreed, exclusions=list(track.exclusions), on=today)
        if errors:
            raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
        now = timezone.now()

        def effect(c: Case) -> None:
            c.year, c.serial, c.number = allocate_case_number(court=c.court, case_type=c.case_type, on=today)
            c.procedure = track.procedure
            c.fast_track = track.fast_track
            c.small_claims_agreed = track.small_claims_agreed
            c.registered_at = now
            c.registered_by = actor

        case = apply(CASE, case, "register", actor=actor, origin=origin, effect=effect,
                     payload={"procedure": track.procedure}, expected_version=expected_version)
        clocks.stop_clock(dispute=case.dispute, rule="registration", object_ref=case_ref(case))
        clock = _start_trial_clock(case)
        _event(case, kind="case.numbered", title="编立案号", actor=actor, origin=origin,
               summary=f"案号 {case.number}；{case.get_procedure_display()}{'（速裁）' if case.fast_track else ''}，"
                       f"审理期限至 {clock.due_on}（{clock.citation}）",
               data={"number": case.number, "procedure": case.procedure, "fast_track": case.fast_track})
    return case


def _start_trial_clock(case: Case) -> Clock:
    rule = TRIAL_RULES[Procedure(case.procedure)]
    assert case.registered_at is not None
    # The trial period runs from registration, also after a change of procedure (民诉法解释 第二百五十八条).
    return clocks.start_clock(dispute=case.dispute, rule=rule, start=timezone.localdate(case.registered_at),
                              subject=f"审理期限（{case.get_procedure_display()}）", object_ref=case_ref(case),
                              procedure=case.procedure)


def refuse_case(*, actor: User, origin: Origin, case_id: int, reason: str, expected_version: int | None = None) -> Case:
    """不予受理: a reasoned ruling; the dispute's court stage ends."""
    _require_role(actor, COURT_ROLES, "裁定不予受理")
    reason = reason.strip()
    with transaction.atomic():
        case = _lock_case(actor, case_id)

        def effect(c: Case) -> None:
            c.refusal_reason = reason
            c.closed_at = timezone.now()

        case = apply(CASE, case, "refuse", actor=actor, origin=origin, payload={"reason": reason}, effect=effect,
                     expected_version=expected_version, summary=f"裁定不予受理。理由：{reason[:300]}")
        clocks.stop_clock(dispute=case.dispute, rule="registration", object_ref=case_ref(case))
        apply(DISPUTE, case.dispute_id, "close_case", actor=actor, origin=origin, summary="法院裁定不予受理")
    return case


def change_track(*, actor: User, origin: Origin, case_id: int, track: TrackChoice,
                 expected_version: int | None = None) -> Case:
    """Change the procedure of a registered case; the trial period still runs from registration."""
    _require_role(actor, COURT_ROLES, "调整审理程序")
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if expected_version is not None and case.version != expected_version:
            raise Conflict("该案件已被他人处理，请刷新后重试。")
        if case.status not in {CaseStatus.REGISTERED, CaseStatus.IN_COURT_MEDIATION, CaseStatus.IN_TRIAL}:
            raise Conflict(f"案件当前状态为“{case.get_status_display()}”，不能调整审理程序。")
        errors = tracks.check_track(case, procedure=track.procedure, fast_track=track.fast_track,
                                    agreed=track.small_claims_agreed, exclusions=list(track.exclusions), on=_today())
        if errors:
            raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
        before = case.get_procedure_display()
        old = trial_clock(case)
        if old is not None:
            clocks.stop_clock(dispute=case.dispute, rule=old.rule, object_ref=case_ref(case),
                              outcome=ClockStatus.CANCELLED)
        case.procedure, case.fast_track = track.procedure, track.fast_track
        case.small_claims_agreed = track.small_claims_agreed
        case.version += 1
        case.save(update_fields=["procedure", "fast_track", "small_claims_agreed", "version"])
        clock = _start_trial_clock(case)
        _event(case, kind="case.track", title="调整审理程序", actor=actor, origin=origin,
               summary=f"{before} → {case.get_procedure_display()}{'（速裁）' if case.fast_track else ''}，"
                       f"审理期限至 {clock.due_on}（{clock.citation}）",
               data={"procedure": case.procedure, "fast_track": case.fast_track})
    return case


def start_trial(*, actor: User, origin: Origin, case_id: int, expected_version: int | None = None) -> Case:
    """The parties declined court-referred mediation (or the court proceeds directly): the trial goes on."""
    _require_role(actor, COURT_ROLES, "安排审理")
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        return apply(CASE, case, "start_trial", actor=actor, origin=origin, expected_version=expected_version)


def extend_trial(*, actor: User, origin: Origin, case_id: int, approved_by: str, reason: str) -> Case:
    """Extend the trial period by the rule's extension, with the president's approval recorded."""
    _require_role(actor, {Role.JUDGE}, "延长审理期限")
    approved_by, reason = approved_by.strip(), reason.strip()
    errors = {}
    if not approved_by:
        errors["approved_by"] = ["请填写批准延长的院长。"]
    if not reason:
        errors["reason"] = ["请填写延长理由。"]
    if errors:
        raise InvalidInput("延长审理期限须写明理由并经院长批准。", errors=errors)
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        clock = trial_clock(case)
        if case.status not in {CaseStatus.IN_TRIAL, CaseStatus.IN_COURT_MEDIATION} or clock is None:
            raise Conflict("只有审理中的案件可以延长审理期限。")
        clock = clocks.extend_clock(clock=clock, actor=actor, origin=origin, reason=f"{approved_by}批准：{reason}")
        case.trial_extension_approved_by, case.trial_extension_reason = approved_by, reason
        case.save(update_fields=["trial_extension_approved_by", "trial_extension_reason"])
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="case", target_id=case.pk,
                     detail={"kind": "case.extend_trial", "due": clock.due_on.isoformat()})
    return case


def withdraw_case(*, actor: User, origin: Origin, case_id: int, reason: str = "") -> Case:
    """The plaintiff withdraws the suit (撤诉); every clock of the case stops."""
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if actor.role == Role.PARTY and not case.dispute.dispute_parties.filter(
            party_id=actor.party_id or 0, role="applicant"
        ).exists() and case.filed_by_id != actor.pk:
            raise NotPermitted("只有原告（申请人）可以撤回起诉。")

        def effect(c: Case) -> None:
            c.closed_at = timezone.now()

        case = apply(CASE, case, "withdraw", actor=actor, origin=origin, effect=effect,
                     summary=f"撤回起诉{('：' + reason.strip()[:200]) if reason.strip() else ''}")
        _stop_all_clocks(case)
        apply(DISPUTE, case.dispute_id, "close_case", actor=actor, origin=origin, summary="原告撤回起诉")
    return case


def _stop_all_clocks(case: Case, outcome: str = ClockStatus.CANCELLED) -> None:
    refs = [case_ref(case)] + [m.object_ref for m in case.court_mediations.all()]
    for clock in Clock.objects.filter(dispute=case.dispute, object_ref__in=refs,
                                      status__in=[ClockStatus.OPEN, ClockStatus.OVERDUE]):
        clocks.stop_clock(dispute=case.dispute, rule=clock.rule, object_ref=clock.object_ref, outcome=outcome)


# --- court-referred mediation (委托调解) ---------------------------------------------------------


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


# --- judgment ------------------------------------------------------------------------------------


def _parse_amount(raw: str | Decimal | None) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise InvalidInput("金额格式不正确。", errors={"amount": ["请填写数字金额。"]}) from None
    if value < 0 or value >= Decimal("1e12"):
        raise InvalidInput("金额超出范围。", errors={"amount": ["金额超出范围。"]})
    return value.quantize(Decimal("0.01"))


def pronounce_judgment(*, actor: User, origin: Origin, case_id: int, main_text: str, amount: str | Decimal | None,
                       perform_by: date, pronounced_on: date | None = None,
                       expected_version: int | None = None) -> Judgment:
    """判决, served with a performance notice (履行告知书): the deadline and what not performing costs."""
    _require_role(actor, {Role.JUDGE}, "作出判决")
    main_text = main_text.strip()
    today = _today()
    pronounced = pronounced_on or today
    errors: dict[str, list[str]] = {}
    if not main_text:
        errors["main_text"] = ["请填写判决主文。"]
    if pronounced > today:
        errors["pronounced_on"] = ["宣判日期不能晚于今天。"]
    if perform_by < pronounced:
        errors["perform_by"] = ["履行期限不能早于宣判日期。"]
    if errors:
        raise InvalidInput("判决信息不完整或有误。", errors=errors)
    value = _parse_amount(amount)
    with rendered.cleanup(), transaction.atomic():
        case = _lock_case(actor, case_id)
        case = apply(CASE, case, "judge", actor=actor, origin=origin, expected_version=expected_version,
                     summary=f"宣判；履行期限至 {perform_by}" + (f"，应履行 {value} 元" if value is not None else ""))
        judgment = Judgment.objects.create(case=case, judge=actor, pronounced_on=pronounced, main_text=main_text,
                                           amount=value, perform_by=perform_by,
                                           consequences=NON_PERFORMANCE_CONSEQUENCES)
        _stop_all_clocks(case, ClockStatus.MET)
        payload: dict[str, Any] = {"perform_by": perform_by.isoformat(), "amount": str(value) if value else ""}
        if value:
            document = rendered.performance_notice(dispute=case.dispute, case_number=case.number, amount=value,
                                                   perform_by=perform_by, on=pronounced, actor=actor, origin=origin)
            judgment.document_id = document.pk
            judgment.save(update_fields=["document_id"])
            # The adjudged sum and date become the performance plan (docs/workflow-contracts.md).
            plan = rendered.performance(dispute=case.dispute, total=value, source="judgment",
                                        instalments=[{"due": perform_by.isoformat(), "amount": f"{value:.2f}"}])
            if plan is not None:
                payload["performance"] = plan
        apply(DISPUTE, case.dispute_id, "judge", actor=actor, origin=origin, payload=payload,
              summary=f"{case.number} 作出判决并送达履行告知书，履行期限至 {perform_by}")
    return judgment


def registration_overdue(case: Case, *, today: date | None = None) -> bool:
    return (today or _today()) > registration_deadline(case).due  # type: ignore[operator]


def days_left(case: Case, *, today: date | None = None) -> int:
    due = registration_deadline(case).due
    assert isinstance(due, date)
    return (due - (today or _today())).days

