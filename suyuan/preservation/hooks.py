"""Reactions to the dispute lifecycle and to the sweep, registered from ``PreservationConfig.ready``.

* 立保同步 / following the case: filing suit for the dispute meets the 30-day clock of a
  pre-suit preservation in force (民事诉讼法 第一百零四条第三款).
* 以保促执 / lifting: a settlement tells the clerk which measures to lift; a judgment or an
  application for enforcement which to carry into enforcement. The clerk acts; nothing is
  released here.
* The sweep: a 48-hour ruling clock passed → a to-do; a 30-day clock passed → the preservation
  lapses and the clerk is told which measures to lift.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.disputes.clocks import register_expiry_handler
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock, Dispute
from suyuan.disputes.workflow import Transition, apply

from .choices import PreservationKind, PreservationStatus, TodoKind
from .legal import LAPSE, PRE_SUIT_RULING, URGENT_RULING
from .lifecycle import PRESERVATION
from .models import Preservation

HOLDING = (PreservationStatus.IN_FORCE, PreservationStatus.FOLLOWING, PreservationStatus.LAPSED)
# Dispute steps after which the measures are no longer needed, or must carry into enforcement.
LIFT_ON = {"settle": "纠纷已调解成功", "settle_in_court": "委托调解成功结案", "confirm": "调解协议已经司法确认",
           "withdraw": "纠纷已撤回", "close_case": "案件已终结", "confirm_performance": "已确认履行完毕"}
CARRY_ON = {"judge": "判决已作出", "apply_enforcement": "已申请强制执行"}


def on_dispute_step(dispute: Dispute, row: Transition, actor: User | None, origin: Origin,
                    payload: dict[str, Any]) -> None:
    from . import services

    held = Preservation.objects.select_for_update().filter(dispute=dispute, status__in=HOLDING)
    if row.action == "file_suit":
        for p in held.filter(kind=PreservationKind.PRE_SUIT, status=PreservationStatus.IN_FORCE):
            services.follow_case(preservation=p, actor=None, origin=origin, summary="申请人已起诉，保全随案转入诉讼")
        return
    cause = LIFT_ON.get(row.action)
    kind = TodoKind.LIFT
    if cause is None:
        cause, kind = CARRY_ON.get(row.action, ""), TodoKind.CARRY
    if not cause:
        return
    for p in held:
        services.add_todo(preservation=p, kind=kind, cause=cause, actor=actor, origin=origin)


def on_ruling_overdue(clock: Clock) -> None:
    from . import services

    p = Preservation.objects.filter(dispute_id=clock.dispute_id, pk=_pk(clock)).first()
    if p is not None and p.status == PreservationStatus.ACCEPTED:
        services.add_todo(preservation=p, kind=TodoKind.RULING_OVERDUE, cause="48小时裁定期限届满", actor=None,
                          origin=WORKER)


def on_lapse(clock: Clock) -> None:
    from . import services

    p = Preservation.objects.filter(dispute_id=clock.dispute_id, pk=_pk(clock)).first()
    if p is None or p.status != PreservationStatus.IN_FORCE:
        return
    apply(PRESERVATION, p, "lapse", actor=None, origin=WORKER,
          summary=f"采取保全措施后三十日内未起诉或申请仲裁（{clock.citation}）")
    p.refresh_from_db()
    services.add_todo(preservation=p, kind=TodoKind.LIFT, cause="申请人三十日内未起诉或申请仲裁，应当解除保全",
                      actor=None, origin=WORKER)


def _pk(clock: Clock) -> int:
    prefix, _, pk = clock.object_ref.partition(":")
    return int(pk) if prefix == "preservation" and pk.isdigit() else 0


def connect() -> None:
    if on_dispute_step not in DISPUTE.after:
        DISPUTE.after.append(on_dispute_step)
    register_expiry_handler(PRE_SUIT_RULING, on_ruling_overdue)
    register_expiry_handler(URGENT_RULING, on_ruling_overdue)
    register_expiry_handler(LAPSE, on_lapse)
    connect_case()


def on_case_step(case: Any, row: Transition, actor: User | None, origin: Origin, payload: dict[str, Any]) -> None:
    """Once the suit is registered, a preservation that followed it names the case (立保同步); when the
    judgment is set aside and remanded, the preservation follows the retrial case the court below registers."""
    if row.action == "register":
        Preservation.objects.filter(dispute_id=case.dispute_id, case__isnull=True,
                                    status__in=HOLDING).update(case=case)
    elif row.action == "receive_remand":
        Preservation.objects.filter(dispute_id=case.dispute_id, court_id=case.court_id,
                                    status__in=HOLDING).update(case=case)


def connect_case() -> None:
    from suyuan.litigation.lifecycle import CASE

    if on_case_step not in CASE.after:
        CASE.after.append(on_case_step)
