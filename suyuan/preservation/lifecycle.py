"""Preservation.status: application, acceptance, ruling, measures, and what follows them.

The pre-suit path (民事诉讼法 第一百零四条): accepted → ruling within 48 hours → measures → the
applicant sues or applies for arbitration within 30 days (the preservation then follows the case)
or it lapses and the court must lift it. Lifting is always the clerk's confirmed act: the sweep
marks the lapse, it never releases property by itself.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t

from .choices import PreservationKind
from .choices import PreservationStatus as S
from .legal import rules_on
from .models import Preservation

COURT = {Role.CLERK, Role.JUDGE}


def security_given(p: Preservation, actor: User | None, payload: dict[str, Any]) -> str | None:
    if p.kind == PreservationKind.PRE_SUIT and not p.security_amount:
        rules = rules_on(p.applied_at.date())
        return f"诉前保全申请人应当提供担保，不提供担保的，裁定驳回申请（{rules.security_required_citation}）。"
    return None


TRANSITIONS = [
    t(S.APPLIED, "accept", S.ACCEPTED, COURT, "受理保全申请"),
    t(S.ACCEPTED, "grant", S.GRANTED, {Role.JUDGE}, "裁定准予保全", guard=security_given,
      guard_doc="诉前保全须提供担保（民事诉讼法第一百零四条）"),
    t(S.ACCEPTED, "refuse", S.REFUSED, {Role.JUDGE}, "裁定驳回保全申请"),
    t(S.GRANTED, "take_measures", S.IN_FORCE, COURT, "采取保全措施"),
    t(S.IN_FORCE, "follow_case", S.FOLLOWING, COURT | {SYSTEM}, "已起诉或申请仲裁，保全随案"),
    t(S.IN_FORCE, "lapse", S.LAPSED, {SYSTEM}, "三十日内未起诉或申请仲裁"),
    t((S.IN_FORCE, S.FOLLOWING, S.LAPSED), "lift", S.LIFTED, COURT, "确认解除保全"),
    t(S.FOLLOWING, "transfer", S.TRANSFERRED, COURT | {Role.ENFORCEMENT}, "保全措施转为执行措施"),
]


def in_scope(p: Preservation, actor: User) -> bool:
    if actor.role in COURT | {Role.ENFORCEMENT}:
        court = actor.organisation.court() if actor.organisation else None
        return court is not None and court.pk == p.court_id
    return False  # parties and mediators read the preservation; they take none of its steps


PRESERVATION = register(Lifecycle(
    name="preservation", title="保全", model=Preservation, states=S, transitions=TRANSITIONS,
    dispute_of=lambda p: p.dispute, in_scope=in_scope,
))
