"""Thin views for the complaint-copy receipt and jurisdiction objections (forms on the case page)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import DomainError, InvalidInput, NotFound

from . import objections, selectors, transfers
from .models import JurisdictionObjection
from .views import _int, _user


def _back(request: HttpRequest, case_id: int, call, done: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("litigation:case", case_id)


def _case_of_objection(user: User, pk: int) -> int:
    # Through the actor's scope: an unscoped lookup would redirect to (and so reveal) another court's case.
    case_id = (JurisdictionObjection.objects.filter(pk=pk, case__in=selectors.visible_cases(user))
               .values_list("case_id", flat=True).first())
    if case_id is None:
        raise NotFound()
    return case_id


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError as exc:
        raise InvalidInput("日期格式应为 YYYY-MM-DD。", errors={"received_on": ["请填写有效日期。"]}) from exc


@login_required
@require_POST
def record_service(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _back(request, pk, lambda: objections.record_complaint_service(
        actor=user, origin=Origin.from_request(request), case_id=pk, party_id=_int(request.POST.get("party")) or 0,
        received_on=_day(request.POST.get("received_on"))), "已登记收到起诉状副本之日，答辩期已计算。")


@login_required
@require_POST
def file_objection(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _back(request, pk, lambda: objections.file_jurisdiction_objection(
        actor=user, origin=Origin.from_request(request), case_id=pk, party_id=_int(request.POST.get("party")),
        grounds=request.POST.get("grounds", "")[:2000]), "管辖权异议已提出，待法院裁定。")


@login_required
@require_POST
def rule_objection(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case_id = _case_of_objection(user, pk)
    upheld = request.POST.get("outcome") == "uphold"
    return _back(request, case_id, lambda: objections.rule_on_objection(
        actor=user, origin=Origin.from_request(request), objection_id=pk, upheld=upheld,
        reasons=request.POST.get("reasons", "")[:2000], transfer_to_id=_int(request.POST.get("transfer_to")),
        expected_version=_int(request.POST.get("version"))), "已作出管辖权异议裁定。")


STEP_DONE = {
    "appeal": "已登记对管辖权异议裁定的上诉，移送暂缓。",
    "affirm_on_appeal": "已登记上级法院维持裁定，案件已移送。",
    "reverse_on_appeal": "已登记上级法院撤销裁定，本院继续审理。",
}


@login_required
@require_POST
def objection_step(request: HttpRequest, pk: int) -> HttpResponse:
    """After an upheld ruling: a party appeals it, or the clerk records the appellate court's decision."""
    user = _user(request)
    case_id = _case_of_objection(user, pk)
    step = request.POST.get("step", "")
    if step not in STEP_DONE:
        raise InvalidInput("请选择要办理的事项。")
    origin = Origin.from_request(request)
    if step == "appeal":
        call = lambda: transfers.appeal_ruling(actor=user, origin=origin, objection_id=pk)  # noqa: E731
    else:
        call = lambda: transfers.record_appeal_decision(  # noqa: E731
            actor=user, origin=origin, objection_id=pk, affirmed=step == "affirm_on_appeal",
            note=request.POST.get("note", "")[:500])
    return _back(request, case_id, call, STEP_DONE[step])
