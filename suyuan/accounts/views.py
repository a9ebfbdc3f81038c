from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from suyuan.common.errors import InvalidInput, NotPermitted

from .choices import AuditAction, Role
from .context import Origin
from .models import AuditEntry
from .party_signin import request_sign_in_code, verify_sign_in_code
from .second_factor import (
    confirm_enrolment,
    confirmed_device,
    enrolment_device,
    enrolment_of,
    next_usable_code,
    requires_second_factor,
    reset_second_factor,
    verify_second_factor,
)
from .selectors import second_factor_accounts, verify_audit_chain
from .services import record_audit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # A role with a landing page of its own (SUYUAN_ROLE_HOMES: role -> URL name), else the workbench.
        role_home = getattr(settings, "SUYUAN_ROLE_HOMES", {}).get(getattr(self.request.user, "role", ""))
        return resolve_url(role_home) if role_home else super().get_default_redirect_url()

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        record_audit(actor=form.get_user(), action=AuditAction.LOGIN, origin=Origin.from_request(self.request))
        return response

    def get_success_url(self) -> str:
        target = super().get_success_url()
        if requires_second_factor(self.request.user):
            step = "accounts:second_factor" if confirmed_device(self.request.user) else "accounts:second_factor_enrol"  # type: ignore[arg-type]
            return f"{reverse(step)}?{urlencode({'next': target})}"
        return target


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated:
            record_audit(actor=request.user, action=AuditAction.LOGOUT, origin=Origin.from_request(request))  # type: ignore[arg-type]
        return super().post(request, *args, **kwargs)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, for auditors only (separation of duties: admins cannot read it here)."""
    if request.user.role != Role.AUDITOR:  # type: ignore[union-attr]
        raise NotPermitted("仅安全审计员可以查看审计日志。")
    page = Paginator(AuditEntry.objects.order_by("-seq"), 50).get_page(request.GET.get("page"))
    report = verify_audit_chain() if request.GET.get("verify") else None
    return render(request, "accounts/audit_log.html", {"page": page, "report": report})


def party_login(request: HttpRequest) -> HttpResponse:
    """Parties sign in with phone + ID number and an SMS code (``party_signin``)."""
    if request.user.is_authenticated:
        return redirect("disputes:workbench")
    post = request.POST
    form = {"phone": post.get("phone", "").strip()[:20], "id_number": post.get("id_number", "").strip()[:18]}
    context: dict[str, object] = {
        "form": form,
        "code_sent": post.get("step") == "verify",
        # The demo's local SMS gateway shows codes on a page; never in production.
        "demo_sms": getattr(settings, "SUYUAN_SMS_OUTBOX_PAGE", settings.DEBUG),
    }
    if request.method == "POST":
        origin = Origin.from_request(request)
        try:
            if post.get("step") == "verify":
                user = verify_sign_in_code(code=post.get("code", "")[:12], origin=origin, **form)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = ""
                return redirect(target or "disputes:workbench")
            context["message"] = request_sign_in_code(origin=origin, **form)
            context["code_sent"] = True
        except InvalidInput as exc:
            context["error"], context["errors"] = exc.message, exc.errors
    return render(request, "accounts/party_login.html", context)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return target or reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Step two of signing in: the code from the user's authenticator app."""
    if not requires_second_factor(request.user) or request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    device = confirmed_device(request.user)  # type: ignore[arg-type]
    if device is None:
        return redirect(f"{reverse('accounts:second_factor_enrol')}?{urlencode({'next': _safe_next(request)})}")
    context: dict[str, object] = {"next": _safe_next(request)}
    if request.method == "POST":
        try:
            verify_second_factor(request=request, code=request.POST.get("code", "")[:12],
                                 origin=Origin.from_request(request))
            return redirect(_safe_next(request))
        except InvalidInput as exc:
            context["error"] = exc.message
    if settings.SUYUAN_SECOND_FACTOR_DEMO_HINT:
        context["demo_code"] = next_usable_code(device)
    return render(request, "accounts/second_factor.html", context)


@login_required
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of a second-factor role: bind an authenticator app (QR code or secret)."""
    if not requires_second_factor(request.user) or request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    if confirmed_device(request.user) is not None:  # type: ignore[arg-type]
        return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': _safe_next(request)})}")
    context: dict[str, object] = {"next": _safe_next(request)}
    if request.method == "POST":
        try:
            confirm_enrolment(request=request, code=request.POST.get("code", "")[:12],
                              origin=Origin.from_request(request))
            return redirect(_safe_next(request))
        except InvalidInput as exc:
            context["error"] = exc.message
    context["enrolment"] = enrolment_of(enrolment_device(request.user))  # type: ignore[arg-type]
    return render(request, "accounts/second_factor_enrol.html", context)


@login_required
def second_factor_users(request: HttpRequest) -> HttpResponse:
    """For security administrators: who must use a second factor, who has bound one; reset."""
    if request.user.role != Role.SECURITY_ADMIN:  # type: ignore[union-attr]
        raise NotPermitted("仅安全管理员可以管理动态口令。")
    page = Paginator(second_factor_accounts(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/second_factor_users.html", {"page": page})


@login_required
@require_POST
def second_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    target = reset_second_factor(actor=request.user, user_id=user_id, origin=Origin.from_request(request))  # type: ignore[arg-type]
    messages.success(request, f"已重置 {target.display_name}（{target.username}）的动态口令，其下次登录时需重新绑定。")
    return redirect("accounts:second_factor_users")
