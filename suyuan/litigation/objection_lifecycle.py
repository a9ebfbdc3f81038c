"""JurisdictionObjection.status: its transition table (管辖权异议, 民事诉讼法 第一百三十条).

The objection is created in "filed" by ``objections.file_jurisdiction_objection`` (which checks
the answer period); from there only the judge rules on it, by a ruling with reasons (裁定), or
the objector withdraws it.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t

from .models import JurisdictionObjection
from .objection_choices import ObjectionStatus as S

RULING_CITATION = "《中华人民共和国民事诉讼法》第一百三十条第一款"


def _reasons(obj: JurisdictionObjection, actor: User | None, payload: dict[str, Any]) -> str | None:
    if not str(payload.get("reasons", "")).strip():
        return f"对管辖权异议应当以裁定作出，须写明理由（{RULING_CITATION}）。"
    return None


def _reasons_and_court(obj: JurisdictionObjection, actor: User | None, payload: dict[str, Any]) -> str | None:
    problem = _reasons(obj, actor, payload)
    if problem:
        return problem
    court = payload.get("transfer_to")
    if court is None:
        return f"异议成立的，裁定将案件移送有管辖权的人民法院，请选择移送法院（{RULING_CITATION}）。"
    if getattr(court, "pk", court) == obj.case.court_id:
        return "移送法院不能是本院。"
    return None


OBJECTION_TRANSITIONS = [
    t(S.FILED, "uphold", S.UPHELD, {Role.JUDGE}, "裁定异议成立，移送管辖", _reasons_and_court,
      "须写明理由并选择有管辖权的法院"),
    t(S.FILED, "reject", S.REJECTED, {Role.JUDGE}, "裁定驳回管辖权异议", _reasons, "须写明理由"),
    t(S.FILED, "withdraw", S.WITHDRAWN, {Role.PARTY, Role.CLERK}, "撤回管辖权异议"),
    # The ruling may be appealed (第一百七十一条第二款); unappealed, it takes effect when the period
    # lapses and the case moves (transfers.py).
    t(S.UPHELD, "appeal", S.APPEALED, {Role.PARTY, Role.CLERK}, "对管辖权异议裁定提起上诉"),
    t(S.UPHELD, "take_effect", S.TRANSFERRED, {SYSTEM}, "上诉期届满，裁定生效，案件移送"),
    t(S.APPEALED, "affirm_on_appeal", S.TRANSFERRED, {Role.CLERK}, "登记上级法院维持裁定，案件移送"),
    t(S.APPEALED, "reverse_on_appeal", S.REVERSED, {Role.CLERK}, "登记上级法院撤销裁定，本院继续审理"),
]


def _in_scope(obj: JurisdictionObjection, actor: User) -> bool:
    from .selectors import visible_cases

    if not visible_cases(actor).filter(pk=obj.case_id).exists():
        return False
    # A party acts only on their own objection.
    return actor.role != Role.PARTY or getattr(actor, "party_id", None) == obj.party_id


OBJECTION = register(
    Lifecycle(
        name="jurisdiction_objection",
        title="管辖权异议",
        model=JurisdictionObjection,
        states=S,
        transitions=OBJECTION_TRANSITIONS,
        dispute_of=lambda obj: obj.case.dispute,
        in_scope=_in_scope,
    )
)
