"""Status fields of the assets app: the asset search and the control measure."""

from __future__ import annotations

from suyuan.accounts.choices import Role
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t

from .choices import MeasureStatus as M
from .choices import SearchStatus as S
from .models import AssetSearch, Measure
from .scope import ACTING_ROLES, is_court_staff_of

SEARCH_TRANSITIONS = [
    t((S.QUEUED, S.PARTIAL), "start", S.RUNNING, {SYSTEM}, "开始查询"),
    t(S.RUNNING, "complete", S.COMPLETED, {SYSTEM}, "查询完成"),
    t(S.RUNNING, "partial", S.PARTIAL, {SYSTEM}, "部分机构未反馈，稍后重查"),
    t(S.RUNNING, "retry", S.QUEUED, {SYSTEM}, "查控网络超时，稍后重查"),
    t((S.QUEUED, S.RUNNING, S.PARTIAL), "fail", S.FAILED, {SYSTEM}, "多次查询未获反馈，查询失败"),
    t(S.FAILED, "resubmit", S.QUEUED, ACTING_ROLES, "重新提交查询"),
]

MEASURE_TRANSITIONS = [
    t(M.ACTIVE, "renew", M.ACTIVE, ACTING_ROLES, "续行"),
    t(M.ACTIVE, "release", M.RELEASED, ACTING_ROLES, "解除"),
    t(M.ACTIVE, "deduct_part", M.ACTIVE, {Role.ENFORCEMENT}, "部分扣划"),
    t(M.ACTIVE, "deduct", M.DEDUCTED, {Role.ENFORCEMENT}, "扣划"),
    t(M.ACTIVE, "transfer", M.TRANSFERRED, ACTING_ROLES, "保全转为执行措施"),
    t(M.ACTIVE, "substitute", M.RELEASED, ACTING_ROLES, "变更控制财产（解除原财产）"),
    t(M.ACTIVE, "expire", M.EXPIRED, {SYSTEM}, "期限届满"),
]

ASSET_SEARCH = register(Lifecycle(
    name="asset_search", title="财产查询", model=AssetSearch, states=S, transitions=SEARCH_TRANSITIONS,
    dispute_of=lambda s: s.dispute, in_scope=lambda s, actor: is_court_staff_of(actor, s.dispute),
))
ASSET_MEASURE = register(Lifecycle(
    name="asset_measure", title="财产控制措施", model=Measure, states=M, transitions=MEASURE_TRANSITIONS,
    # Any staff of the court may reach the row (保全转执行 is done by the enforcement officer on a
    # preservation measure); the services check the holder's roles (scope.check_may_act).
    dispute_of=lambda m: m.dispute, in_scope=lambda m, actor: is_court_staff_of(actor, m.dispute),
))
