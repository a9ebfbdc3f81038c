"""Turns a domain error escaping a page view into a rendered Chinese error page, never a 500.

It also refuses, before any view runs, a request carrying a NUL character (``\\0``) in its path,
query or form/JSON body: PostgreSQL cannot store or even compare such text, so it would surface as
a 500 from the database (found by the API fuzzer, tests/security/test_api_fuzz.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .errors import DomainError

NUL_MESSAGE = "请求中含有空字符（\\0），无法处理，请删除后重试。"
_TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/")


def carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if not (request.content_type or "").startswith(_TEXT_BODIES):
        return False  # uploads are files, stored as bytes
    body = request.body
    if request.content_type == "application/x-www-form-urlencoded":
        return b"\x00" in body or b"%00" in body
    return b"\x00" in body or b"\\u0000" in body


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} and carries_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE, "errors": {}}, status=400)
            return render(request, "error.html", {"message": NUL_MESSAGE, "errors": {}}, status=400)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return render(
                request,
                "error.html",
                {"message": exception.message, "errors": exception.errors},
                status=exception.status_code,
            )
        return None
