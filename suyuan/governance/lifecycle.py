"""The judicial suggestion's status, from draft to closure.

A suggestion belongs to no single dispute (it addresses a hotspot), so ``dispute_of`` returns
None: each step is written to the audit chain (``workflow.apply``) and stamped on the record.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.workflow import Lifecycle, register, t
from suyuan.network.selectors import court_subtree_ids

from .choices import SuggestionStatus as S
from .models import JudicialSuggestion

LEADER, JUDGE, CLERK = Role.LEADER, Role.JUDGE, Role.CLERK


def in_scope(suggestion: JudicialSuggestion, actor: User) -> bool:
    """The issuing court's leaders and staff (and those of the courts above it), and the owner."""
    if actor.pk == suggestion.owner_id:
        return True
    court = actor.organisation.court() if actor.organisation is not None else None
    return court is not None and suggestion.court_id in court_subtree_ids(court)


def _has_reply(s: JudicialSuggestion, actor: User | None, payload: dict[str, Any]) -> str | None:
    return None if str(payload.get("reply", "")).strip() else "须填写建议对象的回复情况。"


def _has_assessment(s: JudicialSuggestion, actor: User | None, payload: dict[str, Any]) -> str | None:
    return None if str(payload.get("note", "")).strip() else "须填写办结评估（建议是否被采纳、落实情况）。"


SUGGESTION = register(Lifecycle(
    name="suggestion",
    title="司法建议",
    model=JudicialSuggestion,
    states=S,
    transitions=[
        t(S.DRAFT, "issue", S.ISSUED, {LEADER}, "审批并发出司法建议"),
        t(S.ISSUED, "record_reply", S.REPLIED, {LEADER, JUDGE, CLERK}, "登记建议对象的回复",
          _has_reply, "须填写回复情况"),
        t((S.ISSUED, S.REPLIED), "close", S.CLOSED, {LEADER}, "评估落实情况并办结",
          _has_assessment, "须填写办结评估"),
        t(S.DRAFT, "withdraw", S.WITHDRAWN, {LEADER}, "撤回草稿"),
    ],
    dispute_of=lambda suggestion: None,
    in_scope=in_scope,
))
