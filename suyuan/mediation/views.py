"""Mediation pages: the organisation's queue, the mediator's referrals, a referral, the party's consents.

Thin: parse the form, call one service or selector, render. A refused step comes back as a
message on the page it was taken from (never a 500, never a half-written record).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.http import request_user
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
from suyuan.common.views import int_or_none, run_step
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.stage_rows import has_rows
from suyuan.documents.selectors import signed_parties

from . import agreements, consent, selectors, services
from .choices import AgreementStatus, ConsentKind, ConsentVia, OfferStatus, ReferralStatus, SessionMode
from .lifecycle import AGREEMENT, REFERRAL
from .models import LocalMeeting, Referral
from .stage_rows import CONSENT_ROWS, REFERRAL_ROWS

MAX_INSTALMENTS = 12


_user = request_user


_int = int_or_none


def _datetime(value: str) -> datetime | None:
    parsed = parse_datetime(value.strip()) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _date(value: str) -> date | None:
    try:
        return parse_date(value.strip()) if value else None
    except ValueError:
        return None


_origin = Origin.from_request


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------

@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role == Role.ORG_ADMIN:
        return redirect("mediation:queue")
    if user.role == Role.MEDIATOR:
        return redirect("mediation:mine")
    if user.role == Role.PARTY:
        return redirect("mediation:consents")
    referrals = selectors.visible_referrals(user).select_related("dispute", "organisation", "mediator")[:100]
    return render(request, "mediation/list.html", {"referrals": referrals, "title": "调解委派"})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role != Role.ORG_ADMIN:
        raise NotFound()
    status = request.GET.get("status", "")
    status = status if status in ReferralStatus.values else ""
    referrals = selectors.organisation_queue(user, status=status)[:200]
    return render(request, "mediation/queue.html", {
        "referrals": referrals, "status": status, "statuses": ReferralStatus.choices,
    })


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role != Role.MEDIATOR:
        raise NotFound()
    referrals = selectors.mediator_referrals(user)[:200]
    rows = [{"referral": r, "actions": REFERRAL.available(r, user, {"reason": "-"})} for r in referrals]
    return render(request, "mediation/mine.html", {"rows": rows})


# ---------------------------------------------------------------------------------------------
# A referral
# ---------------------------------------------------------------------------------------------

def referral_context(user: User, referral: Referral) -> dict[str, Any]:
    dispute = referral.dispute
    agreement = selectors.agreement_of(referral)
    parties = selectors.mediation_parties(dispute)
    latest = selectors.current_consents(dispute)
    consent_rows = [
        {"party": p, "cells": [latest.get((p.pk, kind)) for kind in ConsentKind.values]} for p in parties
    ]
    signed = signed_parties(agreement.document) if agreement is not None and agreement.document else set()
    available = {r.action for r in REFERRAL.available(referral, user, {"reason": "-"})}
    dispatchable = user.role == Role.ORG_ADMIN and referral.status in (
        ReferralStatus.REFERRED, ReferralStatus.ASSIGNED, ReferralStatus.DECLINED)
    own_party = user.party_id if user.role == Role.PARTY else None
    return {
        "referral": referral,
        "dispute": dispute,
        "sessions": list(referral.sessions.all()),
        "offers": list(referral.offers.select_related("proposed_by_party")),
        "agreement": agreement,
        "agreement_actions": {r.action for r in AGREEMENT.available(agreement, user)} if agreement else set(),
        "signatures": [{"party": p, "signed": p.pk in signed} for p in parties],
        "can_sign": (agreement is not None and agreement.status == AgreementStatus.AWAITING_SIGNATURES
                     and own_party is not None and own_party not in signed and any(p.pk == own_party for p in parties)),
        "parties": parties,
        "consent_kinds": ConsentKind.choices,
        "consent_rows": consent_rows,
        "consent_history": selectors.consent_history(dispute)[:50],
        "actions": available,
        "candidates": (selectors.recommend_mediators(dispute, referral.organisation, referral=referral)
                       if dispatchable else []),
        "dispatchable": dispatchable,
        "consent_gap": selectors.consent_gap(dispute),
        "is_mediator": user.role == Role.MEDIATOR and selectors.can_see_referral(user, referral),
        "is_party": own_party is not None,
        "own_party": own_party,
        "session_modes": SessionMode.choices,
        "vias": [c for c in ConsentVia.choices if c[0] != ConsentVia.ONLINE],
        "accepted_offers": [o for o in referral.offers.all() if o.status == OfferStatus.ACCEPTED],
        "instalment_rows": range(1, 5),
        "can_record_consent": user.role in consent.RECORDERS,
        "voluntary": DISPUTE.find(dispute.status, "perform_voluntarily") is not None
        and any(r.action == "perform_voluntarily" for r in DISPUTE.available(dispute, user)),
    }


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = selectors.get_referral(user, pk)
    return render(request, "mediation/referral.html", referral_context(user, referral))


def _back(pk: int) -> HttpResponse:
    return redirect("mediation:referral", pk=pk)


@login_required
@require_POST
def refer(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = _user(request)
    dispute = visible_disputes(user).filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    run_step(request, lambda: services.refer_dispute(
        actor=user, origin=_origin(request), dispute_id=dispute.pk,
        organisation_id=_int(request.POST.get("organisation")) or 0, note=request.POST.get("note", ""),
    ), "已委派调解组织。")
    return redirect("disputes:detail", number=dispute.number)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    mediator = _int(request.POST.get("mediator"))
    run_step(request, lambda: services.assign_mediator(
        actor=user, origin=_origin(request), referral_id=pk, mediator_id=mediator or 0), "已分派调解员。")
    return _back(pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    run_step(request, lambda: services.accept_referral(actor=user, origin=_origin(request), referral_id=pk),
         "已签收。")
    return _back(pk)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ok = run_step(request, lambda: services.decline_referral(
        actor=user, origin=_origin(request), referral_id=pk, reason=request.POST.get("reason", "")), "已拒收。")
    return redirect("mediation:mine") if ok else _back(pk)


@login_required
@require_POST
def session(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    run_step(request, lambda: services.schedule_session(
        actor=user, origin=_origin(request), referral_id=pk, mode=request.POST.get("mode", ""),
        scheduled_at=_datetime(request.POST.get("scheduled_at", "")), location=request.POST.get("location", ""),
        summary=request.POST.get("summary", ""),
    ), "已安排调解。")
    return _back(pk)


@login_required
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    run_step(request, lambda: services.make_offer(
        actor=user, origin=_origin(request), referral_id=pk, terms=request.POST.get("terms", ""),
        amount=request.POST.get("amount", ""), party_id=_int(request.POST.get("party")),
    ), "已提出调解方案。")
    return _back(pk)


@login_required
@require_POST
def offer_answer(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    user = _user(request)
    accept_it = request.POST.get("answer") == "accept"
    run_step(request, lambda: services.respond_to_offer(
        actor=user, origin=_origin(request), offer_id=offer_id, accept=accept_it), "已答复调解方案。")
    return _back(pk)


@login_required
@require_POST
def end(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    service = {"fail": services.fail_referral, "withdraw": services.withdraw_referral}.get(action)
    if service is None:
        raise NotFound()
    run_step(request, lambda: service(actor=user, origin=_origin(request), referral_id=pk,
                                  reason=request.POST.get("reason", "")), "已办结。")
    return _back(pk)


@login_required
@require_POST
def agreement_draft(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rows = [
        agreements.InstalmentInput(_date(request.POST.get(f"due_{n}", "")), request.POST.get(f"amount_{n}", ""))
        for n in range(1, MAX_INSTALMENTS + 1)
    ]
    run_step(request, lambda: agreements.draft_agreement(
        actor=user, origin=_origin(request), referral_id=pk, terms=request.POST.get("terms", ""),
        amount=request.POST.get("amount", ""), instalments=rows, offer_id=_int(request.POST.get("offer")),
    ), "已保存调解协议草稿。")
    return _back(pk)


@login_required
@require_POST
def agreement_step(request: HttpRequest, pk: int, agreement_id: int, action: str) -> HttpResponse:
    user = _user(request)
    origin = _origin(request)
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "issue": (lambda: agreements.issue_agreement(actor=user, origin=origin, agreement_id=agreement_id),
                  "已签署并送当事人签署。"),
        "revise": (lambda: agreements.revise_agreement(actor=user, origin=origin, agreement_id=agreement_id),
                   "已撤回修改。"),
        "sign": (lambda: agreements.sign_agreement(actor=user, origin=origin, agreement_id=agreement_id,
                                                   id_number=request.POST.get("id_number", "")), "已签署。"),
    }
    if action not in steps:
        raise NotFound()
    step, done = steps[action]
    run_step(request, step, done)
    return _back(pk)


@login_required
@require_POST
def voluntary(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = selectors.get_referral(user, pk)
    run_step(request, lambda: agreements.choose_voluntary_performance(
        actor=user, origin=_origin(request), dispute_id=referral.dispute_id), "已选择自动履行。")
    return _back(pk)


# ---------------------------------------------------------------------------------------------
# Consents
# ---------------------------------------------------------------------------------------------

@login_required
def consents(request: HttpRequest) -> HttpResponse:
    """A party's own disputes, their current will on each matter, and the buttons to change it."""
    user = _user(request)
    if user.role != Role.PARTY:
        raise NotFound()
    rows = []
    for dispute in selectors.party_consent_disputes(user):
        latest = selectors.current_consents(dispute)
        rows.append({
            "dispute": dispute,
            "referral": selectors.latest_referral(dispute),
            "items": [(kind, label, latest.get((user.party_id or 0, kind))) for kind, label in ConsentKind.choices],
        })
    return render(request, "mediation/consents.html", {"rows": rows})


