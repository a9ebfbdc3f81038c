"""Sessions of the second-factor roles reach nothing but enrolment, verification and logout until verified;
the idle timer of a signed-in session renewed without a write per request."""

from __future__ import annotations

import time
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


# The session key of the last time the idle timer was renewed (seconds since the epoch).
ACTIVITY_KEY = "_suyuan_activity"


class SessionActivityMiddleware:
    """Renews a signed-in session's idle timer, at most once every ``SUYUAN_SESSION_RENEW_SECONDS``.

    The idle timeout is the session row's ``expire_date`` (``SESSION_COOKIE_AGE`` after its last
    save; the cookie itself lasts until the browser closes). ``SESSION_SAVE_EVERY_REQUEST`` renewed
    it by writing the session row on every request, page or not: an UPDATE (and its WAL) per page
    view. Here a request marks the session modified only when its activity stamp is older than the
    renewal interval, so ``SessionMiddleware`` (outside this one) writes it then and not otherwise. An
    idle session still expires ``SESSION_COOKIE_AGE`` after the last renewal: between
    ``AGE - interval`` and ``AGE`` after the last request. A request without a session (anonymous,
    or a bearer-token API call) is never given one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        stamp = session.get(ACTIVITY_KEY)
        if not isinstance(stamp, int) or now - stamp >= settings.SUYUAN_SESSION_RENEW_SECONDS or stamp > now:
            session[ACTIVITY_KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response
