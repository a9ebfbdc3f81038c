"""Sessions of the second-factor roles reach nothing but enrolment, verification and logout until verified."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import confirmed_device, requires_second_factor

API_MESSAGE = "需要先完成动态口令验证：请在网页上登录并输入动态口令，或使用接口令牌。"


class SecondFactorMiddleware:
    """Runs after django-otp's ``OTPMiddleware``, which gives ``request.user.is_verified()``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not requires_second_factor(user) or user.is_verified():  # type: ignore[union-attr]
            return self.get_response(request)
        verify, enrol = reverse("accounts:second_factor"), reverse("accounts:second_factor_enrol")
        if request.path in {verify, enrol, reverse("accounts:logout")} or request.path.startswith(
            settings.STATIC_URL
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": API_MESSAGE, "errors": {}}, status=403)
        target = enrol if confirmed_device(user) is None else verify  # type: ignore[arg-type]
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
