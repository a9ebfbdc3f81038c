"""Legal periods running on disputes, and the sweep that watches them.

Stage services call ``start_clock`` when an act starts a period (filing starts the 7-day
registration period, a mediator's signed receipt starts court-referred mediation …) and
``stop_clock`` when the act it waits for happens. Due dates come from ``suyuan.rules.periods``,
never from literals. The worker runs ``sweep`` periodically (``manage.py sweep --every N``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict, InvalidInput
from suyuan.rules import periods

from .choices import ClockStatus
from .events import append_event
from .models import Clock, Dispute

logger = logging.getLogger(__name__)
ExpiryHandler = Callable[[Clock], None]
SweepStep = Callable[[datetime], int]
_HANDLERS: dict[str, list[ExpiryHandler]] = {}
_STEPS: dict[str, SweepStep] = {}
_WINDOWS: dict[str, Callable[[date], int]] = {}


def register_expiry_handler(rule: str, handler: ExpiryHandler) -> None:
    """``handler(clock)`` runs inside the sweep's transaction when a clock of ``rule`` passes its due date."""
    _HANDLERS.setdefault(rule, []).append(handler)


def register_reminder_window(rule: str, days: Callable[[date], int]) -> None:
    """Remind of clocks of ``rule`` ``days(due_on)`` days before their last day instead of the general
    ``SUYUAN_REMINDER_DAYS`` (e.g. a measure's renewal, which must reach the institutions in time)."""
    _WINDOWS[rule] = days


def register_sweep_step(name: str, step: SweepStep) -> None:
    """``step(now)`` runs at the end of every sweep (e.g. voice expires surveys past their last day).

    It returns how many things it changed, reported under ``name``; it makes its own transactions,
    and a failing step is logged and reported without stopping the sweep or the other steps.
    """
    _STEPS[name] = step


def start_clock(
    *, dispute: Dispute, rule: str, start: date | datetime, subject: str, object_ref: str = "",
    procedure: str | None = None, extended: bool = False,
) -> Clock:
    """Start (or restart) the period ``rule`` from the act on ``start``; call inside the step's transaction."""
    deadline = periods.compute(rule, start=start, procedure=procedure, extended=extended)
    Clock.objects.filter(dispute=dispute, rule=rule, object_ref=object_ref, status=ClockStatus.OPEN).update(
        status=ClockStatus.CANCELLED, closed_at=timezone.now()
    )
    due = deadline.due
    return Clock.objects.create(
        dispute=dispute, rule=rule, subject=subject, object_ref=object_ref, regime=deadline.regime,
        citation=deadline.citation, procedure=procedure or "",
        started_on=start.date() if isinstance(start, datetime) else start,
        due_on=timezone.localtime(due).date() if isinstance(due, datetime) else due,
        due_at=due if isinstance(due, datetime) else None,
        extended=extended,
        provisional=getattr(deadline, "provisional", False),
    )


def stop_clock(*, dispute: Dispute, rule: str, object_ref: str = "", outcome: str = ClockStatus.MET) -> None:
    """The awaited act happened (met) or the period no longer applies (cancelled)."""
    if outcome not in (ClockStatus.MET, ClockStatus.CANCELLED):
        raise ValueError(outcome)
    Clock.objects.filter(
        dispute=dispute, rule=rule, object_ref=object_ref, status__in=[ClockStatus.OPEN, ClockStatus.OVERDUE]
    ).update(status=outcome, closed_at=timezone.now())