@login_required
@require_POST
def consent_record(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = _user(request)
    given = request.POST.get("given") == "yes"
    party = user.party_id if user.role == Role.PARTY else _int(request.POST.get("party"))
    via = ConsentVia.ONLINE if user.role == Role.PARTY else request.POST.get("via", "")
    run_step(request, lambda: consent.record_consent(
        actor=user, origin=_origin(request), dispute_id=dispute_id, party_id=party or 0,
        kind=request.POST.get("kind", ""), given=given, via=via, note=request.POST.get("note", ""),
    ), "已记录。")
    back = request.POST.get("next", "")
    if back.startswith(("/mediation/", "/disputes/")):
        return redirect(back)
    return redirect("mediation:consents")


@login_required
def meeting(request: HttpRequest, ref: str) -> HttpResponse:
    """The local adapter's meeting room: only those who can see the referral get in."""
    user = _user(request)
    room = LocalMeeting.objects.filter(ref=ref).first()
    session_row = selectors.visible_referrals(user).filter(sessions__meeting_ref=ref).first() if room else None
    if room is None or session_row is None:
        raise NotFound()
    return render(request, "mediation/meeting.html", {"room": room, "referral": session_row})


# ---------------------------------------------------------------------------------------------
# Panel on the dispute page
# ---------------------------------------------------------------------------------------------

def panel_context(request: HttpRequest, dispute: Dispute) -> dict[str, Any] | None:
    """What ``mediation/_dispute_panel.html`` shows on the dispute page (the caller checked scope)."""
    user = _user(request)
    referral = selectors.latest_referral(dispute) if has_rows(dispute, REFERRAL_ROWS) else None
    if referral is not None and not selectors.can_see_referral(user, referral):
        referral = None
    can_refer = (
        user.role in services.REFERRER_ROLES
        and dispute.status in (DisputeStatus.RECORDED, DisputeStatus.MEDIATION_FAILED)
    )
    if referral is None and not can_refer:
        return None
    latest = selectors.current_consents(dispute) if has_rows(dispute, CONSENT_ROWS) else {}
    return {
        "referral": referral,
        "agreement": selectors.agreement_of(referral) if referral else None,
        "can_refer": can_refer,
        "organisations": services.referral_organisations(user) if can_refer else [],
        "consents": [
            {"party": p, "cells": [latest.get((p.pk, kind)) for kind in ConsentKind.values]}
            for p in selectors.mediation_parties(dispute)
        ],
        "consent_kinds": ConsentKind.choices,
    }
