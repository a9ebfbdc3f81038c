"""The workbench queue: filters, search, sort, saved views, bulk actions, Excel export.

Thin: parse the query into ``queues.QueueFilters``, call the queue selectors or the bulk runner,
render. Every read goes through ``visible_disputes`` (inside ``queues.queue_page_disputes``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from io import BytesIO
from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import CASE_ROLES, AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.paging import CappedPaginator, count_cap

from .. import bulk, selectors
from .. import queue as queues
from ..assignment import assign_dispute
from ..choices import Channel
from ..exporting import disputes_workbook
from ..models import Dispute, SavedQueueView
from .queue_rows import Column, for_rows, queue_row_html

PAGE_SIZE = 50
STAFF_ROLES = CASE_ROLES - {Role.PARTY}


class QueueFilterForm(forms.Form):
    queue = forms.ChoiceField(label="队列", required=False, choices=list(queues.QUEUE_NAMES.items()))
    q = forms.CharField(label="搜索当事人或编号", required=False, max_length=60)
    stage = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部"), *queues.STAGE_CHOICES])
    cause = forms.ChoiceField(label="案由", required=False, choices=())
    track = forms.ChoiceField(label="程序", required=False, choices=())
    township = forms.ChoiceField(label="乡镇（街道）", required=False, choices=())
    channel = forms.ChoiceField(label="来源", required=False, choices=[("", "全部"), *Channel.choices])
    due_within = forms.IntegerField(label="几天内到期", required=False, min_value=0, max_value=365,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 3}))
    overdue = forms.BooleanField(label="已超期", required=False)
    sort = forms.ChoiceField(label="排序", required=False,
                             choices=[(k, label) for k, (label, _) in queues.QUEUE_SORTS.items()])

    def __init__(self, data: QueryDict | dict[str, Any] | None, *, user: User) -> None:
        super().__init__(data)
        fields: dict[str, Any] = self.fields
        fields["cause"].choices = [("", "全部")] + [(c, c) for c in queues.queue_causes(user)]
        fields["track"].choices = [("", "全部"), *queues.queue_tracks()]
        fields["township"].choices = [("", "全部"), *queues.queue_townships(user)]
        # What the unbound form's HTML depends on (its cached fragment's key): the per-actor choices.
        self.choices_key = hashlib.sha256(
            repr([fields[n].choices for n in ("cause", "track", "township")]).encode()).hexdigest()[:16]

    def filters(self, default_queue: str) -> queues.QueueFilters:
        if not self.is_valid():
            return queues.QueueFilters(queue=default_queue)
        d = self.cleaned_data
        return queues.QueueFilters(
            queue=d["queue"] or default_queue, q=d["q"].strip(), stage=d["stage"], cause=d["cause"],
            track=d["track"], township=d["township"], channel=d["channel"], due_within=d["due_within"],
            overdue=bool(d["overdue"]), sort=d["sort"] or queues.DEFAULT_SORT,
        )


def _query(f: queues.QueueFilters) -> str:
    """The canonical query string of a filter set (what a saved view stores, what links carry)."""
    return urlencode({k: ("on" if k == "overdue" else v) for k, v in f.used().items()})


def _default_queue(user: User) -> str:
    return "mine" if user.role in {Role.PARTY, Role.GRID_WORKER, Role.MEDIATOR} else "new"


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if user.role not in STAFF_ROLES:
        raise NotPermitted("该功能供工作人员使用。")
    return user


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.role in settings.SUYUAN_ROLE_HOMES:  # a party's (a deputy's) home is a higher app's page
        return redirect(settings.SUYUAN_ROLE_HOMES[user.role])
    if user.role not in CASE_ROLES:
        return render(request, "disputes/workbench_admin.html")
    today = timezone.localdate()
    soon = settings.SUYUAN_REMINDER_DAYS + 1
    counts = selectors.workbench_counts(user, today=today, soon_days=soon)
    staff = user.role in STAFF_ROLES
    form = QueueFilterForm(request.GET or None, user=user) if staff else None
    filters = form.filters(_default_queue(user)) if form is not None else queues.QueueFilters(
        queue=request.GET.get("queue", "") if request.GET.get("queue") in selectors.QUEUES else _default_queue(user))
    filtered = bool(set(filters.used()) - {"queue"})
    page = CappedPaginator(for_rows(queues.queue_page_disputes(user, filters, today=today, soon_days=soon)), PAGE_SIZE,
                           counted=None if filtered else _tab_count(counts.get(filters.queue)),
                           ).get_page(request.GET.get("page"))
    disputes = list(page)
    columns = _queue_columns(request, disputes)
    # Each row's fixed cells as one string built in Python (issue 16, P5: 50 rows x 9 cells through
    # the template were half the page's time); the stage apps' columns follow in the template.
    link = _detail_link()
    labels = dict(Dispute._meta.get_field("status").flatchoices)  # what get_status_display reads
    actions = bulk.actions_for(user) if staff else []
    rows = [queue_row_html(d, link=link, labels=labels, today=today, selectable=bool(actions), columns=columns)
            for d in disputes]
    outcome = request.session.pop("bulk_outcome", None)
    query = _query(filters)
    tab_base = urlencode({k: v for k, v in QueryDict(query).items() if k != "queue"})
    return render(request, "disputes/workbench.html", {
        "counts": counts, "queues": queues.QUEUE_NAMES, "current": filters.queue, "page": page, "today": today,
        "tabs": [(key, label, counts.get(key, "")) for key, label in queues.QUEUE_NAMES.items()
                 if key != queues.ALL_QUEUE],
        "columns": columns, "rows": rows, "form": form, "filters": filters, "query": query,
        "tab_base": tab_base, "staff": staff, "outcome": outcome,
        "filtered": filtered, "facet_seconds": settings.SUYUAN_QUEUE_FACET_CACHE_SECONDS,
        "saved_views": list(SavedQueueView.objects.filter(user=user)) if staff else [],
        "actions": actions,
    })


def _detail_link() -> Callable[[str], str]:
    """``reverse("disputes:detail", args=[number])`` without a URL resolution per row: the pattern is
    ``<str:number>/``, so the link is one prefix and the quoted number (checked against reverse)."""
    probe = "0"
    prefix = reverse("disputes:detail", args=[probe]).removesuffix(f"{probe}/")
    return lambda number: f"{prefix}{quote(number, safe=RFC3986_SUBDELIMS + '~:@')}/"


def _tab_count(shown: int | str | None) -> int | None:
    """The queue tab's count as rows counted up to the cap + 1 ("1000+" is 1001), for the paginator:
    an unfiltered queue is the tab's rows, so they are not counted twice."""
    if shown is None:
        return None
    return shown if isinstance(shown, int) else count_cap() + 1


