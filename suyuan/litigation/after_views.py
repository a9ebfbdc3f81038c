"""Pages after judgment: service records and appeal periods on the case page, the service, appeal,
retrial and judicial-aid forms. Thin: parse, call one service, redirect with its Chinese message."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.models import Evidence
from suyuan.disputes.views.pages import evidence_file_response

from . import after_selectors, appeals, judicial_aid, retrial, second_instance, serving
from .choices import AppealOutcome, CaseStatus, CaseType, Procedure, RetrialKind, ServiceMethod
from .models import Case
from .selectors import visible_cases
from .views import _act, _date, _int, _origin, _user

COURT = {Role.CLERK, Role.JUDGE}


def context(user: User, case: Case) -> dict[str, Any]:
    """What the case page shows after judgment, for this user."""
    state = serving.judgment_effectiveness(case)
    own_party = user.party_id if user.role == Role.PARTY else None
    rows = [r for r in state.parties if own_party is None or r.party.pk == own_party] if state else []
    is_court = user.role in COURT
    return {
        "effectiveness": state, "period_rows": rows,
        "service_records": after_selectors.service_records_of(user, case),
        "case_parties": serving.parties_of(case) if is_court else [],
        "service_methods": ServiceMethod.choices,
        "appeals": case.appeals.select_related("second_case", "upper_court", "party").order_by("filed_on", "pk"),
        "can_serve": is_court and case.status in serving.SERVABLE and case.case_type == "民初",
        "can_appeal": user.role in {Role.PARTY, Role.CLERK} and case.status in serving.SERVABLE
                      and case.case_type == "民初" and case.procedure != Procedure.SMALL_CLAIMS,
        "retrials": after_selectors.visible_retrials(user).filter(case=case).select_related("court"),
        "retrial_kinds": RetrialKind.choices,
        "can_apply_retrial": user.role in {Role.PARTY, Role.CLERK} and state is not None
                             and state.state in {"final", "effective"},
        "aids": after_selectors.visible_aids(user).filter(case=case),
        "can_apply_aid": user.role in {Role.PARTY, Role.CLERK} and case.status not in {
            CaseStatus.REFUSED, CaseStatus.WITHDRAWN},
        "is_judge": user.role == Role.JUDGE,
        "appealed_from": case.appeals_heard.select_related("case").first(),
        "appeal_outcomes": AppealOutcome.choices,
        "can_decide_appeal": user.role == Role.JUDGE and case.case_type == CaseType.CIVIL_SECOND
                             and user.organisation is not None and user.organisation.court() == case.court,
        # The file (卷宗) includes the evidence: the court that sees the case sees it too, so the court of
        # second instance reads it without seeing the dispute's other records.
        "case_evidence": Evidence.objects.filter(dispute_id=case.dispute_id) if is_court else [],
    }


def _back(pk: int, anchor: str) -> str:
    return reverse("litigation:case", args=[pk]) + anchor


@login_required
@require_POST
def serve(request: HttpRequest, pk: int) -> HttpResponse:
    user, post = _user(request), request.POST
    return _act(request, _back(pk, "#service"), lambda: serving.serve_document(
        actor=user, origin=_origin(request), case_id=pk, party_id=_int(post.get("party")) or 0,
        method=post.get("method", ""), sent_on=_date(post.get("sent_on"), "sent_on") or serving._today(),
        receipt=post.get("receipt", ""), tracking_number=post.get("tracking_number", ""),
        address=post.get("address", "")), "已记录送达。")


@login_required
@require_POST
def service_consent(request: HttpRequest, pk: int) -> HttpResponse:
    user, post = _user(request), request.POST
    return _act(request, _back(pk, "#service"), lambda: serving.record_service_consent(
        actor=user, origin=_origin(request), case_id=pk, party_id=_int(post.get("party")) or 0,
        address=post.get("address", "")), "已记录电子送达同意。")


@login_required
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    user, post = _user(request), request.POST
    return _act(request, _back(pk, "#appeals"), lambda: appeals.file_appeal(
        actor=user, origin=_origin(request), case_id=pk, grounds=post.get("grounds", ""),
        party_id=_int(post.get("party")), filed_on=_date(post.get("filed_on"), "filed_on")),
        "已提起上诉，卷宗已移送第二审法院。")


@login_required
@require_POST
def apply_retrial(request: HttpRequest, pk: int) -> HttpResponse:
    user, post = _user(request), request.POST
    return _act(request, _back(pk, "#retrial"), lambda: retrial.apply_for_retrial(
        actor=user, origin=_origin(request), case_id=pk, grounds=post.get("grounds", ""),
        kind=post.get("kind", RetrialKind.RETRIAL), applicant_id=_int(post.get("party")),
        received_on=_date(post.get("received_on"), "received_on")), "已接收申请，进入立案前审查。")


@login_required
@require_POST
def retrial_act(request: HttpRequest, pk: int) -> HttpResponse:
    user, post = _user(request), request.POST
    case_id = _int(post.get("case")) or 0
    action = post.get("action", "")
    if action == "review":
        return _act(request, _back(case_id, "#retrial"), lambda: retrial.review_retrial(
            actor=user, origin=_origin(request), retrial_id=pk, explanation=post.get("explanation", "")),
            "已记录释明内容。")
    return _act(request, _back(case_id, "#retrial"), lambda: retrial.decide_retrial(
        actor=user, origin=_origin(request), retrial_id=pk, accept=action == "accept",
        reasons=post.get("reasons", "")), "已作出决定。")


@login_required
@require_POST
def apply_aid(request: HttpRequest, pk: int) -> HttpResponse:
    user, post = _user(request), request.POST
    return _act(request, _back(pk, "#judicial-aid"), lambda: judicial_aid.apply_for_judicial_aid(
        actor=user, origin=_origin(request), case_id=pk, grounds=post.get("grounds", ""),
        documents=post.get("documents", ""), applicant_id=_int(post.get("party"))), "已提交司法救助申请。")


@login_required
@require_POST
def aid_act(request: HttpRequest, pk: int) -> HttpResponse:
    user, post = _user(request), request.POST
    case_id = _int(post.get("case")) or 0
    action = post.get("action", "")
    if action == "review":
        return _act(request, _back(case_id, "#judicial-aid"), lambda: judicial_aid.review_judicial_aid(
            actor=user, origin=_origin(request), aid_id=pk, note=post.get("note", "")), "已开始审查。")
    return _act(request, _back(case_id, "#judicial-aid"), lambda: judicial_aid.decide_judicial_aid(
        actor=user, origin=_origin(request), aid_id=pk, grant=action == "grant", reasons=post.get("reasons", ""),
        amount=post.get("amount", "")), "已作出决定。")


@login_required
@require_POST
def decide_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    user, post = _user(request), request.POST
    days = post.get("perform_within_days", "").strip()
    return _act(request, _back(pk, "#appeal-decision"), lambda: second_instance.decide_appeal(
        actor=user, origin=_origin(request), case_id=pk, outcome=post.get("outcome", ""),
        main_text=post.get("main_text", "")[:5000], reasons=post.get("reasons", "")[:2000],
        amount=post.get("amount", "").strip() or None, perform_within_days=_days(days),
        pronounced_on=_date(post.get("pronounced_on"), "pronounced_on"),
        served_on=_date(post.get("served_on"), "served_on"),
        expected_version=_int(post.get("version"))), "二审裁判已录入。")


def _days(raw: str) -> int | None:
    if not raw:
        return None
    value = _int(raw)
    if value is None:
        raise InvalidInput("履行期间应为整数日。", errors={"perform_within_days": ["请填写整数日数。"]})
    return value


@login_required
def case_evidence(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """A piece of evidence of the case's dispute, for the court staff who see the case (audited)."""
    user = _user(request)
    if user.role not in COURT or not visible_cases(user).filter(pk=pk).exists():
        raise NotFound()
    evidence = Evidence.objects.filter(pk=evidence_id, dispute__cases__pk=pk).first()
    if evidence is None:
        raise NotFound()
    return evidence_file_response(request, user, evidence, detail={"case": pk})
