"""Pages of the litigation stage: thin views that parse, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from suyuan.accounts.choices import CASE_ROLES, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.http import case_user
from suyuan.accounts.models import User
from suyuan.common.errors import DomainError, InvalidInput, NotPermitted
from suyuan.common.views import int_or_none
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.models import Clock, Dispute
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.stage_rows import has_rows
from suyuan.network.choices import MediatorStatus
from suyuan.network.selectors import roster_for
from suyuan.rules import thresholds

from . import confirmation, consent, fees, rendered, selectors, services, tracks
from .choices import CaseStatus, MediationOutcome, Procedure, ReliefKind
from .lifecycle import CASE, CONFIRMATION, FILERS
from .models import Case, CourtMediation
from .stage_rows import CASE_ROWS, CONFIRMATION_ROWS

COURT = {Role.CLERK, Role.JUDGE}


def _user(request: HttpRequest) -> User:
    return case_user(request, "案件内容")


_origin = Origin.from_request


_int = int_or_none


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("日期格式不正确。", errors={field: ["请按 年-月-日 填写日期。"]}) from None


def _act(request: HttpRequest, back: str, call: Callable[[], Any], done: str) -> HttpResponse:
    """Run one service for an inline button; show its Chinese message either way, never a 500."""
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(back)


def _flat(errors: dict[str, list[str]]) -> list[str]:
    # A list, not the dict: a field named "items" would shadow dict.items in a template.
    return [m for msgs in errors.values() for m in msgs]


def _track_from(post: Any) -> services.TrackChoice:
    return services.TrackChoice(
        procedure=post.get("procedure", ""), fast_track=post.get("fast_track") == "on",
        small_claims_agreed=post.get("small_claims_agreed") == "on",
        exclusions=tuple(post.getlist("exclusions")),
    )


# --- lists ---------------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    status = request.GET.get("status", "")
    if status not in CaseStatus.values:
        status = ""
    cases = selectors.case_list(user, status=status)[:200]
    return render(request, "litigation/case_list.html", {
        "cases": cases, "status": status, "statuses": CaseStatus.choices,
        "confirmations": selectors.confirmation_queue(user)[:50], "is_court": user.role in COURT,
    })


@login_required
def registration_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in {Role.CLERK, Role.JUDGE, Role.LEADER}:
        raise NotPermitted("立案审查队列仅供法院工作人员查看。")
    today = timezone.localdate()
    rows = []
    for case in selectors.registration_queue(user):
        deadline = services.registration_deadline(case)
        rows.append({"case": case, "due": deadline.due, "citation": deadline.citation,
                     "days_left": (deadline.due - today).days})  # type: ignore[operator]
    return render(request, "litigation/queue.html", {"rows": rows, "today": today})


# --- filing and the case page ------------------------------------------------------------------


@login_required
@require_POST
def file_suit(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = _user(request)
    try:
        case = services.file_suit(actor=user, origin=_origin(request), dispute_id=dispute_id)
    except DomainError as exc:
        messages.error(request, exc.message)
        dispute = visible_disputes(user).filter(pk=dispute_id).first()
        return redirect(reverse("disputes:detail", args=[dispute.number]) if dispute else reverse("litigation:list"))
    clock = case.dispute.clocks.filter(rule="registration", status="open").first()
    deadline = f"{clock.due_on:%Y年%m月%d日}前（{clock.citation}）" if clock else "法定期限内"
    messages.success(request, f"已提交起诉，法院将在{deadline}决定是否立案。")
    return redirect("litigation:case", case.pk)


def _case_context(user: User, case: Case) -> dict[str, Any]:
    # The form supplies what the guards ask for (procedure, reason): show those buttons.
    actions = {row.action for row in CASE.available(case, user, {"procedure": "form", "reason": "form"})}
    mediation = selectors.pending_court_mediation(case)
    clocks = Clock.objects.filter(dispute=case.dispute, object_ref__in=[
        services.case_ref(case)] + [m.object_ref for m in case.court_mediations.all()]).order_by("started_on", "pk")
    notice = case.material_notices.prefetch_related("items").order_by("-issued_at").first()
    is_court = user.role in COURT
    today = timezone.localdate()
    return {
        "case": case, "dispute": case.dispute, "actions": actions, "is_court": is_court,
        "mediation": mediation, "clocks": clocks, "notice": notice,
        "can_sign": bool(mediation and mediation.outcome == MediationOutcome.PENDING
                         and mediation.signed_receipt_at is None and mediation.mediator.user_id == user.pk),
        "can_record_outcome": bool(mediation and mediation.outcome == MediationOutcome.PENDING
                                   and case.status == CaseStatus.IN_COURT_MEDIATION
                                   and (is_court or mediation.mediator.user_id == user.pk)),
        "can_change_track": is_court and case.status in {
            CaseStatus.REGISTERED, CaseStatus.IN_COURT_MEDIATION, CaseStatus.IN_TRIAL},
        "registration_deadline": (services.registration_deadline(case)
                                  if case.status in {CaseStatus.FILED, CaseStatus.AWAITING_MATERIALS} else None),
        "judgment": getattr(case, "judgment", None),
        "fee_notices": case.fee_notices.all(), "fee_reliefs": case.fee_reliefs.all(),
        "half_fee_grounds": thresholds.half_fee_grounds(today), "relief_kinds": ReliefKind.choices,
        "can_apply_relief": user.role in {Role.PARTY, Role.CLERK} and case.status in {
            CaseStatus.FILED, CaseStatus.AWAITING_MATERIALS, CaseStatus.REGISTERED, CaseStatus.IN_TRIAL,
            CaseStatus.IN_COURT_MEDIATION},
        "events": case.dispute.events.filter(
            kind__regex=r"^(case|court_mediation|clock|retrial|judicial_aid)\.").order_by("seq"),
        "stage_documents": rendered.documents_since(case.dispute, rendered.CASE_KINDS, case.filed_at),
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.get_case(user, pk)
    from .after_views import context as after_judgment

    return render(request, "litigation/case.html", {**_case_context(user, case), **after_judgment(user, case)})


# --- registration ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Registration and (for a registered case) change of track: eligibility shown with its source."""
    user = _user(request)
    case = selectors.get_case(user, pk)
    changing = case.status != CaseStatus.FILED
    errors: list[str] = []
    error = ""
    if request.method == "POST":
        track = _track_from(request.POST)
        version = _int(request.POST.get("version"))
        try:
            if changing:
                services.change_track(actor=user, origin=_origin(request), case_id=pk, track=track,
                                      expected_version=version)
                messages.success(request, "审理程序已调整。")
            else:
                case = services.register_case(actor=user, origin=_origin(request), case_id=pk, track=track,
                                              expected_version=version)
                messages.success(request, f"已立案，案号：{case.number}")
            return redirect("litigation:case", pk)
        except DomainError as exc:
            error, errors = exc.message, _flat(exc.errors)
    today = timezone.localdate()
    return render(request, "litigation/register.html", {
        "case": case, "changing": changing, "error": error, "errors": errors,
        "eligibility": tracks.small_claims_eligibility(case, on=today), "procedures": Procedure.choices,
        "simple_exclusions": thresholds.simple_procedure_exclusions(today), "post": request.POST,
    })