def _queue_columns(request: HttpRequest, disputes: list[Dispute]) -> list[Column]:
    """Columns the stage apps add to the workbench queue (``SUYUAN_QUEUE_COLUMNS``: builder, heading,
    cell template or None), imported by name like the dispute page's panels. A builder returns the
    cells by dispute id (each rendered with its template, or HTML when the column has none: see
    ``queue_rows.column_cells``), or None when the column is not for this user."""
    columns: list[Column] = []
    for path, heading, template in settings.SUYUAN_QUEUE_COLUMNS:
        if not django_apps.is_installed(".".join(path.split(".")[:2])):
            continue
        cells = import_string(path)(request, disputes)
        if cells is not None:
            columns.append((heading, template, cells))
    return columns


@login_required
def queue_export(request: HttpRequest) -> HttpResponse:
    """The queue as shown (same filters, same order) as Excel; personal data masked, audited."""
    user = _staff(request)
    filters = QueueFilterForm(request.GET or None, user=user).filters(_default_queue(user))
    today = timezone.localdate()
    qs = queues.queue_page_disputes(user, filters, today=today, soon_days=settings.SUYUAN_REMINDER_DAYS + 1)
    buffer = BytesIO()
    count = disputes_workbook(qs[:10000], buffer)
    record_audit(actor=user, action=AuditAction.EXPORT, origin=Origin.from_request(request),
                 target_type="dispute_queue", detail={"rows": count, "filters": filters.used()})
    buffer.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = queues.QUEUE_NAMES.get(filters.queue, "队列")
    return FileResponse(buffer, as_attachment=True, filename=f"工作台-{name}-{stamp}.xlsx")  # type: ignore[return-value]


