from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import DomainError, NotFound


def run_step(request: HttpRequest, step: Callable[[], Any], done: str) -> bool:
    """Take one step of a page's form; a domain error becomes a message (with its field errors) on the
    same page, ``done`` a success message. NotFound still answers 404 (nothing about the object leaks)."""
    try:
        step()
    except NotFound:
        raise
    except DomainError as exc:
        details = [m for msgs in exc.errors.values() for m in msgs if m != exc.message]
        messages.error(request, exc.message + ("（" + "；".join(details) + "）" if details else ""))
        return False
    messages.success(request, done)
    return True


def int_or_none(value: object) -> int | None:
    """A form or query value as an int; None when it is missing or not a number."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        # A role with a landing page of its own (SUYUAN_ROLE_HOMES, URL names); else the workbench.
        homes = getattr(settings, "SUYUAN_ROLE_HOMES", {})
        return redirect(homes.get(getattr(request.user, "role", ""), "disputes:workbench"))
    return render(request, "home.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "error.html", {"message": "页面不存在，或您无权查看。"}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "error.html", {"message": "您无权访问该页面。"}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"message": "系统繁忙，请稍后再试。如问题持续，请联系管理员。"}, status=500)
