"""保全转执行 for the registry measures: a transferred preservation's measures continue under the case.

The preservation app cannot name the enforcement case (it sits below enforcement), so enforcement reacts
to the preservation lifecycle's ``transfer`` step, in its transaction: the active ``assets.Measure`` rows of
the preservation's holder move to the open enforcement case of the same dispute, same asset, priority and
period (财产保全规定 第十七条, cited by ``assets.rules.transfer_rule``). With registry measures and no open
case there is nothing to carry them into: the transfer is refused and nothing changes.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.assets.choices import MeasureStatus
from suyuan.assets.measures import transfer_measures
from suyuan.assets.models import Measure
from suyuan.common.errors import InvalidInput
from suyuan.disputes.workflow import Transition
from suyuan.preservation.lifecycle import PRESERVATION

from .choices import EnforcementStatus
from .models import EnforcementCase

RECEIVING = (EnforcementStatus.OPEN, EnforcementStatus.SETTLEMENT)


def on_preservation_step(p: Any, row: Transition, actor: User | None, origin: Origin,
                         payload: dict[str, Any]) -> None:
    if row.action != "transfer":
        return
    if not Measure.objects.filter(holder=p.ref, status=MeasureStatus.ACTIVE).exists():
        return
    case = EnforcementCase.objects.filter(dispute_id=p.dispute_id, status__in=RECEIVING).order_by("-pk").first()
    if case is None:
        raise InvalidInput("本纠纷尚无执行中的执行案件，网络查控的保全措施无法转为执行措施；"
                           "请先立执行案件再办理保全转执行。")
    if actor is None:
        raise InvalidInput("保全转执行须由执行员办理。")
    transfer_measures(actor=actor, origin=origin, from_holder=p.ref, to_holder=case.holder,
                      to_dispute_id=case.dispute_id)


def connect() -> None:
    if on_preservation_step not in PRESERVATION.after:
        PRESERVATION.after.append(on_preservation_step)
