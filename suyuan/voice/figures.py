"""The voice app's figures for the leaders' dashboard and the joint-conference report.

Scoped through the leader's own dispute scope (``disputes.selectors.visible_disputes``); deputies'
participation counts every invitation of the leader's area. The dashboard's filters narrow it: the
period (surveys sent, complaints received, invitations made in it) and the disputes' county,
category and channel; without them (the /voice/figures/ page) everything in scope is counted.
Registered by governance from its ``AppConfig.ready()`` (``governance.figures.voice_section`` wraps
``voice_figures``); also shown at /voice/figures/ (``TABLES`` gives the headings).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import visible_disputes

from .choices import ComplaintOutcome, ComplaintStatus, DeputyKind, InvitationStatus, SurveyStage, SurveyStatus
from .models import Complaint, Feedback, Invitation, Survey

M = TypeVar("M", bound=Model)

TABLES = {
    "by_stage": ("满意度评价（按环节）", ["环节", "发出", "已评价", "参评率", "平均分（1–5）"]),
    "by_organisation": ("满意度评价（按承办单位）", ["承办单位", "已评价", "平均分（1–5）"]),
    "complaints": ("投诉（按状态）", ["状态", "件数"]),
    "deputies": ("两代表一委员参与（联席会议）", ["身份", "邀请", "参加次数", "参加人数", "意见建议", "已答复"]),
}


def leader_may_see(user: User) -> bool:
    return user.is_active and user.role == Role.LEADER


@dataclass(frozen=True)
class VoiceFigures:
    by_stage: list[list[object]]
    by_organisation: list[list[object]]
    complaints: list[list[object]]
    deputies: list[list[object]]


def _mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.2f}" if values else "—"


@dataclass(frozen=True)
class Narrowing:
    """The dashboard's filters in this app's terms: an instant window and the disputes' attributes."""

    since: datetime | None = None
    until: datetime | None = None  # exclusive
    region_path: str = ""  # the county's path: its disputes and those of its townships
    category: str = ""
    channel: str = ""

    def disputes(self, user: User) -> QuerySet[Dispute]:
        qs = visible_disputes(user)
        if self.region_path:
            qs = qs.filter(region__path__startswith=self.region_path)
        if self.category:
            qs = qs.filter(category=self.category)
        if self.channel:
            qs = qs.filter(channel=self.channel)
        return qs

    def made(self, qs: QuerySet[M]) -> QuerySet[M]:
        """The rows created inside the window (surveys sent, complaints received, invitations made)."""
        if self.since is not None:
            qs = qs.filter(created_at__gte=self.since)
        if self.until is not None:
            qs = qs.filter(created_at__lt=self.until)
        return qs


def voice_figures(user: User, narrowing: Narrowing | None = None) -> VoiceFigures:
    narrowing = narrowing or Narrowing()
    disputes = narrowing.disputes(user).values("pk")
    surveys = narrowing.made(Survey.objects.filter(dispute__in=disputes))
    sent: dict[str, int] = defaultdict(int)
    scores: dict[str, list[float]] = defaultdict(list)
    org_scores: dict[str, list[float]] = defaultdict(list)
    for s in surveys.select_related("organisation").only("stage", "status", "answers", "organisation__name"):
        sent[s.stage] += 1
        if s.status == SurveyStatus.ANSWERED and s.score is not None:
            scores[s.stage].append(s.score)
            org_scores[s.organisation.name if s.organisation else "（未记录）"].append(s.score)
    by_stage = [
        [label, sent[code], len(scores[code]), f"{len(scores[code]) / sent[code]:.0%}" if sent[code] else "—",
         _mean(scores[code])]
        for code, label in SurveyStage.choices
    ]
    by_organisation = [[name, len(v), _mean(v)] for name, v in sorted(org_scores.items())]
    complaints = narrowing.made(Complaint.objects.filter(dispute__in=disputes))
    counts = dict(complaints.values_list("status").annotate(n=Count("pk")))
    today = timezone.localdate()
    open_states = [ComplaintStatus.RECEIVED, ComplaintStatus.ASSIGNED]
    rows = [[label, counts.get(code, 0)] for code, label in ComplaintStatus.choices]
    rows.append(["其中：超过办理期限未答复", complaints.filter(status__in=open_states, due_on__lt=today).count()])
    rows.append(["其中：经核查属实或部分属实",
                 complaints.filter(outcome__in=[ComplaintOutcome.UPHELD, ComplaintOutcome.PARTLY]).count()])
    invitations = narrowing.made(Invitation.objects.filter(dispute__in=disputes))
    deputies = []
    for code, label in DeputyKind.choices:
        mine = invitations.filter(deputy__deputy_profile__kind=code)
        agg = mine.aggregate(
            sent=Count("pk"), attended=Count("pk", filter=Q(status=InvitationStatus.ATTENDED)),
            people=Count("deputy", filter=Q(status=InvitationStatus.ATTENDED), distinct=True),
        )
        feedback = Feedback.objects.filter(invitation__in=mine)
        deputies.append([label, agg["sent"], agg["attended"], agg["people"], feedback.count(),
                         feedback.filter(answered_at__isnull=False).count()])
    return VoiceFigures(by_stage, by_organisation, rows, deputies)


def voice_tables(user: User, narrowing: Narrowing | None = None) -> list[tuple[str, list[str], list[list[object]]]]:
    """(title, headings, rows) per table, in the order of ``TABLES``."""
    f = voice_figures(user, narrowing)
    return [(title, headings, getattr(f, key)) for key, (title, headings) in TABLES.items()]
