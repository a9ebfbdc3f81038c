"""Document download and signing pages, and the panel shown on the dispute page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.http import case_user
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import NotPermitted
from suyuan.disputes.models import Dispute
from suyuan.disputes.stage_rows import has_rows

from . import selectors, services
from .stage_rows import DOCUMENT_ROWS


def _user(request: HttpRequest) -> User:
    return case_user(request, "案件文书")


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    user = _user(request)
    document = selectors.get_visible_document(user, pk)
    if not selectors.may_download(user, document):
        raise NotPermitted("该文书载有当事人完整的身份证件号码，您的岗位不能下载；如需查看请联系承办人员。")
    record_audit(actor=user, action=AuditAction.READ_FILE, origin=Origin.from_request(request),
                 target_type="document", target_id=document.pk, detail={"dispute": document.dispute.number})
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.download_name,
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Document-SHA256"] = document.sha256
    return response


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = selectors.get_visible_document(user, pk)
    services.sign_document(document=document, actor=user, id_number=request.POST.get("id_number", ""),
                           origin=Origin.from_request(request))
    messages.success(request, f"已签署《{document.title}》。")
    return redirect("disputes:detail", number=document.dispute.number)


def panel_context(request: HttpRequest, dispute: Dispute) -> dict[str, Any]:
    """For ``documents/_dispute_panel.html``; the caller has checked the dispute is visible."""
    user = request.user
    assert isinstance(user, User)
    rows = []
    for document in selectors.documents_of(dispute) if has_rows(dispute, DOCUMENT_ROWS) else ():
        required = list(document.required_signers.all())
        signed = {s.party_id: s for s in document.signatures.all()}
        rows.append({
            "document": document,
            "signers": [{"party": p, "signature": signed.get(p.pk)} for p in required],
            "complete": bool(required) and all(p.pk in signed for p in required),
            "downloadable": selectors.may_download(user, document),
            "can_sign": user.party_id is not None and any(p.pk == user.party_id for p in required)
            and user.party_id not in signed,
        })
    return {"document_rows": rows}
