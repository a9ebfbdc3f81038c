"""Dispute.status: the dispute's stage as a whole, from first record to closure.

The stage apps (mediation, litigation, enforcement) move it as part of their own steps, in the
same transaction, through ``workflow.apply(DISPUTE, …)``; their own objects (referral, case,
performance plan) have their own lifecycles with the details.
"""

from __future__ import annotations

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User

from .choices import DisputeStatus as S
from .models import Dispute
from .selectors import visible_disputes
from .workflow import SYSTEM, Lifecycle, register, t

REFERRERS = {Role.CLERK, Role.CENTRE_STAFF, Role.ORG_ADMIN, Role.GRID_WORKER, Role.MEDIATOR}
MEDIATORS = {Role.MEDIATOR, Role.ORG_ADMIN}
COURT = {Role.CLERK, Role.JUDGE}
FILERS = {Role.PARTY, Role.CLERK, Role.GRID_WORKER, Role.CENTRE_STAFF}

TRANSITIONS = [
    t(S.RECORDED, "refer_to_mediation", S.IN_MEDIATION, REFERRERS, "委派调解组织调解"),
    t(S.MEDIATION_FAILED, "refer_again", S.IN_MEDIATION, REFERRERS, "重新委派调解"),
    t(S.IN_MEDIATION, "settle", S.SETTLED, MEDIATORS | {SYSTEM}, "调解成功"),
    t(S.IN_MEDIATION, "fail_mediation", S.MEDIATION_FAILED, MEDIATORS | {SYSTEM}, "调解不成"),
    t((S.RECORDED, S.IN_MEDIATION, S.MEDIATION_FAILED), "withdraw", S.WITHDRAWN,
      {Role.PARTY, Role.MEDIATOR, Role.CLERK, Role.CENTRE_STAFF}, "撤回纠纷"),
    t(S.SETTLED, "apply_confirmation", S.IN_CONFIRMATION, {Role.PARTY, Role.MEDIATOR, Role.CLERK}, "申请司法确认"),
    t(S.SETTLED, "perform_voluntarily", S.PERFORMING, {Role.PARTY, Role.MEDIATOR, Role.CLERK}, "不申请确认，直接履行"),
    t(S.IN_CONFIRMATION, "confirm", S.PERFORMING, {Role.JUDGE}, "裁定确认调解协议有效"),
    t(S.IN_CONFIRMATION, "reject_confirmation", S.MEDIATION_FAILED, {Role.JUDGE}, "裁定驳回司法确认申请"),
    t((S.RECORDED, S.MEDIATION_FAILED), "file_suit", S.IN_LITIGATION, FILERS, "向法院起诉"),
    t(S.IN_LITIGATION, "settle_in_court", S.PERFORMING, COURT | MEDIATORS, "委托调解成功，以其他方式结案"),
    t(S.IN_LITIGATION, "judge", S.PERFORMING, {Role.JUDGE}, "作出判决并送达履行告知书"),
    # The second instance affirms or amends: its judgment is final and is performed (litigation/
    # second_instance.py; the upper court does not see the dispute itself, so the step is the system's).
    t(S.IN_LITIGATION, "decide_appeal", S.PERFORMING, {SYSTEM}, "第二审判决（终审），进入履行"),
    t(S.IN_LITIGATION, "close_case", S.CLOSED, COURT | {Role.PARTY}, "不予受理、撤诉或驳回起诉，案件终结"),
    # An appeal keeps the judgment from taking effect: the dispute is in litigation again until the
    # second instance decides (litigation/appeals.py applies it with the case's first appeal).
    # (SYSTEM: an appeal filed before this edge existed, moved when the second instance decides.)
    t(S.PERFORMING, "appeal", S.IN_LITIGATION, {Role.PARTY, Role.CLERK, SYSTEM}, "当事人上诉，进入第二审"),
    t(S.PERFORMING, "confirm_performance", S.PERFORMED, {Role.PARTY, Role.CLERK, Role.MEDIATOR}, "确认履行完毕"),
    t(S.PERFORMING, "apply_enforcement", S.IN_ENFORCEMENT, {Role.PARTY, Role.CLERK}, "申请强制执行"),
    t(S.IN_ENFORCEMENT, "conclude_enforcement", S.CLOSED, {Role.ENFORCEMENT}, "执行完毕或终结"),
]


def _in_scope(dispute: Dispute, actor: User) -> bool:
    return visible_disputes(actor).filter(pk=dispute.pk).exists()


DISPUTE = register(
    Lifecycle(
        name="dispute",
        title="纠纷",
        model=Dispute,
        states=S,
        transitions=TRANSITIONS,
        dispute_of=lambda dispute: dispute,
        in_scope=_in_scope,
    )
)
