"""A judgment becomes legally effective (判决生效) and its performance period starts to run.

Each service of a judgment starts an ``appeal_judgment`` clock for that party (``serving``). When
the sweep finds one lapsed, ``on_appeal_period_lapsed`` recomputes the judgment's standing from
every party's service: once every party is served, every period has ended and nobody appealed
(民事诉讼法 第一百五十八条、第一百七十一条), the judgment is effective the day after the last period
ends. A small-claims judgment is effective on pronouncement (第一百六十五条).

Only then is the due date known: effective_on + N days (the court-designated period, counted by
the rules engine, rule ``judgment_performance``), and the performance plan is created. The plan
lives in the enforcement app, which this app may not import: it registers a handler here
(``register_effective_handler``) that receives the ``performance`` payload.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.disputes.models import Clock
from suyuan.rules import periods

from . import rendered
from .casework import _event
from .models import Judgment, ServiceRecord

PERFORMANCE_RULE = "judgment_performance"
SERVICE_REF = "service:"
EffectiveHandler = Callable[[Judgment, dict[str, Any], "User | None", Origin], None]
_HANDLERS: list[EffectiveHandler] = []


def register_effective_handler(handler: EffectiveHandler) -> None:
    """``handler(judgment, performance_payload, actor, origin)`` runs in the transaction that makes it effective."""
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)


def performance_due(judgment: Judgment, effective_on: date) -> tuple[date, str]:
    """The last day of "自判决生效之日起 N 日内" (a court-designated period, counted like any period)."""
    deadline = periods.compute(PERFORMANCE_RULE, start=effective_on, days=judgment.perform_within_days)
    assert isinstance(deadline.due, date)
    return deadline.due, deadline.citation


def make_effective(judgment: Judgment, *, on: date, actor: User | None, origin: Origin) -> Judgment:
    """Record ``effective_on``, fix the due date, leave a timeline event and hand the plan on."""
    locked = Judgment.objects.select_for_update().select_related("case", "case__dispute").get(pk=judgment.pk)
    if locked.effective_on is not None:
        return locked
    case = locked.case
    locked.effective_on = on
    citation = ""
    if locked.perform_by is None and locked.perform_within_days:
        locked.perform_by, citation = performance_due(locked, on)
    locked.save(update_fields=["effective_on", "perform_by"])
    due = f"，履行期限至 {locked.perform_by}" if locked.perform_by else ""
    _event(case, kind="case.judgment_effective", title="判决发生法律效力", actor=actor, origin=origin,
           summary=f"{case.number} 判决于 {on} 发生法律效力{due}" + (f"（{citation}）" if citation else ""),
           data={"effective_on": on.isoformat(),
                 "perform_by": locked.perform_by.isoformat() if locked.perform_by else ""})
    if locked.amount and locked.perform_by is not None:
        # The adjudged sum and date become the performance plan (docs/workflow-contracts.md).
        plan = rendered.performance(dispute=case.dispute, total=locked.amount, source="judgment",
                                    instalments=[{"due": locked.perform_by.isoformat(),
                                                  "amount": f"{locked.amount:.2f}"}])
        if plan is not None:
            for handler in _HANDLERS:
                handler(locked, plan, actor, origin)
    return locked


def on_appeal_period_lapsed(clock: Clock) -> None:
    """Expiry handler of ``appeal_judgment``: the judgment may now be effective (runs in the sweep's transaction)."""
    from .serving import judgment_effectiveness

    if not clock.object_ref.startswith(SERVICE_REF):
        return
    record = ServiceRecord.objects.select_related("case").filter(pk=int(clock.object_ref[len(SERVICE_REF):])).first()
    if record is None:
        return
    state = judgment_effectiveness(record.case, today=timezone.localdate())
    if state is None or state.state != "effective" or state.effective_on is None:
        return
    make_effective(record.case.judgment, on=state.effective_on, actor=None, origin=WORKER)
