"""Reads of the assistance tasks: a grid worker sees only their grids' tasks, court staff their court's."""

from __future__ import annotations

from django.db.models import QuerySet

from suyuan.accounts.choices import COURT_ROLES, Role
from suyuan.accounts.models import User
from suyuan.disputes.models import Clock

from .models import AssistTask
from .services import RULE


def visible_tasks(user: User) -> QuerySet[AssistTask]:
    if not user.is_active:
        return AssistTask.objects.none()
    if user.role == Role.GRID_WORKER:
        worker = getattr(user, "grid_worker", None)
        if worker is None:
            return AssistTask.objects.none()
        return AssistTask.objects.filter(grid__in=worker.grids.all())
    if user.role in COURT_ROLES:
        court = user.organisation.court() if user.organisation else None
        return AssistTask.objects.filter(court=court) if court is not None else AssistTask.objects.none()
    return AssistTask.objects.none()


def tasks_of(user: User, holder: str) -> QuerySet[AssistTask]:
    return visible_tasks(user).filter(holder=holder).select_related("grid", "grid_worker__user", "party") \
        .prefetch_related("photos").order_by("-assigned_at", "-pk")


def clock_of(task: AssistTask) -> Clock | None:
    return Clock.objects.filter(dispute_id=task.dispute_id, rule=RULE, object_ref=f"assist:{task.pk}") \
        .order_by("-pk").first()