@login_required
@require_http_methods(["GET", "POST"])
def request_materials(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.get_case(user, pk)
    error, errors = "", []
    if request.method == "POST":
        items = request.POST.get("items", "").splitlines()
        try:
            services.request_materials(actor=user, origin=_origin(request), case_id=pk, items=items,
                                       note=request.POST.get("note", "")[:500],
                                       expected_version=_int(request.POST.get("version")))
            messages.success(request, "已一次性告知补正材料。")
            return redirect("litigation:case", pk)
        except DomainError as exc:
            error, errors = exc.message, _flat(exc.errors)
    return render(request, "litigation/materials.html",
                  {"case": case, "error": error, "errors": errors, "post": request.POST})


@login_required
@require_POST
def complete_materials(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    back = reverse("litigation:case", args=[pk])
    return _act(request, back, lambda: services.complete_materials(
        actor=user, origin=_origin(request), case_id=pk,
        received_on=_date(request.POST.get("received_on"), "received_on")),
        "已登记收到补正材料，立案审查期限重新起算。")


@login_required
@require_http_methods(["GET", "POST"])
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.get_case(user, pk)
    error = ""
    if request.method == "POST":
        try:
            services.refuse_case(actor=user, origin=_origin(request), case_id=pk,
                                 reason=request.POST.get("reason", "")[:2000],
                                 expected_version=_int(request.POST.get("version")))
            messages.success(request, "已裁定不予受理。")
            return redirect("litigation:case", pk)
        except DomainError as exc:
            error = exc.message
    return render(request, "litigation/refuse.html", {"case": case, "error": error, "post": request.POST})


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _act(request, reverse("litigation:case", args=[pk]), lambda: services.withdraw_case(
        actor=user, origin=_origin(request), case_id=pk, reason=request.POST.get("reason", "")[:200]), "已撤回起诉。")


# --- court-referred mediation, trial, judgment -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.get_case(user, pk)
    error = ""
    if request.method == "POST":
        try:
            services.refer_to_court_mediation(actor=user, origin=_origin(request), case_id=pk,
                                              mediator_id=_int(request.POST.get("mediator")) or 0,
                                              expected_version=_int(request.POST.get("version")))
            messages.success(request, "已委托调解，调解期限自调解员签收之日起算。")
            return redirect("litigation:case", pk)
        except DomainError as exc:
            error = exc.message
    return render(request, "litigation/refer.html", {
        "case": case, "error": error, "consent_problem": consent.consent_problem(case.dispute),
        "mediators": roster_for(user, status=MediatorStatus.ACTIVE) if user.role in COURT else [],
    })


def _mediation_back(user: User, pk: int) -> str:
    # Through the actor's scope: an unscoped lookup would redirect to (and so reveal) another court's case.
    case_id = (CourtMediation.objects.filter(pk=pk, case__in=selectors.visible_cases(user))
               .values_list("case_id", flat=True).first())
    return reverse("litigation:case", args=[case_id]) if case_id else reverse("litigation:list")


@login_required
@require_POST
def sign_mediation(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _act(request, _mediation_back(user, pk), lambda: services.sign_court_mediation(
        actor=user, origin=_origin(request), mediation_id=pk), "已签收委托调解，调解期限开始计算。")


@login_required
@require_POST
def extend_mediation(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _act(request, _mediation_back(user, pk), lambda: services.agree_mediation_extension(
        actor=user, origin=_origin(request), mediation_id=pk, note=request.POST.get("note", "")[:300]),
        "已记录双方同意延长调解期限，审理期限相应顺延。")


@login_required
@require_POST
def mediation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    outcome = request.POST.get("outcome")
    if outcome not in {"settled", "failed"}:
        messages.error(request, "请选择调解结果。")
        return redirect(_mediation_back(user, pk))
    return _act(request, _mediation_back(user, pk), lambda: services.record_mediation_outcome(
        actor=user, origin=_origin(request), mediation_id=pk, settled=outcome == "settled",
        note=request.POST.get("note", "")[:2000], amount=request.POST.get("amount", "")[:20],
        perform_by=_date(request.POST.get("perform_by"), "perform_by")), "已记录委托调解结果。")


@login_required
@require_POST
def start_trial(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _act(request, reverse("litigation:case", args=[pk]), lambda: services.start_trial(
        actor=user, origin=_origin(request), case_id=pk, expected_version=_int(request.POST.get("version"))),
        "案件已转入审理。")


@login_required
@require_POST
def extend_trial(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _act(request, reverse("litigation:case", args=[pk]), lambda: services.extend_trial(
        actor=user, origin=_origin(request), case_id=pk, approved_by=request.POST.get("approved_by", "")[:50],
        reason=request.POST.get("reason", "")[:500]), "审理期限已延长。")


@login_required
@require_http_methods(["GET", "POST"])
def judgment(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.get_case(user, pk)
    error, errors = "", []
    if request.method == "POST":
        try:
            days = request.POST.get("perform_within_days", "").strip()
            within = _int(days)
            if days and within is None:
                raise InvalidInput("履行期间应为整数日。", errors={"perform_within_days": ["请填写整数日数。"]})
            services.pronounce_judgment(
                actor=user, origin=_origin(request), case_id=pk, main_text=request.POST.get("main_text", "")[:5000],
                amount=request.POST.get("amount", ""), perform_by=_date(request.POST.get("perform_by"), "perform_by"),
                perform_within_days=within,
                pronounced_on=_date(request.POST.get("pronounced_on"), "pronounced_on"),
                expected_version=_int(request.POST.get("version")),
            )
            messages.success(request, "判决已录入，履行告知书载明履行期限及不履行的后果。")
            return redirect("litigation:case", pk)
        except DomainError as exc:
            error, errors = exc.message, _flat(exc.errors)
    return render(request, "litigation/judgment.html", {
        "case": case, "error": error, "errors": errors, "post": request.POST,
        "consequences": services.NON_PERFORMANCE_CONSEQUENCES,
    })


# --- fees ----------------------------------------------------------------------------------------


@login_required
@require_POST
def notify_fee(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _act(request, reverse("litigation:case", args=[pk]), lambda: fees.notify_fee(
        actor=user, origin=_origin(request), case_id=pk, amount=request.POST.get("amount", ""),
        half_fee_ground=request.POST.get("half_fee_ground", "")), "已通知交纳诉讼费用。")


@login_required
@require_POST
def fee_paid(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    back = request.POST.get("case")
    target = reverse("litigation:case", args=[int(back)]) if back and back.isdigit() else reverse("litigation:list")
    return _act(request, target, lambda: fees.record_fee_payment(actor=user, origin=_origin(request), notice_id=pk),
                "已登记交费。")


@login_required
@require_POST
def apply_relief(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _act(request, reverse("litigation:case", args=[pk]), lambda: fees.apply_fee_relief(
        actor=user, origin=_origin(request), case_id=pk, kind=request.POST.get("kind", ""),
        grounds=request.POST.get("grounds", "")[:2000]), "已提交缓减免申请。")


@login_required
@require_POST
def decide_relief(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    back = request.POST.get("case")
    target = reverse("litigation:case", args=[int(back)]) if back and back.isdigit() else reverse("litigation:list")
    return _act(request, target, lambda: fees.decide_fee_relief(
        actor=user, origin=_origin(request), relief_id=pk, granted=request.POST.get("decision") == "granted",
        reason=request.POST.get("reason", "")[:2000]), "已作出审查决定。")


# --- judicial confirmation (民特) ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def confirmation_apply(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = _user(request)
    dispute = visible_disputes(user).filter(pk=dispute_id).first()
    if dispute is None:
        from suyuan.common.errors import NotFound

        raise NotFound()
    error = ""
    if request.method == "POST":
        try:
            app = confirmation.apply_for_confirmation(actor=user, origin=_origin(request), dispute_id=dispute_id,
                                                      joint=request.POST.get("joint") == "on")
            clock = dispute.clocks.filter(rule="confirmation_acceptance", status="open").first()
            when = f"{clock.due_on:%Y年%m月%d日}前（{clock.citation}）" if clock else "法定期限内"
            messages.success(request, f"您的司法确认申请已提交，法院将在{when}决定是否受理。")
            return redirect("litigation:confirmation", app.pk)
        except DomainError as exc:
            error = exc.message
    from .agreements import effective_agreement

    agreement = effective_agreement(dispute)
    deadline = None
    if agreement is not None:
        from suyuan.rules import periods

        deadline = periods.compute("confirmation_application", start=agreement.effective_on)
    return render(request, "litigation/confirmation_apply.html",
                  {"dispute": dispute, "agreement": agreement, "deadline": deadline, "error": error})


@login_required
def confirmation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    app = selectors.get_confirmation(user, pk)
    actions = {row.action for row in CONFIRMATION.available(app, user, {"reasons": "-"})}
    clocks = Clock.objects.filter(dispute=app.dispute, object_ref=app.object_ref).order_by("started_on", "pk")
    return render(request, "litigation/confirmation.html", {
        "app": app, "dispute": app.dispute, "actions": actions, "clocks": clocks,
        "stage_documents": rendered.documents_since(app.dispute, rendered.CONFIRMATION_KINDS, app.applied_at),
    })


@login_required
@require_POST
def confirmation_act(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    action = request.POST.get("action", "")
    origin, reasons = _origin(request), request.POST.get("reasons", "")[:2000]
    version = _int(request.POST.get("version"))
    calls: dict[str, Callable[[], Any]] = {
        "accept": lambda: confirmation.accept_confirmation(actor=user, origin=origin, application_id=pk,
                                                           expected_version=version),
        "confirm": lambda: confirmation.decide_confirmation(actor=user, origin=origin, application_id=pk,
                                                            confirmed=True, reasons=reasons, expected_version=version),
        "reject": lambda: confirmation.decide_confirmation(actor=user, origin=origin, application_id=pk,
                                                           confirmed=False, reasons=reasons, expected_version=version),
        "refuse": lambda: confirmation.refuse_confirmation(actor=user, origin=origin, application_id=pk,
                                                           reasons=reasons),
        "extend": lambda: confirmation.extend_confirmation_ruling(
            actor=user, origin=origin, application_id=pk, approved_by=request.POST.get("approved_by", "")[:50],
            reason=request.POST.get("reason", "")[:500]),
    }
    if action not in calls:
        messages.error(request, "未知的操作。")
        return redirect("litigation:confirmation", pk)
    return _act(request, reverse("litigation:confirmation", args=[pk]), calls[action], "已办理。")


# --- the panel on the dispute page -------------------------------------------------------------


def panel_context(request: HttpRequest, dispute: Dispute) -> dict[str, Any] | None:
    """What the dispute page shows of the litigation stage; None when there is nothing to show."""
    user = request.user
    if not isinstance(user, User) or user.role not in CASE_ROLES:
        return None
    cases = list(selectors.cases_of_dispute(user, dispute)[:5]) if has_rows(dispute, CASE_ROWS) else []
    confirmations = (list(selectors.visible_confirmations(user).filter(dispute=dispute).order_by("-applied_at")[:5])
                     if has_rows(dispute, CONFIRMATION_ROWS) else [])
    can_file = (user.role in FILERS and dispute.status in {DisputeStatus.RECORDED, DisputeStatus.MEDIATION_FAILED}
                and not any(c.status in services.OPEN_STATES for c in cases))
    can_apply_confirmation = (user.role in confirmation.APPLICANTS and dispute.status == DisputeStatus.SETTLED)
    if not (cases or confirmations or can_file or can_apply_confirmation):
        return None
    return {"cases": cases, "confirmations": confirmations, "can_file": can_file,
            "can_apply_confirmation": can_apply_confirmation}
