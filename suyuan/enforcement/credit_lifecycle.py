"""Status fields of the credit measures: the grace period, the measure, the debtor's review request.

The legal grounds are checked in ``credit`` before a row exists (a measure is created in force);
these tables govern what may happen to it afterwards. The end of a grace period by lapse is the
worker's (SYSTEM): it only records the lapse and prompts the officer — it never lists anyone.
"""

from __future__ import annotations

from suyuan.accounts.choices import Role
from suyuan.disputes.workflow import SYSTEM, Lifecycle, register, t

from .credit_choices import CreditMeasureStatus as M
from .credit_choices import GraceStatus as G
from .credit_choices import ReviewStatus as R
from .lifecycle import _case_in_scope
from .models import CreditGrace, CreditMeasure, CreditReview

OFFICER = {Role.ENFORCEMENT}

GRACE_TRANSITIONS = [
    t(G.RUNNING, "perform", G.PERFORMED, OFFICER, "宽限期内履行完毕（不予纳入）"),
    t(G.RUNNING, "lapse", G.LAPSED, {SYSTEM}, "宽限期届满未履行（提示执行员决定）"),
    t(G.RUNNING, "withdraw", G.WITHDRAWN, OFFICER, "撤销宽限期"),
]

MEASURE_TRANSITIONS = [
    t(M.IN_FORCE, "lift", M.LIFTED, OFFICER, "解除限制消费/删除失信信息"),
    t(M.IN_FORCE, "correct", M.CORRECTED, OFFICER, "纠正错误（撤销措施）"),
    t(M.IN_FORCE, "expire", M.EXPIRED, {SYSTEM}, "纳入期限届满，删除失信信息"),
]

REVIEW_TRANSITIONS = [
    t(R.SUBMITTED, "uphold", R.UPHELD, OFFICER, "纠正申请理由成立"),
    t(R.SUBMITTED, "reject", R.REJECTED, OFFICER, "驳回纠正申请"),
]

CREDIT_GRACE = register(Lifecycle(
    name="credit_grace", title="失信惩戒宽限期", model=CreditGrace, states=G, transitions=GRACE_TRANSITIONS,
    dispute_of=lambda g: g.dispute, in_scope=lambda g, actor: _case_in_scope(g.case, actor),
))
CREDIT_MEASURE = register(Lifecycle(
    name="credit_measure", title="信用惩戒措施", model=CreditMeasure, states=M, transitions=MEASURE_TRANSITIONS,
    dispute_of=lambda m: m.dispute, in_scope=lambda m, actor: _case_in_scope(m.case, actor),
))
CREDIT_REVIEW = register(Lifecycle(
    name="credit_review", title="失信纠正申请", model=CreditReview, states=R, transitions=REVIEW_TRANSITIONS,
    dispute_of=lambda r: r.dispute, in_scope=lambda r, actor: _case_in_scope(r.measure.case, actor),
))
