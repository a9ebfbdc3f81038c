from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


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
