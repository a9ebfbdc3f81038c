"""Workbench, intake, list, detail: thin views over the disputes services and selectors."""

from __future__ import annotations

from io import BytesIO

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods, require_POST

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.http import case_user
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.paging import CappedPaginator
from suyuan.network.selectors import recordable_regions, region_label_by_path
from suyuan.parties.services import PartyInput
from suyuan.rules import thresholds

from .. import guidance, permissions, selectors, services
from ..assignment import ASSIGNER_ROLES, assignee_options
from ..choices import Channel
from ..exporting import disputes_workbook
from ..forms import DisputeEditForm, DisputeFilterForm, DisputeForm, EvidenceForm
from ..models import Dispute, Evidence
from ..progress import progress_of
from ..stage_rows import load_stage_rows


def _user(request: HttpRequest) -> User:
    return case_user(request, "纠纷内容")


def _own_party_input(user: User) -> PartyInput | None:
    if user.role != Role.PARTY or user.party is None:
        return None
    p = user.party
    return PartyInput(kind=p.kind, name=p.name, id_number=p.id_number, credit_code=p.credit_code,
                      phone=p.phone, address=p.address)


@login_required
@require_http_methods(["GET", "POST"])
def dispute_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    channels = [(c, Channel(c).label) for c in Channel.values
                if c in permissions.allowed_channels(user) and c != Channel.BATCH]
    if not channels:
        raise NotPermitted("您的角色不能登记纠纷。")
    form = DisputeForm(request.POST or None, channels=channels, regions=recordable_regions(user),
                       own_party=_own_party_input(user))
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.record_dispute(actor=user, origin=Origin.from_request(request), data=form.to_input())
        except InvalidInput as exc:
            form.add_service_errors(exc.errors)
        else:
            messages.success(request, _recorded_message(user, recorded.dispute.number))
            return redirect("disputes:detail", number=recorded.dispute.number)
    return render(request, "disputes/create.html", {
        "form": form, "questions": guidance.QUESTIONS, "risk_notice": guidance.RISK_NOTICE,
        "show_risk_notice": user.role == Role.PARTY,
    })


def _recorded_message(user: User, number: str) -> str:
    """Addressed to whoever recorded it: the party themself, or staff acting for a party."""
    if user.role == Role.PARTY:
        return (f"您的纠纷已登记，编号 {number}。我们会尽快安排调解，进展会通过站内消息和短信告诉您；"
                "您也可以随时在“我的纠纷”中查看。")
    return f"纠纷已登记，编号 {number}。请告知当事人凭此编号查询进度。"


@login_required
def fee_estimate(request: HttpRequest) -> JsonResponse:
    """The acceptance fee a claim of this amount would cost, from the rules (诉讼费用交纳办法)."""
    try:
        amount = services.parse_amount(request.GET.get("amount", ""))
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    estimate = thresholds.acceptance_fee(amount, on=timezone.localdate()) if amount is not None else None
    if estimate is None:
        return JsonResponse({"error": "请填写标的额后估算诉讼费。"}, status=400)
    return JsonResponse({
        "full": str(estimate.full), "half": str(estimate.half), "citation": estimate.citation,
        "half_grounds": [g.label for g in estimate.half_fee_grounds],
        "relief": [{"code": c, "label": label, "text": text} for c, label, text in estimate.relief_options],
        "relief_citation": estimate.relief_citation,
    })


def _filters(form: DisputeFilterForm) -> selectors.DisputeFilters:
    if not form.is_valid():
        return selectors.DisputeFilters()
    d = form.cleaned_data
    return selectors.DisputeFilters(
        q=d.get("q") or "", status=d.get("status") or "", category=d.get("category") or "",
        channel=d.get("channel") or "", region_code=d.get("region_code") or "",
        date_from=d.get("date_from"), date_to=d.get("date_to"), sort=d.get("sort") or "-created_at",
    )


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DisputeFilterForm(request.GET or None)
    qs = selectors.dispute_list(user, _filters(form))
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "disputes/list.html", {"form": form, "page": page})


@login_required
def dispute_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role == Role.PARTY:
        raise NotPermitted("导出功能供工作人员使用。")
    filters = _filters(DisputeFilterForm(request.GET or None))
    qs = selectors.dispute_list(user, filters)[:10000]
    buffer = BytesIO()
    count = disputes_workbook(qs, buffer)
    used = {k: str(v) for k, v in filters.__dict__.items() if v}
    record_audit(actor=user, action=AuditAction.EXPORT, origin=Origin.from_request(request),
                 target_type="dispute_list", detail={"rows": count, "filters": used})
    buffer.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(buffer, as_attachment=True, filename=f"纠纷清单-{stamp}.xlsx")  # type: ignore[return-value]


def _detail_context(user: User, number: str, *, reveal: bool = False) -> dict[str, object]:
    dispute = selectors.get_visible_dispute_page(user, number)
    parties = selectors.parties_of(dispute, remember=True)  # the mediation panel lists the same parties
    own_party_id = user.party_id if user.role == Role.PARTY else None
    rows = []
    for dp in parties:
        full = reveal or dp.party_id == own_party_id
        p = dp.party
        rows.append({
            "role": dp.get_role_display(), "name": p.name, "kind": p.get_kind_display(),
            "identity": p.identity_number if full else p.masked_identity,
            "phone": p.phone if full else p.masked_phone,
            "address": p.address if full else p.masked_address,
        })
    return {
        "dispute": dispute,
        "region_label": region_label_by_path(dispute.region),
        "parties": rows,
        "claims": list(dispute.claims.all()),
        "evidence": list(dispute.evidence.all()),
        "events": list(selectors.timeline(dispute)),
        "clocks": list(dispute.clocks.exclude(status="cancelled").order_by("status", "due_on")),
        "revealed": reveal,
        "can_reveal": permissions.sees_full_personal_data(user) and not reveal,
        "can_edit": permissions.can_edit_details(user, dispute),
        "can_add_evidence": permissions.can_add_evidence(user, dispute),
        "can_follow_up": permissions.can_follow_up(user, dispute),
        "evidence_form": EvidenceForm(),
        "assign_options": assignee_options(user) if user.role in ASSIGNER_ROLES else [],
    }


