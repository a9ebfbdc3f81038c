"""Enforcement case pages: application with the risk notice, the case page and its actions (thin views)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.assets.rules import expiry_warning_days
from suyuan.assets.views import holder_panel
from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.models import DisputeParty
from suyuan.disputes.selectors import visible_disputes
from suyuan.documents.choices import DocumentKind
from suyuan.documents.selectors import documents_of

from . import conclusion, conditions, objections, opening, selectors, settlement, tracks
from .choices import DerivativeKind, EnforcementBasis, EnforcementTrack
from .lifecycle import DERIVATIVE, ENFORCEMENT_CASE
from .views import _user

ENFORCEMENT_DOCUMENTS = (DocumentKind.ENFORCEMENT_NOTICE, DocumentKind.PROPERTY_REPORT_ORDER)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise InvalidInput("页面已过期，请刷新后重试。") from None


@login_required
def apply_on_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the risk notice and the confirmation; POST: apply in one step."""
    user = _user(request)
    plan = selectors.visible_plans(user).select_related("dispute", "obligor", "obligee").filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    if request.method == "POST":
        case = opening.apply_for_enforcement(plan_id=pk, actor=user, origin=Origin.from_request(request),
                                             risk_acknowledged=request.POST.get("risk_acknowledged") == "1")
        messages.success(request, f"强制执行申请已提交，执行案号 {case.number}。执行通知书和报告财产令已送达被执行人。")
        return redirect("enforcement:case", pk=case.pk)
    return render(request, "enforcement/apply.html", {"plan": plan, "dispute": plan.dispute,
                                                      "risks": opening.risk_notice(timezone.localdate())})


@login_required
def apply_on_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    dispute = visible_disputes(user).filter(pk=pk).first()
    if dispute is None:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        try:
            case = opening.apply_on_document(
                dispute_id=pk, actor=user, origin=Origin.from_request(request), basis=post.get("basis", ""),
                basis_reference=post.get("basis_reference", ""), amount=post.get("amount", ""),
                performance_due=post.get("performance_due", ""),
                applicant_party_id=_int(post.get("applicant_party_id")),
                respondent_party_id=_int(post.get("respondent_party_id")),
                risk_acknowledged=post.get("risk_acknowledged") == "1",
            )
        except InvalidInput as exc:
            errors = exc.errors
            messages.error(request, str(exc))
        else:
            messages.success(request, f"强制执行申请已提交，执行案号 {case.number}。")
            return redirect("enforcement:case", pk=case.pk)
    parties = DisputeParty.objects.filter(dispute=dispute).select_related("party")
    return render(request, "enforcement/apply.html", {
        "dispute": dispute, "risks": opening.risk_notice(timezone.localdate()), "parties": parties,
        "bases": [(b.value, b.label) for b in opening.DIRECT_BASES], "errors": errors, "post": request.POST,
        "me": user.party_id if user.role == Role.PARTY else None,
    }, status=400 if errors else 200)


def _court_staff_of(user: Any, case: Any) -> bool:
    court = user.organisation.court() if user.organisation else None
    return user.role in {Role.ENFORCEMENT, Role.CLERK, Role.JUDGE} and court is not None and court.pk == case.court_id


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = (selectors.visible_cases(user).select_related("dispute", "plan", "applicant", "respondent", "court",
                                                          "group", "settlement_plan").filter(pk=pk).first())
    if case is None:
        raise NotFound()
    allowed = {r.action for r in ENFORCEMENT_CASE.available(case, user)}
    # Guarded rows are hidden by ``available`` when the guard refuses; show the forms whose guard
    # needs the officer's input (reasons, confirmations) whenever the state and role allow them.
    possible = {r.action for r in ENFORCEMENT_CASE.transitions
                if case.status in r.source and r.allows_role(user) and ENFORCEMENT_CASE.in_scope(case, user)}
    derivatives = list(selectors.derivatives_of(case))
    events = case.dispute.events.filter(
        Q(kind__startswith="enforcement") | Q(kind__startswith="performance") | Q(kind__startswith="instalment")
        | Q(kind__startswith="asset", data__holder=case.holder)
    ).order_by("at", "pk")
    return render(request, "enforcement/case.html", {
        "case": case, "allowed": allowed, "possible": possible, "officer": user.role == Role.ENFORCEMENT,
        "conditions": conditions.evaluate(case) if "end_round" in possible else [],
        "grounds": conclusion.TERMINATION_GROUNDS, "tracks": [EnforcementTrack.SIMPLE, EnforcementTrack.COMPLEX],
        "track_labels": dict(EnforcementTrack.choices),
        "documents": documents_of(case.dispute).filter(kind__in=ENFORCEMENT_DOCUMENTS),
        "derivatives": [(d, {r.action for r in DERIVATIVE.available(d, user)}) for d in derivatives],
        "group_cases": case.group.cases.exclude(pk=case.pk).select_related("applicant") if case.group else [],
        "events": events, "basis_label": EnforcementBasis(case.basis).label,
        "settlement_rows": case.settlement_plan.instalments.all() if case.settlement_plan else [],
        "kinds": DerivativeKind,
        # Control is measured against what is still owed (over-seizure: 查封扣押冻结规定 第十九条);
        # the assets scope decides who sees the panel and who may act on it.
        "assets_panel": holder_panel(request, case.holder, case.outstanding, dispute=case.dispute),
        # Asset descriptions are free text (account and certificate numbers): for the court's own staff only.
        "carried": selectors.carried_measures(case) if _court_staff_of(user, case) else [],
        "today": timezone.localdate(),
        "warn_until": timezone.localdate() + timedelta(days=expiry_warning_days(timezone.localdate())),
    })


