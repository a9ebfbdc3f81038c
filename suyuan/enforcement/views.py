"""Performance and enforcement pages: thin views over the services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import CASE_ROLES, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.http import case_user
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.models import Dispute
from suyuan.disputes.stage_rows import has_rows

from . import opening, selectors, services
from .choices import PlanStatus
from .lifecycle import INSTALMENT, PLAN
from .models import EnforcementCase, PerformancePlan
from .stage_rows import CASE_ROWS, PLAN_ROWS


def _user(request: HttpRequest) -> User:
    return case_user(request, "案件内容")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    plans = selectors.visible_plans(user).select_related("dispute", "obligor", "obligee").order_by("-created_at")[:100]
    cases = selectors.visible_cases(user).select_related("dispute", "applicant", "respondent").order_by("-applied_at")
    return render(request, "enforcement/index.html", {"plans": plans, "cases": cases[:200]})


def _plan_actions(plan: PerformancePlan, user: User) -> dict[str, Any]:
    """Which buttons this user sees: the lifecycle allows it now and the user is on the right side."""
    is_obligor = user.role != Role.PARTY or user.party_id == plan.obligor_id
    is_obligee = user.role != Role.PARTY or user.party_id == plan.obligee_id
    rows = []
    for instalment in plan.instalments.all():
        allowed = {r.action for r in INSTALMENT.available(instalment, user)}
        rows.append({
            "instalment": instalment,
            "can_report": "report_payment" in allowed and is_obligor,
            "can_confirm": "confirm_payment" in allowed and is_obligee,
        })
    can_apply = is_obligee and any(r.action == "apply_enforcement" for r in PLAN.available(plan, user))
    return {"rows": rows, "can_apply": can_apply}


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    plan = selectors.visible_plans(user).select_related("dispute", "obligor", "obligee").filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    case = EnforcementCase.objects.filter(plan=plan).first()
    settled_case = EnforcementCase.objects.filter(settlement_plan=plan).first()
    return render(request, "enforcement/plan.html", {"settled_case": settled_case, "plan": plan, "case": case,
                                                     **_plan_actions(plan, user)})


def _back(instalment_id: int, user: User) -> HttpResponse:
    instalment = selectors.visible_instalments(user).filter(pk=instalment_id).first()
    return redirect("enforcement:plan", pk=instalment.plan_id) if instalment else redirect("enforcement:index")


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    services.report_payment(instalment_id=pk, actor=user, amount=request.POST.get("amount", ""),
                            note=request.POST.get("note", ""), origin=Origin.from_request(request))
    messages.success(request, "付款报告已提交，等待权利人确认。")
    return _back(pk, user)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    services.confirm_payment(instalment_id=pk, actor=user, origin=Origin.from_request(request))
    messages.success(request, "已确认收款。")
    return _back(pk, user)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    services.reject_payment(instalment_id=pk, actor=user, reason=request.POST.get("reason", ""),
                            origin=Origin.from_request(request))
    messages.success(request, "已退回付款报告。")
    return _back(pk, user)


def panel_context(request: HttpRequest, dispute: Dispute) -> dict[str, Any]:
    """For ``enforcement/_dispute_panel.html``; the caller has checked the dispute is visible."""
    user = request.user
    assert isinstance(user, User)
    plan = selectors.original_plan(dispute.pk) if has_rows(dispute, PLAN_ROWS) else None
    cases = (list(selectors.visible_cases(user).filter(dispute=dispute))
             if user.role in CASE_ROLES and has_rows(dispute, CASE_ROWS) else [])
    if plan is None:
        # No plan row at all: opening's own check (status, then no original plan) is the status alone.
        can_apply = user.role in (Role.PARTY, Role.CLERK) and (
            opening.dispute_can_apply_on_document(dispute) if has_rows(dispute, PLAN_ROWS)
            else dispute.status == DisputeStatus.PERFORMING)
        return {"performance_plan": None, "enforcement_cases": cases, "can_apply_on_document": can_apply,
                "dispute_id": dispute.pk}
    return {
        "performance_plan": plan,
        "enforcement_case": EnforcementCase.objects.filter(plan=plan).first(),
        "enforcement_cases": cases,
        "performance_defaulted": plan.status == PlanStatus.DEFAULTED,
        **{f"performance_{k}": v for k, v in _plan_actions(plan, user).items()},
    }
