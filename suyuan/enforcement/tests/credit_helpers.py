"""An open enforcement case against the respondent of a performing dispute, for the credit tests."""

from __future__ import annotations

from itertools import count

from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.enforcement.choices import PerformanceSource
from suyuan.enforcement.models import EnforcementCase

ORIGIN = Origin(via="test", ip="127.0.0.1")
_serial = count(9000)


def open_case(world, dispute) -> EnforcementCase:
    plan = dispute.performance_plans.exclude(source=PerformanceSource.ENFORCEMENT_SETTLEMENT).get()
    serial = next(_serial)
    return EnforcementCase.objects.create(
        plan=plan, dispute=dispute, court=world.dawukou_court, number=f"（2026）宁0202执{serial}号", year=2026,
        serial=serial, applicant=plan.obligee, respondent=plan.obligor, amount=plan.total,
        applied_at=timezone.now(), applied_by=world.clerk, period_citation="《中华人民共和国民事诉讼法》第二百五十条",
    )