def _done(request: HttpRequest, pk: int, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("enforcement:case", pk=pk)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every POST of the case page; each branch calls one use case."""
    user, post, origin = _user(request), request.POST, Origin.from_request(request)
    if action == "recover":
        conclusion.record_recovery(case_id=pk, actor=user, origin=origin, amount=post.get("amount", ""),
                                   note=post.get("note", ""), expected_version=_version(request))
        return _done(request, pk, "执行到位款项已登记。")
    if action == "complete":
        conclusion.complete(case_id=pk, actor=user, origin=origin)
        return _done(request, pk, "执行完毕，案件已结案。")
    if action == "end_round":
        confirmations = {k[len("confirm_"):]: str(v) for k, v in post.items() if k.startswith("confirm_")}
        conclusion.end_round(case_id=pk, actor=user, origin=origin, confirmations=confirmations)
        return _done(request, pk, "已终结本次执行程序。")
    if action == "resume_round":
        conclusion.resume_round(case_id=pk, actor=user, origin=origin, reason=post.get("reason", ""))
        return _done(request, pk, "已恢复执行。")
    if action == "terminate":
        conclusion.terminate(case_id=pk, actor=user, origin=origin, ground=post.get("ground", ""),
                             reason=post.get("reason", ""))
        return _done(request, pk, "已终结执行。")
    if action == "refuse":
        conclusion.refuse(case_id=pk, actor=user, origin=origin, reason=post.get("reason", ""))
        return _done(request, pk, "已裁定不予执行。")
    if action == "settle":
        rows = [{"due": d, "amount": a} for d, a in zip(post.getlist("due"), post.getlist("amount"), strict=False)]
        settlement.enter_settlement(case_id=pk, actor=user, origin=origin, instalments=rows,
                                    expected_version=_version(request))
        return _done(request, pk, "执行和解协议已记录，和解履行期间暂缓执行。")
    if action == "resume":
        settlement.resume_after_default(case_id=pk, actor=user, origin=origin, reason=post.get("reason", ""))
        return _done(request, pk, "已恢复执行。")
    if action == "complete_settlement":
        settlement.complete_settlement(case_id=pk, actor=user, origin=origin)
        return _done(request, pk, "执行和解协议履行完毕，案件已结案。")
    if action == "track":
        tracks.override_track(case_id=pk, actor=user, origin=origin, track=post.get("track", ""),
                              reason=post.get("reason", ""), expected_version=_version(request))
        return _done(request, pk, "执行分流已调整。")
    if action == "objection":
        objections.file_objection(case_id=pk, actor=user, origin=origin,
                                  applicant_party_id=_int(post.get("applicant_party_id")),
                                  grounds=post.get("grounds", ""), received_on=post.get("received_on", ""))
        return _done(request, pk, "执行异议已立案。")
    raise NotFound()


@login_required
@require_POST
def derivative_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, post, origin = _user(request), request.POST, Origin.from_request(request)
    derivative = selectors.visible_derivatives(user).filter(pk=pk).first()
    if derivative is None:
        raise NotFound()
    if action == "review":
        objections.file_review(objection_id=pk, actor=user, origin=origin, grounds=post.get("grounds", ""),
                               received_on=post.get("received_on", ""))
        text = "执行复议已由上一级人民法院立案。"
    else:
        objections.decide(derivative_id=pk, actor=user, origin=origin, action=action,
                          decision=post.get("decision", ""))
        text = "审查结果已记录。"
    messages.success(request, text)
    return redirect("enforcement:case", pk=derivative.main_case_id)


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        origin = Origin.from_request(request)
        if request.POST.get("group_id"):
            done = tracks.record_group_action(group_id=_int(request.POST.get("group_id")), actor=user, origin=origin,
                                              text=request.POST.get("text", ""))
            messages.success(request, f"联合执行措施已记入 {len(done)} 件案件。")
        else:
            group = tracks.group_cases(case_ids=[_int(v) for v in request.POST.getlist("case")], actor=user,
                                       origin=origin)
            messages.success(request, f"已建立联合执行组“{group.name}”。")
        return redirect("enforcement:groups")
    return render(request, "enforcement/groups.html", {
        "groups": selectors.visible_groups(user).select_related("respondent").prefetch_related("cases"),
        "candidates": tracks.group_candidates(user) if user.role == Role.ENFORCEMENT else [],
    })
