"""Pages of the network: the organisation tree, the mediator roster (with Excel), grid workers."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.common.masking import mask_phone

from . import roster_sheets, services
from .choices import MediatorKind, MediatorStatus, OrganisationKind, RegionLevel
from .models import Organisation, Region
from .selectors import (
    grid_scope_path,
    grid_workers_for,
    manageable_organisations,
    roster_for,
    roster_organisations,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    """The network in one page: every organisation, grouped by kind, ordered by region."""
    county = request.GET.get("county", "")
    county = county if county.isdigit() else ""
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    qs = Organisation.objects.filter(active=True).select_related("region__parent", "parent")
    if county:
        qs = qs.filter(region__path__contains=county)
    if kind in OrganisationKind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q)
    qs = qs.annotate(mediator_count=Count("mediators"))
    order = {value: i for i, value in enumerate(OrganisationKind.values)}
    rows = sorted(qs, key=lambda o: (order[o.kind], o.region.code, o.name))
    labels = dict(DisputeCategory.choices)
    for org in rows:
        org.category_labels = [labels.get(c, c) for c in org.categories]  # type: ignore[attr-defined]
    groups = [
        {"kind": OrganisationKind(k).label, "organisations": list(items)}
        for k, items in groupby(rows, key=lambda o: o.kind)
    ]
    return render(
        request,
        "network/organisations.html",
        {
            "groups": groups,
            "total": len(rows),
            "counties": Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"),
            "kinds": OrganisationKind.choices,
            "filters": {"county": county, "kind": kind, "q": q},
        },
    )


def _roster_filters(request: HttpRequest) -> dict[str, str]:
    def pick(name: str, allowed: list[str] | None = None) -> str:
        value = request.GET.get(name, "").strip()[:50]
        return value if allowed is None or value in allowed else ""

    return {
        "q": pick("q"),
        "kind": pick("kind", MediatorKind.values),
        "status": pick("status", MediatorStatus.values),
        "specialty": pick("specialty", DisputeCategory.values),
    }


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not roster_organisations(actor).exists():
        raise NotPermitted(services.ROSTER_CLOSED)
    filters = _roster_filters(request)
    page = Paginator(roster_for(actor, **filters), 20).get_page(request.GET.get("page"))
    manageable = {org.pk for org in manageable_organisations(actor)}
    for mediator in page.object_list:
        mediator.masked_phone = mask_phone(mediator.phone)  # type: ignore[attr-defined]
        mediator.manageable = any(o.pk in manageable for o in mediator.organisations.all())  # type: ignore[attr-defined]
    return render(
        request,
        "network/roster.html",
        {
            "page": page,
            "filters": filters,
            "kinds": MediatorKind.choices,
            "statuses": MediatorStatus.choices,
            "specialties": DisputeCategory.choices,
            "can_import": bool(manageable),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def roster_export(request: HttpRequest) -> HttpResponse:
    content = roster_sheets.export_roster(
        actor=_actor(request), origin=Origin.from_request(request), **_roster_filters(request)
    )
    return _xlsx(content, "调解员名册.xlsx")


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    if not manageable_organisations(_actor(request)):
        raise NotPermitted("只有名册管理人员可以导入调解员名册。")
    return _xlsx(roster_sheets.roster_template(), "调解员名册导入模板.xlsx")


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    choices = manageable_organisations(actor)
    if not choices:
        raise NotPermitted("只有调解组织管理员和法院立案人员可以导入本单位的调解员名册。")
    context: dict[str, object] = {
        "organisations": choices,
        "columns": services.ROSTER_COLUMNS,
        "required": services.REQUIRED_COLUMNS,
        "kinds": [k.label for k in MediatorKind],
        "statuses": [s.label for s in MediatorStatus],
        "categories": [c.label for c in DisputeCategory],
        "selected": request.POST.get("organisation", str(choices[0].pk)),
    }
    if request.method == "POST":
        organisation = next((o for o in choices if str(o.pk) == request.POST.get("organisation")), None)
        upload = request.FILES.get("file")
        if organisation is None:
            context["error"] = "请选择要导入的名册所属组织。"
        elif upload is None:
            context["error"] = "请选择要上传的 .xlsx 文件。"
        else:
            try:
                context["result"] = roster_sheets.import_roster(
                    actor=actor, origin=Origin.from_request(request), organisation=organisation, fileobj=upload
                )
            except InvalidInput as exc:
                context["error"] = exc.message
                context["field_errors"] = [m for ms in exc.errors.values() for m in ms]
    return render(request, "network/roster_import.html", context)


@login_required
@require_POST
def mediator_status(request: HttpRequest, mediator_id: int) -> HttpResponse:
    mediator = services.change_mediator_status(
        actor=_actor(request), origin=Origin.from_request(request), mediator_id=mediator_id,
        status=request.POST.get("status", ""),
    )
    messages.success(request, f"已将{mediator.name}的状态改为“{mediator.get_status_display()}”。")
    # Back to the same filtered page; only the query string is taken from the form.
    back = QueryDict(request.POST.get("next", "")).urlencode()
    return redirect(reverse("network:roster") + (f"?{back}" if back else ""))


@login_required
def grid_workers(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    path = grid_scope_path(actor)
    if path is None:
        raise NotPermitted("网格员名单仅向综治中心工作人员、领导和法院立案人员开放。")
    q = request.GET.get("q", "").strip()[:50]
    township = request.GET.get("township", "").strip()[:20]
    page = Paginator(grid_workers_for(actor, q=q, township=township), 30).get_page(request.GET.get("page"))
    for worker in page.object_list:
        worker.masked_phone = mask_phone(worker.phone or worker.user.phone)  # type: ignore[attr-defined]
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP, path__startswith=path).order_by("code")
    return render(
        request,
        "network/grid_workers.html",
        {"page": page, "townships": townships, "filters": {"q": q, "township": township}},
    )
