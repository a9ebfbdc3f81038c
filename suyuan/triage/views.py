"""Triage pages: the proposal for one dispute with the clerk's decision form, and the report."""

from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal
from html import escape as html_escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
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
    stored = (TriageProposal.objects.filter(dispute__in=[d.pk for d in disputes])
              .values_list("dispute_id", "cause", "cause_confidence", "track", "path", "detail", named=True))
    return {p.dispute_id: queue_cell_html(p) for p in stored}


MANUAL = "请人工选择"


def queue_cell_html(p: Any) -> SafeString:
    """The proposal in one queue cell: built in Python, not a template included 50 times a page
    (issue 16, P5); the markup the cell template wrote (``tests/test_queue_cell.py`` compares them).
    ``p``: a ``TriageProposal`` or a row with its ``cause``, ``cause_confidence``, ``track``, ``path``
    and ``detail``."""
    detail = p.detail if isinstance(p.detail, dict) else {}
    causes = (detail.get("causes") or [])[:3]
    reasons = [*detail.get("decision_reasons", []), *(detail.get("causes") or [{}])[0].get("reasons", [])]
    track = _escape(_labels("track").get(p.track, p.track))  # what get_track_display gives
    path = _escape(_labels("path").get(p.path, p.path))
    if detail.get("decision") == MANUAL:
        listed = "、".join(f"{_escape(_key(c, 'label'))}（置信度 {_two_places(_key(c, 'confidence'))}）"
                          for c in causes)
        head = (f'<span class="triage-cell"><strong class="triage-decision">{MANUAL}</strong>：{listed}'
                f" · {track} · {path}</span>\n")
    else:
        mark = '<strong class="triage-decision">建议</strong> ' if detail.get("decision") else ""
        head = (f'<span class="triage-cell">{mark}{_escape(p.cause)}（置信度 {_two_places(p.cause_confidence)}）'
                f"· {track} · {path}</span>\n")
    tail = ""
    if reasons:
        tail = ("<details><summary>理由</summary><ul>" + "".join(f"<li>{_escape(r)}</li>" for r in reasons)
                + "</ul></details>")
    return mark_safe(head + "\n" + tail + "\n")  # noqa: S308  (every value escaped; the rest is our markup)


def _escape(value: object) -> str:
    """``django.utils.html.escape`` (``html.escape`` of ``str(value)``) without its lazy-string wrapper,
    which cost more than the escaping on a page of 50 rows: the same text."""
    return html_escape(str(value))


_CENT = Decimal("0.01")


@functools.cache
def _labels(field: str) -> dict[str, str]:
    """A choice field's labels (the field's choices are code)."""
    return {str(k): str(v) for k, v in TriageProposal._meta.get_field(field).flatchoices}  # type: ignore[union-attr]


def _two_places(value: Any) -> str:
    """``{{ value|floatformat:2 }}`` of a confidence: a float below 1000 rounded half up to two places
    as ``floatformat`` rounds it (its decimal form, not its binary one), a third of the cell's time
    spared; anything else through ``floatformat`` itself."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1000:
        rounded = Decimal(repr(value)).quantize(_CENT, ROUND_HALF_UP)
        text = str(rounded) if rounded else "0.00"  # no "-0.00", as floatformat
        separator = get_format("DECIMAL_SEPARATOR")
        return text if separator == "." else text.replace(".", separator)
    return str(floatformat(value, 2))


def _key(item: Any, key: str) -> Any:
    """``{{ item.key }}`` of a stored JSON value: the entry, or "" when there is none."""
    return item.get(key, "") if isinstance(item, dict) else ""
