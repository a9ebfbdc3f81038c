"""Case.status and ConfirmationApplication.status: their transition tables.

Every step goes through ``suyuan.disputes.workflow.apply``; the services in ``services.py`` add
the fields that belong to each step and move the dispute's stage in the same transaction.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t

from . import consent
from .choices import CaseStatus as C
from .choices import ConfirmationStatus as F
from .models import Case, ConfirmationApplication

FILERS = {Role.PARTY, Role.CLERK, Role.GRID_WORKER, Role.CENTRE_STAFF}
COURT = {Role.CLERK, Role.JUDGE}
OPEN = (C.FILED, C.AWAITING_MATERIALS, C.REGISTERED, C.IN_COURT_MEDIATION, C.IN_TRIAL)


def _reason_required(case: Case, actor: User | None, payload: dict[str, Any]) -> str | None:
    if not str(payload.get("reason", "")).strip():
        return "不予受理须以裁定说明理由，请填写不予受理的理由。"
    return None


def _procedure_set(case: Case, actor: User | None, payload: dict[str, Any]) -> str | None:
    if not (case.procedure or payload.get("procedure")):
        return "尚未确定审理程序，请先确定小额诉讼、简易或普通程序。"
    return None


def _consent_and_procedure(case: Case, actor: User | None, payload: dict[str, Any]) -> str | None:
    # The court-mediation period depends on the procedure (15 days ordinary, 7 days simple).
    return _procedure_set(case, actor, payload) or consent.consent_problem(case.dispute)


CASE_TRANSITIONS = [
    t(C.FILED, "request_materials", C.AWAITING_MATERIALS, COURT, "一次性告知补正材料"),
    t(C.AWAITING_MATERIALS, "complete_materials", C.FILED, FILERS, "补齐起诉材料"),
    t(C.FILED, "register", C.REGISTERED, COURT, "登记立案", _procedure_set, "须已确定审理程序"),
    t((C.FILED, C.AWAITING_MATERIALS), "refuse", C.REFUSED, COURT, "裁定不予受理",
      _reason_required, "须写明理由"),
    t(C.REGISTERED, "refer_to_mediation", C.IN_COURT_MEDIATION, COURT, "委托调解",
      _consent_and_procedure, "须经全体当事人同意（同意记录见调解模块）"),
    t(C.REGISTERED, "start_trial", C.IN_TRIAL, COURT, "进入审理", _procedure_set, "须已确定审理程序"),
    t((C.IN_COURT_MEDIATION, C.IN_TRIAL), "settle", C.CLOSED_BY_SETTLEMENT, COURT | {Role.MEDIATOR},
      "调解成功，以其他方式结案"),
    t(C.IN_COURT_MEDIATION, "return_to_trial", C.IN_TRIAL, COURT | {Role.MEDIATOR, SYSTEM}, "调解不成，转入审理"),
    t(C.IN_TRIAL, "judge", C.JUDGED, {Role.JUDGE}, "作出判决"),
    # 上诉 within the party's period (checked by ``appeals.file_appeal``); a clerk records one filed
    # at the window. The file then goes up to the court above (民事诉讼法 第一百七十三条).
    t(C.JUDGED, "appeal", C.APPEALED, {Role.PARTY, Role.CLERK}, "提起上诉"),
    # The second-instance case (民终) is registered by the electronic transfer of the file
    # (上下级法院立案信息流转), taken by ``appeals.file_appeal`` only, never from a page.
    t(C.FILED, "receive_appeal", C.REGISTERED, {SYSTEM}, "二审立案（上诉卷宗电子移送）"),
    t(OPEN, "withdraw", C.WITHDRAWN, {Role.PARTY, Role.CLERK}, "撤回起诉"),
    # 移送管辖 (民事诉讼法 第一百三十条第一款), once the upheld objection's ruling is effective (transfers.py).
    t((C.REGISTERED, C.IN_COURT_MEDIATION, C.IN_TRIAL), "transfer_out", C.TRANSFERRED, {SYSTEM}, "移送有管辖权的法院"),
    t(C.FILED, "receive_transfer", C.REGISTERED, {SYSTEM}, "受移送立案"),
    # The second instance decides (second_instance.py): affirm or amend by "judge" (a 民终 case's
    # judgment is final); set aside and remand by ruling, and the court below registers the retrial.
    t(C.IN_TRIAL, "remand", C.REMANDED, {Role.JUDGE}, "裁定撤销原判决，发回重审"),
    t(C.FILED, "receive_remand", C.REGISTERED, {SYSTEM}, "发回重审立案"),
]


def _case_in_scope(case: Case, actor: User) -> bool:
    from .selectors import visible_cases

    if actor.role in COURT:
        # A court's staff read the other courts' cases of their disputes (the appeal above, a transfer)
        # but take steps only on their own court's cases.
        court = actor.organisation.court() if actor.organisation else None
        if court is None or case.court_id != court.pk:
            return False
    return visible_cases(actor).filter(pk=case.pk).exists()


CASE = register(
    Lifecycle(
        name="case",
        title="案件",
        model=Case,
        states=C,
        transitions=CASE_TRANSITIONS,
        dispute_of=lambda case: case.dispute,
        in_scope=_case_in_scope,
    )
)


def _reasons_required(app: ConfirmationApplication, actor: User | None, payload: dict[str, Any]) -> str | None:
    if not str(payload.get("reasons", "")).strip():
        return "驳回司法确认申请须写明理由。"
    return None


CONFIRMATION_TRANSITIONS = [
    t(F.APPLIED, "accept", F.ACCEPTED, COURT, "受理司法确认申请"),
    t(F.APPLIED, "refuse", F.REJECTED, {Role.JUDGE}, "裁定不予受理司法确认申请", _reasons_required, "须写明理由"),
    t(F.ACCEPTED, "confirm", F.CONFIRMED, {Role.JUDGE}, "裁定确认调解协议有效"),
    t(F.ACCEPTED, "reject", F.REJECTED, {Role.JUDGE}, "裁定驳回司法确认申请", _reasons_required, "须写明理由"),
]


def _confirmation_in_scope(app: ConfirmationApplication, actor: User) -> bool:
    from .selectors import visible_confirmations

    return visible_confirmations(actor).filter(pk=app.pk).exists()


CONFIRMATION = register(
    Lifecycle(
        name="confirmation",
        title="司法确认申请",
        model=ConfirmationApplication,
        states=F,
        transitions=CONFIRMATION_TRANSITIONS,
        dispute_of=lambda app: app.dispute,
        in_scope=_confirmation_in_scope,
    )
)
