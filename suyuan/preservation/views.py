"""Pages of the preservation stage: thin views over the services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.http import case_user
from suyuan.accounts.models import User
from suyuan.assets.choices import AssetKind as AssetsKind
from suyuan.assets.views import holder_panel
from suyuan.common.errors import InvalidInput, NotFound
from suyuan.common.views import int_or_none
from suyuan.disputes.models import Dispute, DisputeParty
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.stage_rows import has_rows
from suyuan.documents.choices import DocumentKind
from suyuan.documents.models import Document

from . import measures, ruling, selectors, services
from .choices import AssetKind, MeasureKind, MeasureStatus, PreservationKind
from .clocks import clock_rows
from .lifecycle import COURT, PRESERVATION
from .models import Preservation
from .stage_rows import PRESERVATION_ROWS


def _user(request: HttpRequest) -> User:
    return case_user(request, "案件内容")


def _may_record(user: User, dispute: Dispute) -> bool:
    court = user.organisation.court() if user.organisation else None
    return user.role in COURT and court is not None and dispute.court_id == court.pk


def panel_context(request: HttpRequest, dispute: Dispute) -> dict[str, Any] | None:
    """The preservation panel on the dispute page (None: nothing to show)."""
    user = request.user
    assert isinstance(user, User)
    rows = (list(selectors.visible_preservations(user).filter(dispute=dispute).prefetch_related("measures", "todos"))
            if has_rows(dispute, PRESERVATION_ROWS) else [])
    can_record = _may_record(user, dispute)
    if not rows and not can_record:
        return None
    now = timezone.now()
    return {
        "preservations": [{"p": p, "clocks": clock_rows(p, now), "todos": [t for t in p.todos.all() if not t.done_at],
                           "measures": [m for m in p.measures.all() if m.status == MeasureStatus.ACTIVE]}
                          for p in rows],
        "can_record": can_record,
    }


def _parties(dispute: Dispute) -> list[DisputeParty]:
    return list(DisputeParty.objects.filter(dispute=dispute).select_related("party").order_by("pk"))


@login_required
def new(request: HttpRequest, dispute_pk: int) -> HttpResponse:
    user = _user(request)
    dispute = visible_disputes(user).filter(pk=dispute_pk).first()
    if dispute is None or not _may_record(user, dispute):
        raise NotFound()
    context: dict[str, Any] = {"dispute": dispute, "parties": _parties(dispute), "kinds": PreservationKind.choices,
                               "post": request.POST, "clue_kinds": AssetsKind.choices, "clue_rows": _clue_rows(request)}
    if request.method == "POST":
        post = request.POST
        data = services.PreservationInput(
            kind=post.get("kind", ""), respondent_party_id=_int(post.get("respondent")),
            applicant_party_id=_int(post.get("applicant")), amount=post.get("amount", ""),
            clues=post.get("clues", ""), security_amount=post.get("security_amount", ""),
            security_note=post.get("security_note", ""), by_court=post.get("by_court") == "on",
            urgent=post.get("urgent") == "on", clue_items=_clues(request),
        )
        try:
            p = services.apply_preservation(actor=user, origin=Origin.from_request(request), dispute_id=dispute.pk,
                                            data=data)
        except InvalidInput as exc:
            context.update(error=exc.message, errors=[m for ms in exc.errors.values() for m in ms])
            return render(request, "preservation/new.html", context, status=400)
        messages.success(request, "保全申请已登记。")
        return redirect("preservation:detail", pk=p.pk)
    return render(request, "preservation/new.html", context)


CLUE_ROWS = 3
CLUE_FIELDS = ("kind", "institution", "identifier", "value")


def _clue_rows(request: HttpRequest) -> list[dict[str, str]]:
    """The clue rows of the form (as posted, so a refused form keeps what was typed)."""
    post = request.POST
    return [{"n": str(i), **{f: post.get(f"clue_{i}_{f}", "") for f in CLUE_FIELDS}} for i in range(1, CLUE_ROWS + 1)]


def _clues(request: HttpRequest) -> tuple[services.ClueInput, ...]:
    rows = [r for r in _clue_rows(request) if r["institution"].strip() or r["identifier"].strip()]
    return tuple(services.ClueInput(kind=r["kind"], institution=r["institution"], identifier=r["identifier"],
                                    value=r["value"]) for r in rows)


_int = int_or_none


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    p = selectors.visible_preservations(user).select_related("dispute", "court", "case", "applicant",
                                                                "respondent").filter(pk=pk).first()
    if p is None:
        raise NotFound()
    actions = {r.action for r in PRESERVATION.available(p, user)}
    staff = user.role in COURT and PRESERVATION.in_scope(p, user)
    # A measure carried into enforcement runs on there: the enforcement officer renews it too.
    renews_carried = (staff or user.role == Role.ENFORCEMENT) and PRESERVATION.in_scope(p, user)
    return render(request, "preservation/detail.html", {
        "p": p, "clocks": clock_rows(p, timezone.now()), "measures": p.measures.all(),
        "todos": p.todos.all(), "actions": actions, "staff": staff, "renews_carried": renews_carried,
        "can_measure": staff and p.status in measures.OPEN, "asset_kinds": AssetKind.choices,
        "measure_kinds": MeasureKind.choices, "over": measures.over_claim(p, Decimal("0")),
        # The one asset adapter: clues given with the application, network searches for the respondent.
        "ruling_documents": Document.objects.filter(dispute=p.dispute,
                                                    kind=DocumentKind.PRESERVATION_RULING).order_by("-version")
                            if p.number else [],
        # What is left to preserve after the clerk's recorded measures; measures only while it is open.
        "assets_panel": holder_panel(request, p.ref, p.amount - p.recorded_total, dispute=p.dispute,
                                     can_place=p.status in measures.OPEN),
    })


def _act(request: HttpRequest, pk: int, done: str, call: Callable[[User, Origin], Any]) -> HttpResponse:
    user = _user(request)
    if not selectors.visible_preservations(user).filter(pk=pk).exists():
        raise NotFound()
    try:
        call(user, Origin.from_request(request))
    except InvalidInput as exc:
        messages.error(request, exc.message)
        for field_messages in exc.errors.values():
            for m in field_messages:
                if m != exc.message:
                    messages.error(request, m)
    else:
        messages.success(request, done)
    return redirect("preservation:detail", pk=pk)


def _version(request: HttpRequest) -> int | None:
    return _int(request.POST.get("version"))


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "已受理保全申请。", lambda u, o: services.accept_preservation(
        actor=u, origin=o, preservation_id=pk, urgent=request.POST.get("urgent") == "on",
        expected_version=_version(request)))


@login_required
@require_POST
def rule(request: HttpRequest, pk: int) -> HttpResponse:
    grant = request.POST.get("decision") == "grant"
    return _act(request, pk, "已作出保全裁定。", lambda u, o: services.rule_preservation(
        actor=u, origin=o, preservation_id=pk, grant=grant, reason=request.POST.get("reason", ""),
        expected_version=_version(request)))


@login_required
@require_POST
def place(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(request, pk, "保全措施已登记。", lambda u, o: measures.place_measure(
        actor=u, origin=o, preservation_id=pk, asset_kind=post.get("asset_kind", ""), asset=post.get("asset", ""),
        kind=post.get("kind", ""), amount=post.get("amount", ""), over_reason=post.get("over_reason", ""),
        starts_on=_date(post.get("starts_on", ""))))


def _date(value: str) -> Any:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise InvalidInput("日期应为 YYYY-MM-DD 格式。") from exc


@login_required
@require_POST
def renew(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    return _act(request, pk, "已续行保全措施。",
                lambda u, o: measures.renew_measure(actor=u, origin=o, measure_id=_measure(pk, measure_pk)))


@login_required
@require_POST
def substitute(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    post = request.POST
    return _act(request, pk, "已变更保全标的物。", lambda u, o: measures.substitute_asset(
        actor=u, origin=o, measure_id=_measure(pk, measure_pk), asset_kind=post.get("asset_kind", ""),
        asset=post.get("asset", ""), value=post.get("value", ""), reason=post.get("reason", "")))


def _measure(pk: int, measure_pk: int) -> int:
    if not Preservation.objects.filter(pk=pk, measures__pk=measure_pk).exists():
        raise NotFound()
    return measure_pk


@login_required
@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "已确认解除保全。", lambda u, o: services.lift_preservation(
        actor=u, origin=o, preservation_id=pk, reason=request.POST.get("reason", ""),
        expected_version=_version(request)))


@login_required
@require_POST
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "保全措施已转为执行措施。",
                lambda u, o: services.transfer_preservation(actor=u, origin=o, preservation_id=pk))


@login_required
@require_POST
def arbitration(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "已登记仲裁申请，保全随案。", lambda u, o: services.record_arbitration(
        actor=u, origin=o, preservation_id=pk, note=request.POST.get("note", "")))





@login_required
@require_POST
def ruling_document(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "已生成民事裁定书（财产保全）。",
                lambda u, o: ruling.render_ruling(actor=u, origin=o, preservation_id=pk))
