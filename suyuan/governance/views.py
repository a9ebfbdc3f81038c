"""Governance pages: the leaders' dashboard, the joint-conference report and judicial suggestions."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.http import request_user
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import InvalidInput, NotFound
from suyuan.common.replica import reads_on_replica
from suyuan.disputes.choices import Channel

from . import enforcement_figures, exporting, figures, panels, public, selectors, services
from .indicators import INDICATORS
from .lifecycle import SUGGESTION

ACTION_TEXT = {"record_reply": "回复情况", "close": "办结评估"}


_user = request_user


def _dashboard(request: HttpRequest) -> tuple[selectors.Dashboard | None, dict[str, Any]]:
    """Parse the filters and compute; bad filters show the form with messages, never a 500.

    Callers run it inside ``reads_on_replica()``: every figure is a read, so the leaders' pages
    read the replica when one is configured (decision 0013); the page is rendered after the block.
    """
    user = _user(request)
    scope = selectors.leader_scope(user)
    ctx: dict[str, Any] = {
        "scope": scope, "categories": DisputeCategory.choices, "channels": Channel.choices,
        "indicators": INDICATORS, "errors": {},
        "params": {k: request.GET.get(k, "") for k in ("start", "end", "county", "category", "channel")},
    }
    try:
        filters = selectors.parse_filters(request.GET, today=timezone.localdate(),
                                          counties=[c.code for c in scope.counties])
    except InvalidInput as exc:
        ctx["errors"] = exc.errors
        return None, ctx
    d = selectors.dashboard(user, filters)
    enforcement = enforcement_figures.figures(enforcement_figures.cases_in(scope, filters))
    headline = exporting.headline(d)
    found = panels.drill(scope, filters)
    tiles = panels.tile_map(scope, filters, found)
    ctx.update({"d": d, "enforcement": enforcement, "headline": [(n, f, INDICATORS[k]) for n, f, k in headline],
                "cards": panels.cards(d, headline, enforcement), "tiles": tiles,
                "sections": figures.figure_sections(user, filters), "query": filters.query(),
                "filter_label": exporting.filter_label(d), "chart": panels.chart_data(d, tiles, found),
                "query_string": urlencode({k: v for k, v in filters.query().items() if v}),
                "city_query": urlencode({k: v for k, v in filters.query().items() if v and k != "county"}),
                **panels.summaries(d)})
    return d, ctx


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    with reads_on_replica():
        d, ctx = _dashboard(request)
    return render(request, "governance/dashboard.html", ctx, status=200 if d is not None else 400)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    with reads_on_replica():
        d, ctx = _dashboard(request)
        if d is not None:
            ctx["suggestions"] = selectors.report_suggestions(_user(request), d.filters)
    if d is None:
        return render(request, "governance/dashboard.html", ctx, status=400)
    return render(request, "governance/report.html", ctx)


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = _user(request)
    with reads_on_replica():
        d, ctx = _dashboard(request)
        suggestions = selectors.report_suggestions(user, d.filters) if d is not None else []
    if d is None:
        return render(request, "governance/dashboard.html", ctx, status=400)
    # The audit row is a write (and its chain head a read that decides it): on the primary.
    record_audit(actor=user, action=AuditAction.EXPORT, origin=Origin.from_request(request),
                 target_type="governance_report", detail={"format": fmt, **d.filters.query()})
    name = f"joint-conference-{d.filters.start:%Y%m}-{d.filters.end:%Y%m}.{fmt}"
    extra = {"enforcement": ctx["enforcement"], "sections": ctx["sections"]}
    if fmt == "xlsx":
        body = exporting.report_xlsx(d, suggestions, **extra)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exporting.report_pdf(d, suggestions, **extra)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    return _export(request, "pdf")


# --- public statistics (no sign-in) -------------------------------------------------------------

def public_statistics(request: HttpRequest) -> HttpResponse:
    """City-wide aggregates for anyone; small cells suppressed (public.py). Cached figures."""
    today = timezone.localdate()
    years = list(range(today.year, max(public.FIRST_YEAR, today.year - 4) - 1, -1))
    try:
        year = public.parse_year(request.GET.get("year"), today=today)
    except InvalidInput as exc:
        return render(request, "governance/public.html", {"error": exc.message, "years": years}, status=400)
    with reads_on_replica():
        stats = public.statistics(year, today=today)
    response = render(request, "governance/public.html", {"s": stats, "years": years,
                                                           "threshold": public.THRESHOLD})
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=300)
    patch_vary_headers(response, ["Cookie"])
    return response


# --- judicial suggestions --------------------------------------------------------------------------

def _owners(user: User) -> list[User]:
    from suyuan.network.selectors import court_subtree_ids

    court = user.organisation.court() if user.organisation is not None else None
    if court is None:
        return []
    return list(User.objects.filter(is_active=True, role__in=services.OWNER_ROLES,
                                    organisation_id__in=court_subtree_ids(court)).order_by("role", "username"))


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    ctx: dict[str, Any] = {"items": selectors.visible_suggestions(user).order_by("status", "deadline")[:200],
                           "can_create": user.role == Role.LEADER, "today": timezone.localdate(),
                           "owners": _owners(user), "categories": DisputeCategory.choices, "errors": {},
                           "form": {}}
    if request.method == "POST" and user.role == Role.LEADER:
        form = request.POST
        try:
            deadline = date.fromisoformat(form.get("deadline", "")) if form.get("deadline") else None
        except ValueError:
            deadline = None
        owner = form.get("owner", "")
        try:
            created = services.create_suggestion(
                actor=user, origin=Origin.from_request(request), title=form.get("title", ""),
                content=form.get("content", ""), addressee=form.get("addressee", ""),
                owner_id=int(owner) if owner.isdigit() else None, deadline=deadline,
                region_code=form.get("region", ""), category=form.get("category", ""),
            )
        except InvalidInput as exc:
            ctx.update(errors=exc.errors, form=form, error=exc.message)
            return render(request, "governance/suggestions.html", ctx, status=400)
        messages.success(request, f"已起草司法建议 {created.number}。")
        return redirect("governance:suggestion", pk=created.pk)
    return render(request, "governance/suggestions.html", ctx)


@login_required
def suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = selectors.visible_suggestions(user).filter(pk=pk).first()
    if item is None:
        raise NotFound()
    actions = [(r.action, r.label, ACTION_TEXT.get(r.action, "")) for r in SUGGESTION.available(item, user, {
        "reply": "x", "note": "x"})]
    return render(request, "governance/suggestion.html", {"item": item, "actions": actions,
                                                          "today": timezone.localdate()})


@require_POST
@login_required
def advance(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    version = request.POST.get("version", "")
    services.advance_suggestion(actor=user, origin=Origin.from_request(request), suggestion_id=pk, action=action,
                                text=request.POST.get("text", ""),
                                expected_version=int(version) if version.isdigit() else None)
    messages.success(request, "已保存。")
    return redirect("governance:suggestion", pk=pk)
