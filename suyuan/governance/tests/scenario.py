"""A hand-computed history: five disputes in 大武口 and 惠农, events placed on month boundaries.

Figures for the period 2026-01..2026-02 (Beijing time), worked out by hand in test_indicators.py.
Events are written with explicit times (the timeline's ``append_event`` stamps "now"), and each
is passed to the fact sink exactly as ``append_event`` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Max

from suyuan.accounts.models import User
from suyuan.disputes.choices import AuthorityKind, Channel
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.enforcement.choices import PerformanceSource, PlanStatus
from suyuan.enforcement.models import PerformancePlan
from suyuan.governance import facts
from suyuan.mediation.choices import MediationKind, ReferralStatus
from suyuan.mediation.models import Referral
from suyuan.network.models import Region
from suyuan.testing.factories import NetworkWorld, make_party

TZ = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def event(dispute: Dispute, kind: str, when: datetime, actor: User | None = None, **data: object) -> DisputeEvent:
    seq = (DisputeEvent.objects.filter(dispute=dispute).aggregate(m=Max("seq"))["m"] or 0) + 1
    e = DisputeEvent.objects.create(
        dispute=dispute, seq=seq, kind=kind, at=when, actor=actor,
        actor_label=actor.display_name if actor else "系统", actor_role=actor.role if actor else "",
        via="test", summary=kind, data=dict(data),
    )
    facts.record_event(e)
    return e


def step(dispute: Dispute, action: str, source: str, target: str, when: datetime) -> None:
    event(dispute, f"dispute.{action}", when, **{"from": source, "to": target})


_n = iter(range(1, 1000))


def dispute(w: NetworkWorld, region: Region, category: str, channel: str, court: object) -> Dispute:
    return Dispute.objects.create(
        number=f"SY-2026-{next(_n):06d}", summary="测试纠纷", category=category, description="事实与理由",
        channel=channel, recorded_by=w.clerk, region=region, court=court,
        authority_kind=AuthorityKind.WRITTEN if channel == Channel.GRID_WORKER else "",
    )


@dataclass
class Scenario:
    d1: Dispute
    d2: Dispute
    d3: Dispute
    d4: Dispute
    d5: Dispute


def build(w: NetworkWorld) -> Scenario:
    dwk, hn = w.dawukou_court, w.huinong_court
    d1 = dispute(w, w.grid, "debt", Channel.GRID_WORKER, dwk)
    d2 = dispute(w, w.grid, "family", Channel.COURT_WINDOW, dwk)
    d3 = dispute(w, w.other_grid, "debt", Channel.SELF_SERVICE, hn)
    d4 = dispute(w, w.other_grid, "labour", Channel.GRID_WORKER, hn)
    d5 = dispute(w, w.grid, "debt", Channel.GRID_WORKER, dwk)

    # D1: recorded by the grid worker, mediated, settled, performed voluntarily.
    event(d1, "recorded", at(1, 5), w.grid_worker)
    step(d1, "refer_to_mediation", "recorded", "in_mediation", at(1, 6))
    event(d1, "referral.settle", at(1, 20), None, **{"from": "in_session", "to": "settled"})
    step(d1, "settle", "in_mediation", "settled", at(1, 20))
    step(d1, "perform_voluntarily", "settled", "performing", at(1, 21))
    event(d1, "performance.mark_performed", at(2, 10), w.clerk, **{"from": "performing", "to": "performed"})
    step(d1, "confirm_performance", "performing", "performed", at(2, 10))

    # D2: recorded 31 Jan 23:30 Beijing (still January; 15:30 UTC), sued and registered 1 Feb 00:30
    # (February in Beijing, still 31 January in UTC), settled in court-referred mediation.
    event(d2, "recorded", at(1, 31, 23, 30), w.clerk)
    step(d2, "file_suit", "recorded", "in_litigation", at(2, 1, 0, 30))
    event(d2, "case.register", at(2, 1, 0, 30), w.clerk, **{"from": "filed", "to": "registered"})
    event(d2, "case.settle", at(2, 15, 0, 30), w.judge, **{"from": "in_court_mediation", "to": "closed_by_settlement"})
    step(d2, "settle_in_court", "in_litigation", "performing", at(2, 15, 0, 30))

    # D3: self-service in 惠农, mediation failed, sued, court-referred mediation failed.
    event(d3, "recorded", at(2, 3), None)
    step(d3, "refer_to_mediation", "recorded", "in_mediation", at(2, 4))
    event(d3, "referral.fail", at(2, 14), w.mediator_user, **{"from": "in_session", "to": "failed"})
    step(d3, "fail_mediation", "in_mediation", "mediation_failed", at(2, 14))
    event(d3, "case.register", at(2, 20), w.other_clerk, **{"from": "filed", "to": "registered"})
    event(d3, "case.return_to_trial", at(2, 25), None, **{"from": "in_court_mediation", "to": "in_trial"})
    # A trial settlement is not a court-referred mediation success (source in_trial).
    event(d3, "case.settle", at(2, 27), w.judge, **{"from": "in_trial", "to": "closed_by_settlement"})

    # D4: recorded a year earlier (for year-on-year), confirmation and enforcement in the period.
    event(d4, "recorded", at(2, 10, year=2025), w.other_grid_worker)
    event(d4, "follow_up", at(1, 10), w.other_grid_worker)
    event(d4, "confirmation.confirm", at(1, 15), w.judge, **{"from": "accepted", "to": "confirmed"})
    event(d4, "confirmation.reject", at(2, 16), w.judge, **{"from": "accepted", "to": "rejected"})
    event(d4, "performance.apply_enforcement", at(2, 18), w.clerk, **{"from": "defaulted", "to": "enforcement_applied"})

    # D5: recorded ten minutes into March (outside the period).
    event(d5, "recorded", at(3, 1, 0, 10), w.grid_worker)

    # The mediation models behind the mediator and organisation figures.
    a, b = make_party("甲方", phone="13900000011"), make_party("乙方", phone="13900000012")
    for d, status, closed in ((d1, ReferralStatus.SETTLED, at(1, 20)), (d3, ReferralStatus.FAILED, at(2, 14))):
        Referral.objects.create(dispute=d, organisation=w.committee, mediator=w.mediator, kind=MediationKind.PEOPLES,
                                referred_by=w.clerk, referred_at=at(1, 6), status=status, closed_at=closed)
    PerformancePlan.objects.create(dispute=d1, source=PerformanceSource.AGREEMENT, obligor=a, obligee=b,
                                   total=Decimal("1000"), status=PlanStatus.PERFORMED)
    return Scenario(d1, d2, d3, d4, d5)
