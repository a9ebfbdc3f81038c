from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from suyuan.common.errors import NotPermitted

from .choices import AuditAction, Role
from .context import Origin
from .models import AuditEntry
from .selectors import verify_audit_chain
from .services import record_audit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        record_audit(actor=form.get_user(), action=AuditAction.LOGIN, origin=Origin.from_request(self.request))
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
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
