"""The party's portal and the public process page: thin views over portal selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput, NotPermitted

from . import selectors, services
from .glossary import explain


def _party(request: HttpRequest) -> User | None:
    user = request.user
    assert isinstance(user, User)
    return user if user.role == Role.PARTY else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的纠纷: one card per dispute, the stage in plain words and the one thing to do next."""
    user = _party(request)
    if user is None:
        return redirect("disputes:workbench")
    cards, page = selectors.cards(user, page=request.GET.get("page"))
    todo = sum(len(c.actions) for c in cards)
    return render(request, "portal/home.html", {"cards": cards, "todo": todo, "page": page})


@login_required
def dispute(request: HttpRequest, number: str) -> HttpResponse:
    user = _party(request)
    if user is None:
        return redirect("disputes:detail", number=number)
    view = selectors.overview(user, number)
    return render(request, "portal/dispute.html", {"o": view, "d": view.card.dispute, "p": view.card.progress,
                                                   "code_term": explain("查询码")})


@login_required
@require_POST
def access_code(request: HttpRequest, number: str) -> HttpResponse:
    user = _party(request)
    if user is None:
        raise NotPermitted("查询码只发给纠纷的当事人本人。")
    issued = services.issue_access_code(actor=user, origin=Origin.from_request(request), number=number)
    view = selectors.overview(user, number)
    return render(request, "portal/dispute.html", {"o": view, "d": view.card.dispute, "p": view.card.progress,
                                                   "code_term": explain("查询码"), "issued": issued})


@require_http_methods(["GET", "POST"])
def public(request: HttpRequest) -> HttpResponse:
    """案件进度公开查询: dispute number + the party's code → the process nodes, no personal data."""
    context: dict[str, object] = {"code_term": explain("查询码"), "number": ""}
    status = 200
    if request.method == "POST":
        number = request.POST.get("number", "")
        context["number"] = number.strip()[:40]
        try:
            found = services.look_up_public(number=number, code=request.POST.get("code", ""),
                                            origin=Origin.from_request(request))
        except InvalidInput as exc:
            context["error"], status = exc.message, 400
        except NotPermitted as exc:
            context["error"], status = exc.message, 429
        else:
            context["view"] = selectors.public_view(found)
    return render(request, "portal/public.html", context, status=status)
