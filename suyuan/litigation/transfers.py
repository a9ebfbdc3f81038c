"""移送管辖: a case moves to the court with jurisdiction once the upheld objection's ruling is effective.

民事诉讼法 第一百三十条第一款: an objection found well-founded is ruled on by transferring the case
to the court with jurisdiction. The ruling may be appealed within the ``appeal_ruling`` period
(第一百七十一条第二款), so nothing moves at once: ``rule_on_objection`` starts that clock, counted
from the day of the ruling (the ruling is taken as served on that day). When it lapses unappealed
the sweep calls ``on_ruling_appeal_lapsed``; when the objector appeals, the clerk records the
appellate court's decision (affirmed → the transfer happens; reversed → the case stays here).

The transfer closes the case here (``transfer_out``, status 已移送管辖; its open periods are
cancelled), registers a new first-instance case at the receiving court with that court's number
(``receive_transfer``) and its own trial period from that day, and moves the dispute to that court.
The transferring court keeps its closed case in its records; the receiving court sees the earlier
case with its file (``selectors.visible_cases``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict
from suyuan.disputes import clocks
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Clock, Dispute
from suyuan.disputes.workflow import apply

from .casework import _event, case_ref
from .choices import UNDECIDED_CASE_STATUSES
from .lifecycle import CASE
from .models import Case, JurisdictionObjection
from .objection_choices import ObjectionStatus
from .objection_lifecycle import OBJECTION
from .registration import register_by_system

RULING_APPEAL_RULE = "appeal_ruling"
OBJECTION_REF = "objection:"


def objection_ref(objection: JurisdictionObjection) -> str:
    return f"{OBJECTION_REF}{objection.pk}"


def start_ruling_appeal_period(objection: JurisdictionObjection) -> Clock:
    """Called in the ruling's transaction when the objection is upheld."""
    assert objection.ruled_at is not None
    return clocks.start_clock(dispute=objection.case.dispute, rule=RULING_APPEAL_RULE,
                              start=timezone.localdate(objection.ruled_at), subject="管辖权异议裁定上诉期",
                              object_ref=objection_ref(objection))


def on_ruling_appeal_lapsed(clock: Clock) -> None:
    """Expiry handler of ``appeal_ruling`` (inside the sweep's transaction): the unappealed ruling is effective."""
    if not clock.object_ref.startswith(OBJECTION_REF):
        return
    objection = JurisdictionObjection.objects.filter(pk=int(clock.object_ref.removeprefix(OBJECTION_REF))).first()
    if objection is None or objection.status != ObjectionStatus.UPHELD:
        return
    case = Case.objects.get(pk=objection.case_id)
    if case.status not in UNDECIDED_CASE_STATUSES:  # withdrawn or settled meanwhile: nothing left to move
        append_event(dispute=clock.dispute, kind="jurisdiction_objection.moot", title="移送不再进行", actor=None,
                     origin=WORKER, data={"objection": objection.pk, "case": case.pk},
                     summary=f"管辖权异议裁定上诉期届满，但案件已{case.get_status_display()}，不再移送。")
        return
    apply(OBJECTION, objection, "take_effect", actor=None, origin=WORKER,
          summary=f"管辖权异议裁定上诉期于 {clock.due_on} 届满，无人上诉，裁定生效（{clock.citation}）")
    transfer_case(objection.pk, origin=WORKER)


def appeal_ruling(*, actor: User, origin: Origin, objection_id: int) -> JurisdictionObjection:
    """A party appeals the transfer ruling within the period (recorded by the party or the clerk)."""
    with transaction.atomic():
        objection = apply(OBJECTION, objection_id, "appeal", actor=actor, origin=origin,
                          summary="当事人对管辖权异议裁定提起上诉，移送暂缓，待上级法院裁定")
        clocks.stop_clock(dispute=objection.case.dispute, rule=RULING_APPEAL_RULE,
                          object_ref=objection_ref(objection))
    return objection


def record_appeal_decision(*, actor: User, origin: Origin, objection_id: int, affirmed: bool,
                           note: str = "") -> JurisdictionObjection:
    """The clerk records the appellate court's ruling: affirmed → transfer now; reversed → the case stays."""
    action = "affirm_on_appeal" if affirmed else "reverse_on_appeal"
    summary = ("上级法院裁定驳回上诉、维持原裁定，案件移送" if affirmed
               else "上级法院撤销移送裁定，本院继续审理") + (f"：{note.strip()}" if note.strip() else "")
    with transaction.atomic():
        objection = apply(OBJECTION, objection_id, action, actor=actor, origin=origin, summary=summary)
        if affirmed:
            transfer_case(objection.pk, origin=origin)
    return objection


def transfer_case(objection_id: int, *, origin: Origin) -> Case:
    """Close the case here and register it at the receiving court (call inside a transaction)."""
    objection = JurisdictionObjection.objects.select_related("transfer_to").get(pk=objection_id)
    target = objection.transfer_to
    assert target is not None  # an upheld objection always names the court (objection_lifecycle)
    case = Case.objects.select_for_update().select_related("dispute", "court").get(pk=objection.case_id)
    dispute = Dispute.objects.select_for_update().get(pk=case.dispute_id)
    if case.status not in UNDECIDED_CASE_STATUSES:
        raise Conflict(f"案件当前状态为“{case.get_status_display()}”，不能移送。")
    for clock in Clock.objects.filter(dispute=dispute, object_ref=case_ref(case), status=ClockStatus.OPEN):
        clocks.stop_clock(dispute=dispute, rule=clock.rule, object_ref=clock.object_ref, outcome=ClockStatus.CANCELLED)
    apply(CASE, case, "transfer_out", actor=None, origin=origin,
          summary=f"{case.number} 依生效的管辖权异议裁定移送{target.name}")
    received, clock = register_by_system(
        action="receive_transfer", origin=origin, summary=f"受移送立案：{case.court.name} {case.number} 移送本院",
        dispute=dispute, court=target, case_type=case.case_type, procedure=case.procedure,
        fast_track=case.fast_track, small_claims_agreed=case.small_claims_agreed, filed_by=case.filed_by)
    _event(received, kind="case.numbered", title="编立案号", actor=None, origin=origin,
           summary=f"案号 {received.number}；审理期限至 {clock.due_on}（{clock.citation}）",
           data={"number": received.number, "procedure": received.procedure, "transferred_from": case.pk})
    from_court = dispute.court
    dispute.court = target
    dispute.version += 1
    dispute.save(update_fields=["court", "version", "updated_at"])
    append_event(dispute=dispute, kind="dispute.court_changed", title="移送管辖", actor=None, origin=origin,
                 summary=(f"纠纷由{from_court.name if from_court else '原法院'}移送{target.name}，"
                          f"原案号 {case.number}，新案号 {received.number}"),
                 data={"from_case": case.pk, "to_case": received.pk, "court": target.pk})
    return received