def extend_clock(*, clock: Clock, actor: User, origin: Origin, reason: str, extra_days: int = 0) -> Clock:
    """Apply the rule's lawful extension (``--extended``); the reason (approval, parties' agreement) is recorded.

    ``extra_days`` shifts the due date of another clock by an extension not counted in it (the
    court-mediation extension is not counted in the trial period): used by the owner of that rule.
    """
    if not reason.strip():
        raise InvalidInput("请填写延长理由（如院长批准、双方当事人同意）。", errors={"reason": ["请填写延长理由。"]})
    with transaction.atomic():
        locked = Clock.objects.select_for_update().get(pk=clock.pk)
        if locked.status != ClockStatus.OPEN:
            raise Conflict("该期限已结束，不能延长。")
        if extra_days:
            locked.due_on += timedelta(days=extra_days)
        else:
            if locked.extended:
                raise Conflict("该期限已经延长过。")
            if locked.due_at is not None:
                raise InvalidInput("以小时计算的期间没有法定的延长规定。")
            deadline = periods.compute(
                locked.rule, start=locked.started_on, procedure=locked.procedure or None, extended=True
            )
            locked.due_on = deadline.due  # type: ignore[assignment]
            locked.provisional = deadline.provisional
            locked.extended = True
        locked.reminded_at = None
        locked.save()
        append_event(
            dispute=locked.dispute, kind="clock.extend", title="期限延长", actor=actor, origin=origin,
            summary=f"{locked.subject}延长至 {locked.due_on}（{reason.strip()}）",
            data={"rule": locked.rule, "due": locked.due_on.isoformat(), "citation": locked.citation},
        )
    return locked


@dataclass
class SweepReport:
    reminded: int = 0
    overdue: int = 0
    escalated: int = 0
    failed: list[str] = field(default_factory=list)
    steps: dict[str, int] = field(default_factory=dict)


def _due_moment(clock: Clock) -> datetime:
    if clock.due_at is not None:
        return clock.due_at
    # A period in days ends at the end of its last day (24:00 local time).
    return datetime.combine(clock.due_on + timedelta(days=1), time(0), tzinfo=periods.CHINA)


def _remind_from(clock: Clock, window: timedelta) -> datetime:
    """``window`` before the last day begins (or before the hour, for hour periods)."""
    if clock.due_at is not None:
        return clock.due_at - window
    return datetime.combine(clock.due_on, time(0), tzinfo=periods.CHINA) - window


def sweep(now: datetime | None = None) -> SweepReport:
    """Remind before due dates, mark passed ones overdue and escalate them, then run the registered steps.

    Each clock in its own transaction."""
    now = now or timezone.now()
    report = SweepReport()
    window = timedelta(days=settings.SUYUAN_REMINDER_DAYS)
    for clock_id in Clock.objects.filter(status=ClockStatus.OPEN).values_list("pk", flat=True):
        try:
            _sweep_one(clock_id, now, window, report)
        except Exception as exc:  # one bad clock must not stop the others; it is retried next sweep
            logger.exception("sweep failed for clock %s", clock_id)
            report.failed.append(f"{clock_id}: {exc}")
    for name, step in _STEPS.items():
        try:
            report.steps[name] = step(now)
        except Exception as exc:  # the same: the step is retried by the next sweep
            logger.exception("sweep step %s failed", name)
            report.failed.append(f"{name}: {exc}")
    return report


def _window(clock: Clock, default: timedelta) -> timedelta:
    days = _WINDOWS.get(clock.rule)
    return timedelta(days=days(clock.due_on)) if days is not None else default


def _sweep_one(clock_id: int, now: datetime, window: timedelta, report: SweepReport) -> None:
    with transaction.atomic():
        clock = Clock.objects.select_for_update().select_related("dispute").filter(
            pk=clock_id, status=ClockStatus.OPEN
        ).first()
        if clock is None:
            return
        due = _due_moment(clock)
        if now >= due:
            clock.status = ClockStatus.OVERDUE
            clock.closed_at = now
            clock.save(update_fields=["status", "closed_at"])
            append_event(
                dispute=clock.dispute, kind="clock.overdue", title="期限届满", actor=None, origin=WORKER,
                summary=f"{clock.subject}已于 {clock.due_on} 届满（{clock.citation}）",
                data={"rule": clock.rule, "due": clock.due_on.isoformat(), "object": clock.object_ref},
            )
            report.overdue += 1
            for handler in _HANDLERS.get(clock.rule, []):
                handler(clock)
                report.escalated += 1
        elif clock.reminded_at is None and now >= _remind_from(clock, _window(clock, window)):
            clock.reminded_at = now
            clock.save(update_fields=["reminded_at"])
            append_event(
                dispute=clock.dispute, kind="clock.reminder", title="期限提醒", actor=None, origin=WORKER,
                summary=f"{clock.subject}将于 {clock.due_on} 届满（{clock.citation}）",
                data={"rule": clock.rule, "due": clock.due_on.isoformat(), "object": clock.object_ref},
            )
            report.reminded += 1
