"""AssistTask.status: assigned → accepted → reported → closed, or returned by the grid worker.

Scope: a grid worker acts only on tasks of their own grids; court staff only on their court's.
"""

from __future__ import annotations

from suyuan.accounts.choices import COURT_ROLES, Role
from suyuan.accounts.models import User
from suyuan.disputes.workflow import Lifecycle, register, t

from .choices import AssistStatus as S
from .models import AssistTask

WORKER = {Role.GRID_WORKER}
OFFICERS = set(COURT_ROLES)

TRANSITIONS = [
    t(S.ASSIGNED, "accept", S.ACCEPTED, WORKER, "网格员接收协助任务"),
    t((S.ASSIGNED, S.ACCEPTED), "return", S.RETURNED, WORKER, "网格员退回协助任务"),
    t(S.ACCEPTED, "report", S.REPORTED, WORKER, "网格员反馈协助情况"),
    t(S.REPORTED, "send_back", S.ACCEPTED, OFFICERS, "退回补充反馈"),
    t(S.REPORTED, "close", S.CLOSED, OFFICERS, "协助任务办结"),
    t((S.ASSIGNED, S.ACCEPTED, S.RETURNED), "cancel", S.CLOSED, OFFICERS, "撤回协助任务"),
]


def in_scope(task: AssistTask, actor: User) -> bool:
    if actor.role == Role.GRID_WORKER:
        worker = getattr(actor, "grid_worker", None)
        return worker is not None and worker.grids.filter(pk=task.grid_id).exists()
    if actor.role in COURT_ROLES:
        court = actor.organisation.court() if actor.organisation else None
        return court is not None and court.pk == task.court_id
    return False


ASSIST_TASK = register(Lifecycle(
    name="assist_task", title="网格协助任务", model=AssistTask, states=S, transitions=TRANSITIONS,
    dispute_of=lambda task: task.dispute, in_scope=in_scope,
))
