"""Pages for clerks, judges and mediators: one dispute's integrity check, groups, similar cases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from suyuan.accounts.context import Origin
from suyuan.accounts.http import case_user
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput
from suyuan.disputes.models import Dispute

from . import selectors, services


def _user(request: HttpRequest) -> User:
    return case_user(request, "纠纷内容")


@login_required
def dispute_check(request: HttpRequest, number: str) -> HttpResponse:
    report = selectors.integrity_report(_user(request), number)
    return render(request, "integrity/check.html", {"report": report})


@login_required
@require_POST
def decide(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    decision = request.POST.get("decision", "")
    if decision not in {"duplicate", "not_duplicate"}:
        raise InvalidInput("请选择核实结论。")
    try:
        services.decide_duplicate(
            actor=user, origin=Origin.from_request(request), number=number,
            earlier_number=request.POST.get("earlier", ""), duplicate=decision == "duplicate",
            note=request.POST.get("note", ""),
        )
        messages.success(request, "已记录重复起诉核实结论。")
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect("integrity:check", number=number)


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        origin = Origin.from_request(request)
        action = request.POST.get("action", "")
        try:
            group_id = int(request.POST.get("group", ""))
        except ValueError as exc:
            raise InvalidInput("请求无效。") from exc
        try:
            if action == "link":
                n = services.link_parallel(actor=user, origin=origin, group_id=group_id,
                                           numbers=request.POST.getlist("numbers"))
                messages.success(request, f"已关联 {n} 件平行案件。")
            elif action == "demonstration":
                services.mark_demonstration(actor=user, origin=origin, group_id=group_id,
                                            number=request.POST.get("number", ""))
                messages.success(request, "已确定示范案件。")
            elif action == "push":
                n = services.push_demonstration_outcome(actor=user, origin=origin, group_id=group_id,
                                                        outcome=request.POST.get("outcome", ""))
                messages.success(request, f"示范案件结果已推送至 {n} 件平行案件。")
            else:
                raise InvalidInput("请求无效。")
        except InvalidInput as exc:
            messages.error(request, exc.message)
        return redirect("integrity:groups")
    return render(request, "integrity/groups.html", {"groups": selectors.court_groups(user)[:50]})


@login_required
def similar(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    number = request.GET.get("number", "").strip()[:20]
    text = request.GET.get("text", "").strip()[:2000]
    query: Dispute | None = None
    results: list[selectors.SimilarCase] = []
    if number or text:
        query, results = selectors.similar_cases(user, number=number, text=text)
    context = {"query": query, "results": results, "number": number, "text": text, "searched": bool(number or text)}
    return render(request, "integrity/similar.html", context)