def _stage_panels(request: HttpRequest, dispute: Dispute) -> list[dict[str, object]]:
    """The stage apps' panels (mediation, litigation, enforcement …), configured in settings.

    Imported by name at run time: the dispute page shows later stages without the disputes app
    depending on them (the import contract keeps stages above disputes).
    """
    panels = []
    load_stage_rows([dispute])  # one query: the panels skip the stage tables with no row on the dispute
    for path, template in settings.SUYUAN_DISPUTE_PANELS:
        if not django_apps.is_installed(".".join(path.split(".")[:2])):
            continue
        build = import_string(path)
        context = build(request, dispute)
        if context is not None:
            panels.append({"template": template, "context": context})
    return panels


@login_required
def dispute_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    context = _detail_context(user, number)
    context["panels"] = _stage_panels(request, context["dispute"])  # type: ignore[arg-type]
    context["progress"] = progress_of(context["dispute"], events=context["events"],  # type: ignore[arg-type]
                                      clocks=context["clocks"])  # type: ignore[arg-type]
    return render(request, "disputes/detail.html", context)


@login_required
@require_POST
def reveal_personal_data(request: HttpRequest, number: str) -> HttpResponse:
    """Show full ID numbers, phones and addresses to a role that needs them; audited."""
    user = _user(request)
    if not permissions.sees_full_personal_data(user):
        raise NotPermitted("您的角色无需查看当事人完整个人信息。")
    context = _detail_context(user, number, reveal=True)
    record_audit(actor=user, action=AuditAction.READ_PERSONAL_DATA, origin=Origin.from_request(request),
                 target_type="dispute", target_id=number, detail={"parties": len(context["parties"])})  # type: ignore[arg-type]
    return render(request, "disputes/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dispute_edit(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    dispute = selectors.get_visible_dispute(user, number)
    if not permissions.can_edit_details(user, dispute):
        raise NotPermitted("当前状态下您不能修改该纠纷。")
    initial = {"version": dispute.version, "category": dispute.category,
               "amount": dispute.amount if dispute.amount is not None else "", "description": dispute.description}
    form = DisputeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_dispute_details(
                actor=user, origin=Origin.from_request(request), number=number, expected_version=d["version"],
                description=d["description"], amount=d["amount"], category=d["category"],
            )
        except Conflict as exc:
            form.add_error(None, exc.message)
        except InvalidInput as exc:
            for field, msgs in exc.errors.items():
                for m in msgs:
                    form.add_error(field if field in form.fields else None, m)
        else:
            messages.success(request, "已保存修改，并记入时间线。")
            return redirect("disputes:detail", number=number)
    return render(request, "disputes/edit.html", {"form": form, "dispute": dispute})


@login_required
@require_POST
def evidence_upload(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        raise InvalidInput("请选择要上传的证据文件。", errors={k: [str(e) for e in v] for k, v in form.errors.items()})
    services.add_evidence(actor=user, origin=Origin.from_request(request), number=number,
                          upload=form.cleaned_data["file"], description=form.cleaned_data["description"])
    messages.success(request, "证据已上传，并记入时间线。")
    return redirect("disputes:detail", number=number)


@login_required
def evidence_download(request: HttpRequest, number: str, evidence_id: int) -> FileResponse:
    user = _user(request)
    dispute = selectors.get_visible_dispute(user, number)
    evidence = Evidence.objects.filter(dispute=dispute, pk=evidence_id).first()
    if evidence is None:
        raise NotFound()
    return evidence_file_response(request, user, evidence, detail={"dispute": number})


def evidence_file_response(request: HttpRequest, user: User, evidence: Evidence,
                           detail: dict[str, object]) -> FileResponse:
    """The file as a download, its reading audited; the caller has checked the user may read it."""
    record_audit(actor=user, action=AuditAction.READ_FILE, origin=Origin.from_request(request),
                 target_type="evidence", target_id=evidence.pk, detail=detail)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def party_flags(request: HttpRequest) -> HttpResponse:
    """Possible same-person records for a clerk to check (never merged silently)."""
    user = _user(request)
    if user.role not in {Role.CLERK, Role.JUDGE}:
        raise NotPermitted("仅法院立案、审判人员核实疑似重复当事人。")
    if request.method == "POST":
        try:
            flag_id = int(request.POST.get("flag", ""))
        except ValueError as exc:
            raise InvalidInput("请求无效。") from exc
        services.review_party_match(actor=user, origin=Origin.from_request(request), flag_id=flag_id,
                                    same_person=request.POST.get("decision") == "same")
        messages.success(request, "已记录核实结论。")
        return redirect("disputes:party_flags")
    page = Paginator(selectors.party_match_flags(user), 25).get_page(request.GET.get("page"))
    return render(request, "disputes/party_flags.html", {"page": page})


@login_required
@require_POST
def follow_up(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    services.add_follow_up(actor=user, origin=Origin.from_request(request), number=number,
                           text=request.POST.get("text", ""))
    messages.success(request, "跟进记录已保存。")
    return redirect("disputes:detail", number=number)
