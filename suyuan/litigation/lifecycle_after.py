"""RetrialApplication.status and JudicialAid.status: their transition tables.

Retrial and petition pre-filing review (申请再审、申诉立案前释明和审查): the court receives the
application, explains the law to the applicant during the pre-review (释明), then accepts it for
review or declines it with reasons. Judicial aid (国家司法救助, 法发〔2016〕16号): application,
review, decision with an amount.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.workflow import Lifecycle, register, t

from .choices import AidStatus as A
from .choices import RetrialStatus as R
from .models import JudicialAid, RetrialApplication

COURT = {Role.CLERK, Role.JUDGE}


def _explanation_given(obj: Any, actor: User | None, payload: dict[str, Any]) -> str | None:
    if not str(payload.get("explanation", "")).strip():
        return "立案前审查须记录向申请人释明的内容。"
    return None


def _reasons_given(obj: Any, actor: User | None, payload: dict[str, Any]) -> str | None:
    if not str(payload.get("reasons", "")).strip():
        return "须写明决定的理由。"
    return None


def _amount_given(obj: Any, actor: User | None, payload: dict[str, Any]) -> str | None:
    return _reasons_given(obj, actor, payload) or (
        None if payload.get("amount") else "决定给予司法救助的，须写明救助金额。")


RETRIAL_TRANSITIONS = [
    t(R.RECEIVED, "start_review", R.IN_REVIEW, COURT, "立案前释明和审查", _explanation_given, "须记录释明内容"),
    t(R.IN_REVIEW, "accept", R.ACCEPTED, COURT, "予以立案审查", _reasons_given, "须写明理由"),
    t(R.IN_REVIEW, "decline", R.DECLINED, COURT, "释明后不予受理", _reasons_given, "须写明理由"),
]


def _retrial_in_scope(app: RetrialApplication, actor: User) -> bool:
    from .after_selectors import visible_retrials

    return visible_retrials(actor).filter(pk=app.pk).exists()


RETRIAL = register(
    Lifecycle(
        name="retrial",
        title="再审申请（立案前审查）",
        model=RetrialApplication,
        states=R,
        transitions=RETRIAL_TRANSITIONS,
        dispute_of=lambda app: app.case.dispute,
        in_scope=_retrial_in_scope,
    )
)

AID_TRANSITIONS = [
    t(A.APPLIED, "start_review", A.IN_REVIEW, COURT, "审查司法救助申请"),
    t(A.IN_REVIEW, "grant", A.GRANTED, {Role.JUDGE}, "决定给予司法救助", _amount_given, "须写明金额和理由"),
    t((A.APPLIED, A.IN_REVIEW), "refuse", A.REFUSED, {Role.JUDGE}, "决定不予救助", _reasons_given, "须写明理由"),
]


def _aid_in_scope(aid: JudicialAid, actor: User) -> bool:
    from .after_selectors import visible_aids

    return visible_aids(actor).filter(pk=aid.pk).exists()


AID = register(
    Lifecycle(
        name="judicial_aid",
        title="国家司法救助申请",
        model=JudicialAid,
        states=A,
        transitions=AID_TRANSITIONS,
        dispute_of=lambda aid: aid.case.dispute,
        in_scope=_aid_in_scope,
    )
)
