"""The grid worker's phone-first pages: my tasks, one task with accept / return / report back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import DomainError, NotFound

from . import selectors, services
from .choices import AssistStatus
from .lifecycle import ASSIST_TASK
from .models import AssistPhoto


def _worker(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    services.worker_role_check(user)
    return user


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    user = _worker(request)
    tasks = selectors.visible_tasks(user).select_related("grid", "party", "court").order_by("status", "due_on", "pk")
    open_states = [AssistStatus.ASSIGNED, AssistStatus.ACCEPTED]
    return render(request, "assistance/my_tasks.html", {
        "open_tasks": [t for t in tasks if t.status in open_states],
        "done_tasks": [t for t in tasks if t.status not in open_states][:50],
    })


@login_required
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = _worker(request)
    task = selectors.visible_tasks(user).select_related("grid", "party", "court", "dispute").filter(pk=pk).first()
    if task is None:
        raise NotFound()
    allowed = {r.action for r in ASSIST_TASK.available(task, user)}
    return render(request, "assistance/task.html", {
        "task": task, "allowed": allowed, "clock": selectors.clock_of(task), "photos": task.photos.all(),
    })


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _worker(request)
    origin = Origin.from_request(request)
    try:
        if action == "accept":
            services.accept_task(actor=user, origin=origin, task_id=pk)
            messages.success(request, "已接收任务。")
        elif action == "return":
            services.return_task(actor=user, origin=origin, task_id=pk, reason=request.POST.get("reason", ""))
            messages.success(request, "已退回任务。")
        elif action == "report":
            services.report_task(actor=user, origin=origin, task_id=pk, report=request.POST.get("report", ""),
                                 location_note=request.POST.get("location_note", ""),
                                 photos=request.FILES.getlist("photos"))
            messages.success(request, "反馈已提交，法院执行员将在案件中查看。")
        else:
            raise NotFound()
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("assistance:task", pk=pk)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A site photo, to the grid worker of the grid and the court that asked (scope of the task)."""
    user = request.user
    assert isinstance(user, User)
    found = AssistPhoto.objects.filter(pk=pk, task__in=selectors.visible_tasks(user)).first()
    if found is None:
        raise NotFound()
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
