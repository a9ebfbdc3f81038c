"""The holder panel (included by the preservation and enforcement pages) and its POST actions.

Consumers call ``holder_context(request, holder, claim_amount, dispute=...)`` and include
``assets/_holder_panel.html``. The claim amount travels to the POST views signed together with the
holder, so the over-seizure check cannot be bypassed by editing the form.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from suyuan.accounts.context import Origin
from suyuan.accounts.http import request_user
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import visible_disputes

from . import selectors, services
from .choices import MEASURES_FOR_KIND, AssetKind, MeasureKind, MeasureStatus
from .lifecycle import ASSET_MEASURE
from .models import mask_identifier
from .scope import is_court_staff_of, may_act

SALT = "suyuan.assets.holder"


def _token(holder: str, claim_amount: Decimal) -> str:
    return signing.dumps({"holder": holder, "claim": str(claim_amount)}, salt=SALT)


def _untoken(value: str) -> tuple[str, Decimal]:
    try:
        data = signing.loads(value, salt=SALT, max_age=12 * 3600)
    except signing.BadSignature:
        raise InvalidInput("页面已过期，请刷新后重新提交。") from None
    return str(data["holder"]), Decimal(data["claim"])


def holder_context(request: HttpRequest, holder: str, claim_amount: Decimal | str | None, *,
                   dispute: Dispute | None = None, can_place: bool = True) -> dict[str, Any] | None:
    """Everything the panel shows for ``holder`` (None when the user may not see it).

    ``can_place=False`` keeps searches and clues but offers no new measure (the holder's procedure is
    not at a stage where measures may be taken, e.g. a preservation not yet granted)."""
    user = request.user
    if not isinstance(user, User):
        return None
    if dispute is not None and not visible_disputes(user).filter(pk=dispute.pk).exists():
        return None
    claim = Decimal(str(claim_amount)) if claim_amount not in (None, "") else None
    staff = dispute is not None and is_court_staff_of(user, dispute)
    can_act = dispute is not None and may_act(user, holder, dispute)
    assets = list(selectors.assets_of(holder, user))
    measures = list(selectors.measures_of(holder, user).order_by("-placed_at", "-pk"))
    for asset in assets:
        # Full numbers only for the court's own staff; everyone else sees them masked.
        asset.shown_identifier = asset.identifier if staff else mask_identifier(asset.identifier)  # type: ignore[attr-defined]
        asset.measure_kinds = [(k, MeasureKind(k).label) for k in sorted(MEASURES_FOR_KIND[asset.kind])]  # type: ignore[attr-defined]
    rows = []
    for measure in measures:
        allowed = {r.action for r in ASSET_MEASURE.available(measure, user)} if can_act else set()
        rows.append({"measure": measure, "allowed": allowed,
                     "identifier": measure.asset.identifier if staff else measure.asset.masked_identifier})
    searches = [selectors.search_outcome(s) for s in selectors.searches_of(holder, user)[:20]]
    return {
        "holder": holder,
        "dispute": dispute,
        "claim_amount": claim,
        "token": _token(holder, claim) if claim is not None and can_act else "",
        "can_act": can_act,
        "can_place": can_place,
        "is_enforcement": holder.startswith("enforcement:"),
        "assets": assets,
        "measures": rows,
        "searches": searches,
        "controlled": selectors.controlled_total(holder),
        "over": selectors.over_seizure(holder, claim) if claim is not None else Decimal("0"),
        "kinds": [(k, label) for k, label in AssetKind.choices if k != AssetKind.OTHER],
        "all_kinds": AssetKind.choices,
        "parties": [dp.party for dp in dispute.dispute_parties.select_related("party")] if dispute else [],
        "active": MeasureStatus.ACTIVE,
        "next": request.get_full_path(),
    }


def holder_panel(request: HttpRequest, holder: str, claim_amount: Decimal | str | None, *,
                 dispute: Dispute | None = None, can_place: bool = True) -> str:
    """The rendered panel (safe HTML, "" when nothing to show): ``{{ assets_panel }}`` in a page."""
    context = holder_context(request, holder, claim_amount, dispute=dispute, can_place=can_place)
    if context is None:
        return ""
    return mark_safe(render_to_string("assets/_holder_panel.html", context, request))  # noqa: S308 - our template


_user = request_user


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("disputes:workbench")


def _int(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise InvalidInput("提交的信息不完整，请刷新后重试。", errors={name: ["请选择。"]})
    return int(value)


def _date(request: HttpRequest, name: str) -> date | None:
    value = request.POST.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("日期应为 YYYY-MM-DD 格式。", errors={name: ["日期应为 YYYY-MM-DD 格式。"]}) from None


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _holder(request: HttpRequest) -> tuple[str, Decimal]:
    holder, claim = _untoken(request.POST.get("token", ""))
    return holder, claim


@login_required
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    holder, _ = _holder(request)
    services.request_search(actor=_user(request), origin=Origin.from_request(request),
                            dispute_id=_int(request, "dispute"), holder=holder, party_id=_int(request, "party"),
                            kinds=request.POST.getlist("kinds"))
    messages.success(request, "财产查询已提交，结果返回后显示在本页。")
    return _back(request)


@login_required
@require_POST
def clue(request: HttpRequest) -> HttpResponse:
    holder, _ = _holder(request)
    p = request.POST
    services.add_clue(actor=_user(request), origin=Origin.from_request(request), dispute_id=_int(request, "dispute"),
                      holder=holder, party_id=_int(request, "party"), kind=p.get("kind", ""),
                      institution=p.get("institution", ""), identifier=p.get("identifier", ""),
                      description=p.get("description", ""), value=p.get("value") or None)
    messages.success(request, "财产线索已登记。")
    return _back(request)


@login_required
@require_POST
def place(request: HttpRequest) -> HttpResponse:
    holder, claim = _holder(request)
    measure = services.place_measure(
        actor=_user(request), origin=Origin.from_request(request), holder=holder, asset_id=_int(request, "asset"),
        kind=request.POST.get("kind", ""), amount=request.POST.get("amount", ""), claim_amount=claim,
        over_reason=request.POST.get("over_reason", ""), until=_date(request, "until"),
    )
    messages.success(request, f"已{measure.get_kind_display()}，实际控制 {measure.amount} 元，"
                              f"至 {measure.ends_on:%Y-%m-%d}。")
    return _back(request)


def _measure_holder(request: HttpRequest, measure_id: int) -> None:
    holder, _ = _holder(request)
    if not selectors.measures_of(holder).filter(pk=measure_id).exists():
        raise NotPermitted()


@login_required
@require_POST
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    _measure_holder(request, pk)
    m = services.renew_measure(actor=_user(request), origin=Origin.from_request(request), measure_id=pk,
                               until=_date(request, "until"), expected_version=_version(request))
    messages.success(request, f"已续行至 {m.ends_on:%Y-%m-%d}。")
    return _back(request)


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    _measure_holder(request, pk)
    services.release_measure(actor=_user(request), origin=Origin.from_request(request), measure_id=pk,
                             reason=request.POST.get("reason", ""), expected_version=_version(request))
    messages.success(request, "已解除。")
    return _back(request)


@login_required
@require_POST
def deduct(request: HttpRequest, pk: int) -> HttpResponse:
    _measure_holder(request, pk)
    m = services.deduct_measure(actor=_user(request), origin=Origin.from_request(request), measure_id=pk,
                                amount=request.POST.get("amount", ""), expected_version=_version(request))
    messages.success(request, f"已扣划，累计扣划 {m.deducted_amount} 元。")
    return _back(request)


@login_required
@require_POST
def substitute(request: HttpRequest, pk: int) -> HttpResponse:
    _measure_holder(request, pk)
    services.substitute_asset(actor=_user(request), origin=Origin.from_request(request), measure_id=pk,
                              new_asset_id=_int(request, "new_asset"), reason=request.POST.get("reason", ""))
    messages.success(request, "已变更控制财产。")
    return _back(request)