def _back(request: HttpRequest) -> str:
    """Back to the queue with the filters the clerk had (only our own query string, re-validated)."""
    user = request.user
    assert isinstance(user, User)
    back = QueryDict(request.POST.get("back", ""))
    filters = QueueFilterForm(back or None, user=user).filters(_default_queue(user))
    return reverse("disputes:workbench") + "?" + _query(filters)


@login_required
@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Step 1 (no ``confirm``): show what will be done to which disputes; step 2: do it, summarise."""
    user = _staff(request)
    key = request.POST.get("action", "")
    action = bulk.REGISTRY.get(key)
    try:
        if action is None or user.role not in action.roles:
            raise InvalidInput("请选择一项批量操作。")
        items = bulk.parse_items(request.POST.getlist("item"))
        if request.POST.get("confirm") == "1":
            outcome = bulk.run_bulk_action(actor=user, origin=Origin.from_request(request), key=key, items=items,
                                           option=request.POST.get("option", ""))
            level = messages.WARNING if outcome.skipped else messages.SUCCESS
            messages.add_message(request, level, f"{action.label}：{outcome.summary()}")
            # Shown once on the queue: the count done and each item not done with its reason.
            request.session["bulk_outcome"] = {"label": action.label, "done": len(outcome.done),
                                               "skipped": outcome.skipped}
            return redirect(_back(request))
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect(_back(request))
    by_id = {d.pk: d for d in selectors.visible_disputes(user).filter(pk__in=[i.dispute_id for i in items])
             .select_related("region")}
    chosen = [(item, by_id.get(item.dispute_id)) for item in items]
    return render(request, "disputes/workbench_bulk.html", {
        "action": action, "chosen": chosen, "options": action.options(user) if action.options else [],
        "back": request.POST.get("back", ""), "back_url": _back(request),
    })


@login_required
@require_POST
def saved_view_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    name = request.POST.get("name", "").strip()
    target = _back(request)
    if not name or len(name) > 40:
        messages.error(request, "请填写视图名称（不超过 40 字）。")
        return redirect(target)
    query = target.split("?", 1)[1]
    try:
        with transaction.atomic():
            SavedQueueView.objects.create(user=user, name=name, query=query)
    except IntegrityError:
        messages.error(request, f"已有名为“{name}”的视图，请换一个名称。")
    else:
        messages.success(request, f"已保存视图“{name}”。")
    return redirect(target)


@login_required
@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    view = SavedQueueView.objects.filter(user=user, pk=pk).first()
    if view is None:
        raise NotFound()
    view.delete()
    messages.success(request, f"已删除视图“{view.name}”。")
    return redirect("disputes:workbench")


@login_required
@require_POST
def dispute_assign(request: HttpRequest, number: str) -> HttpResponse:
    """The single assignment from the dispute page: the same service as the queue's bulk action."""
    user = _staff(request)
    dispute = selectors.get_visible_dispute(user, number)
    try:
        assignee_id, version = int(request.POST.get("assignee", "")), int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, "请选择本院的立案或审判人员。")
        return redirect("disputes:detail", number=number)
    try:
        updated = assign_dispute(actor=user, origin=Origin.from_request(request), dispute_id=dispute.pk,
                                 assignee_id=assignee_id, expected_version=version)
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已分配承办人：{updated.assignee.display_name if updated.assignee else ''}。")
    return redirect("disputes:detail", number=number)
