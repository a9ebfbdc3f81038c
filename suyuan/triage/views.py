"""Triage pages: the proposal for one dispute with the clerk's decision form, and the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import get_visible_dispute
from suyuan.disputes.stage_rows import has_rows

from . import permissions, selectors, services
from .causes import higher_levels
from .choices import Path, Track, TriageTask
from .models import TriageProposal
from .stage_rows import DECISION_ROWS, PROPOSAL_ROWS


def _clerk(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not permissions.can_triage(user):
        raise NotPermitted("只有立案人员或法官可以使用繁简分流。")
    return user


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, number: str) -> HttpResponse:
    user = _clerk(request)
    dispute = get_visible_dispute(user, number)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        decisions = {
            task: (request.POST.get(task, ""), request.POST.get(f"{task}_reason", ""))
            for task in TriageTask.values if request.POST.get(task) is not None
        }
        try:
            services.decide_triage(actor=user, origin=Origin.from_request(request), number=number, decisions=decisions)
        except InvalidInput as exc:
            errors = exc.errors
            messages.error(request, exc.message)
        else:
            messages.success(request, "分流决定已保存并记入时间线。")
            return redirect("triage:proposal", number=number)
    context = {
        "dispute": dispute, "proposal": services.propose_triage(dispute), "errors": errors,
        "tracks": Track.choices, "paths": Path.choices, "higher_levels": higher_levels(),
        "decisions": selectors.visible_decisions(user).filter(dispute=dispute).select_related("decided_by"),
    }
    return render(request, "triage/proposal.html", context, status=400 if errors else 200)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user = _clerk(request)
    return render(request, "triage/report.html", {"report": selectors.agreement_report(user)})


def panel_context(request: HttpRequest, dispute: Dispute) -> dict[str, Any] | None:
    """For ``triage/_dispute_panel.html``: the proposal stored when the dispute arrived, for the
    clerks and judges who triage (the caller has checked the dispute is visible)."""
    user = request.user
    if not isinstance(user, User) or not permissions.can_triage(user):
        return None
    # Each look-up skipped when the page's stage-rows probe found no row of its table on the dispute.
    stored = TriageProposal.objects.filter(dispute=dispute).first() if has_rows(dispute, PROPOSAL_ROWS) else None
    decided = (has_rows(dispute, DECISION_ROWS)
               and selectors.visible_decisions(user).filter(dispute=dispute).exists())
    return {"stored": stored, "causes": stored.detail.get("causes", [])[:3] if stored else [], "decided": decided}


def queue_cells(request: HttpRequest, disputes: list[Dispute]) -> dict[int, SafeString] | None:
    """For the workbench queue (``SUYUAN_QUEUE_COLUMNS``, a column without a template): each listed
    dispute's stored proposal as the cell's HTML, for the clerks and judges who triage; the queue
    already holds only disputes they may see."""
    user = request.user
    if not isinstance(user, User) or not permissions.can_triage(user):
        return None
    stored = TriageProposal.objects.filter(dispute__in=[d.pk for d in disputes])
    return {p.dispute_id: queue_cell_html(p) for p in stored}


MANUAL = "请人工选择"


def queue_cell_html(p: TriageProposal) -> SafeString:
    """The proposal in one queue cell: built in Python, not a template included 50 times a page
    (issue 16, P5); the markup the cell template wrote (``tests/test_queue_cell.py`` compares them)."""
    detail = p.detail if isinstance(p.detail, dict) else {}
    causes = (detail.get("causes") or [])[:3]
    reasons = [*detail.get("decision_reasons", []), *(detail.get("causes") or [{}])[0].get("reasons", [])]
    track, path = escape(p.get_track_display()), escape(p.get_path_display())
    if detail.get("decision") == MANUAL:
        listed = "、".join(f"{escape(_key(c, 'label'))}（置信度 {floatformat(_key(c, 'confidence'), 2)}）"
                          for c in causes)
        head = (f'<span class="triage-cell"><strong class="triage-decision">{MANUAL}</strong>：{listed}'
                f" · {track} · {path}</span>\n")
    else:
        mark = '<strong class="triage-decision">建议</strong> ' if detail.get("decision") else ""
        head = (f'<span class="triage-cell">{mark}{escape(p.cause)}（置信度 {floatformat(p.cause_confidence, 2)}）'
                f"· {track} · {path}</span>\n")
    tail = ""
    if reasons:
        tail = ("<details><summary>理由</summary><ul>" + "".join(f"<li>{escape(r)}</li>" for r in reasons)
                + "</ul></details>")
    return mark_safe(head + "\n" + tail + "\n")  # noqa: S308  (every value escaped; the rest is our markup)


def _key(item: Any, key: str) -> Any:
    """``{{ item.key }}`` of a stored JSON value: the entry, or "" when there is none."""
    return item.get(key, "") if isinstance(item, dict) else ""
