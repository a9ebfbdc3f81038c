"""Posts of the credit-measure and assistance panel on the enforcement case page (thin: parse, call, redirect)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.assistance import services as assistance
from suyuan.common.errors import DomainError, InvalidInput, NotFound

from . import credit, credit_listing, selectors
from .credit_panel import holder_of
from .models import EnforcementCase


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("日期格式不正确。", errors={field: ["日期格式不正确。"]}) from None


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def _handlers(request: HttpRequest, user: User, case: EnforcementCase) -> dict[str, tuple[Callable[[], object], str]]:
    p, o = request.POST, Origin.from_request(request)
    return {
        "grace_open": (lambda: credit.open_grace(actor=user, origin=o, case_id=case.pk, months=p.get("months"),
                                                 reasons=p.get("reasons", "")), "已给予宽限期，并已告知被执行人。"),
        "grace_perform": (lambda: credit.record_grace_performance(
            actor=user, origin=o, grace_id=_int(p.get("grace", "")), note=p.get("note", "")),
            "宽限期内已履行完毕：不予纳入失信被执行人名单，限制消费措施已解除。"),
        "grace_withdraw": (lambda: credit.withdraw_grace(actor=user, origin=o, grace_id=_int(p.get("grace", "")),
                                                         reason=p.get("reason", "")), "已撤销宽限期。"),
        "restrict": (lambda: credit.restrict_consumption(
            actor=user, origin=o, case_id=case.pk, grounds=p.getlist("grounds"), reasons=p.get("reasons", ""),
            notice_due=_date(p.get("notice_due", ""), "notice_due")), "已发布限制消费令。"),
        "list": (lambda: credit_listing.list_dishonest(
            actor=user, origin=o, case_id=case.pk, grounds=p.getlist("grounds"), reasons=p.get("reasons", ""),
            bars=p.getlist("bars"), extension_grounds=p.getlist("extension_grounds"),
            extra_years=p.get("extra_years", "0")), "已决定纳入失信被执行人名单。"),
        "lift": (lambda: credit.lift_measure(actor=user, origin=o, measure_id=_int(p.get("measure", "")),
                                             ground=p.get("ground", ""), note=p.get("note", "")), "已解除。"),
        "correct": (lambda: credit.correct_measure(actor=user, origin=o, measure_id=_int(p.get("measure", "")),
                                                   note=p.get("note", "")), "已因错误撤销。"),
        "review_request": (lambda: credit_listing.request_review(
            actor=user, origin=o, measure_id=_int(p.get("measure", "")), grounds=p.getlist("grounds"),
            statement=p.get("statement", "")), "纠正申请已提交，法院将在法定期限内审查。"),
        "review_decide": (lambda: credit_listing.decide_review(
            actor=user, origin=o, review_id=_int(p.get("review", "")), uphold=p.get("uphold") == "1",
            decision=p.get("decision", "")), "已作出审查决定。"),
        "assist_assign": (lambda: assistance.assign_task(
            actor=user, origin=o, dispute_id=case.dispute_id, holder=holder_of(case), party_id=case.respondent_id,
            kind=p.get("kind", ""), instructions=p.get("instructions", ""),
            grid_id=_int(p["grid"]) if p.get("grid") else None, due_on=_date(p.get("due_on", ""), "due_on")),
            "已派发协助任务。"),
        "assist_close": (lambda: assistance.close_task(actor=user, origin=o, task_id=_int(p.get("task", ""))),
            "协助任务已办结。"),
        "assist_cancel": (lambda: assistance.cancel_task(actor=user, origin=o, task_id=_int(p.get("task", ""))),
            "协助任务已撤回。"),
        "assist_send_back": (lambda: assistance.send_back_task(
            actor=user, origin=o, task_id=_int(p.get("task", "")), reason=p.get("reason", "")), "已退回补充。"),
    }


@login_required
@require_POST
def credit_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    case = selectors.visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    handler = _handlers(request, user, case).get(action)
    if handler is None:
        raise NotFound()
    run, done = handler
    try:
        run()
        messages.success(request, done)
    except NotFound:
        raise
    except DomainError as exc:
        # Field errors carry the same Chinese reason; the message names the ground and article.
        messages.error(request, exc.message)
    return redirect(reverse("enforcement:case", args=[case.pk]) + "#credit")
