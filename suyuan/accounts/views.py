from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from suyuan.common.errors import InvalidInput, NotPermitted

from .choices import AuditAction, Role
from .context import Origin
from .models import AuditEntry
from .party_signin import request_sign_in_code, verify_sign_in_code
from .selectors import verify_audit_chain
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
