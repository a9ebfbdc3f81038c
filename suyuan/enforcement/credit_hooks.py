"""Clocks of the credit measures and what the worker does when they run out.

The grace period and the listing period are chosen per decision (1–3 months; 2 years plus an
extension), so their clocks carry the decided due date rather than one computed from a fixed
period rule; the review period (15 days) is a period rule (``credit_review``). Imported from
``EnforcementConfig.ready``: registering on import keeps ``apps.py`` to one line.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from suyuan.accounts.context import WORKER
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import register_expiry_handler
from suyuan.disputes.models import Clock, Dispute
from suyuan.disputes.workflow import apply

from . import credit_documents  # noqa: F401  (registers the two PDFs)
from .credit_choices import CreditMeasureStatus, GraceStatus
from .credit_lifecycle import CREDIT_GRACE, CREDIT_MEASURE
from .models import CreditGrace, CreditMeasure

GRACE_RULE = "credit_grace"
LISTING_RULE = "credit_listing"
REVIEW_RULE = "credit_review"


def open_decided_clock(*, dispute: Dispute, rule: str, subject: str, object_ref: str, start: date, due: date,
                       regime: str, citation: str) -> Clock:
    Clock.objects.filter(dispute=dispute, rule=rule, object_ref=object_ref, status=ClockStatus.OPEN).update(
        status=ClockStatus.CANCELLED, closed_at=timezone.now()
    )
    return Clock.objects.create(dispute=dispute, rule=rule, subject=subject, object_ref=object_ref, regime=regime,
                                citation=citation, started_on=start, due_on=due)


def on_grace_lapsed(clock: Clock) -> None:
    """The grace period ran out without performance: record it and prompt the officer; never list."""
    pk = int(clock.object_ref.split(":")[1])
    grace = CreditGrace.objects.filter(pk=pk, status=GraceStatus.RUNNING).first()
    if grace is None:
        return
    apply(CREDIT_GRACE, grace, "lapse", actor=None, origin=WORKER,
          summary=(f"宽限期已于 {grace.ends_on:%Y年%m月%d日} 届满，被执行人未履行完毕。请执行员审查是否具有"
                   "法定情形并决定是否纳入失信被执行人名单（系统不会自动纳入）。"))


def on_listing_expired(clock: Clock) -> None:
    pk = int(clock.object_ref.split(":")[1])
    measure = CreditMeasure.objects.filter(pk=pk, status=CreditMeasureStatus.IN_FORCE).first()
    if measure is None:
        return

    def effect(row: CreditMeasure) -> None:
        row.end_ground, row.end_citation, row.ended_at = "expired", clock.citation, timezone.now()

    apply(CREDIT_MEASURE, measure, "expire", actor=None, origin=WORKER, effect=effect,
          summary=f"失信被执行人名单纳入期限于 {clock.due_on:%Y年%m月%d日} 届满，失信信息已删除（{clock.citation}）")


register_expiry_handler(GRACE_RULE, on_grace_lapsed)
register_expiry_handler(LISTING_RULE, on_listing_expired)
