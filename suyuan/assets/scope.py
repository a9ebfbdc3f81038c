"""Who may act on a holder's assets: court staff of the dispute's court, by kind of holder.

Preservation (保全) is ordered by the filing division and the trial bench (clerk, judge);
enforcement measures by the enforcement officers. Both only in their own court.
"""

from __future__ import annotations

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.disputes.models import Dispute

HOLDER_ROLES: dict[str, frozenset[str]] = {
    "preservation": frozenset({Role.CLERK, Role.JUDGE}),
    "enforcement": frozenset({Role.ENFORCEMENT}),
}
ACTING_ROLES = frozenset(r for roles in HOLDER_ROLES.values() for r in roles)


def holder_kind(holder: str) -> str:
    kind, _, pk = holder.partition(":")
    if kind not in HOLDER_ROLES or not pk.isdigit():
        raise InvalidInput(f"所属程序“{holder}”无效（应为 preservation:<编号> 或 enforcement:<编号>）。")
    return kind


def court_id_of(actor: User | None) -> int | None:
    if actor is None or actor.organisation is None:
        return None
    court = actor.organisation.court()
    return court.pk if court is not None else None


def is_court_staff_of(actor: User | None, dispute: Dispute) -> bool:
    """Court staff of the dispute's court (any of clerk, judge, enforcement officer)."""
    if actor is None or actor.role not in ACTING_ROLES:
        return False
    court = court_id_of(actor)
    return court is not None and court == dispute.court_id


def may_act(actor: User | None, holder: str, dispute: Dispute) -> bool:
    if actor is None:  # the worker's sweep
        return True
    return actor.role in HOLDER_ROLES[holder_kind(holder)] and is_court_staff_of(actor, dispute)


def check_may_act(actor: User | None, holder: str, dispute: Dispute) -> None:
    if not may_act(actor, holder, dispute):
        kind = holder_kind(holder)
        who = "立案/诉讼服务人员或法官" if kind == "preservation" else "执行员"
        raise NotPermitted(f"只有本案法院的{who}可以办理{'保全' if kind == 'preservation' else '执行'}财产查控。")
