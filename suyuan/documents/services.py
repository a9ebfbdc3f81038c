"""Writes of the documents app: render a document, sign it."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry, User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Dispute, DisputeParty
from suyuan.disputes.selectors import visible_disputes
from suyuan.parties.models import Party

from .adapters import get_signature_adapter
from .models import Document, SignatureRecord
from .rendering import SPECS, SYSTEM, build_context, render_pdf
from .selectors import file_digest, is_fully_signed

# Identity re-check attempts a user may fail within the window before signing is refused for a
# while: a product limit against guessing, not a legal rule.
MAX_FAILED_CHECKS = 5
FAILED_CHECK_WINDOW = timedelta(minutes=30)
REFUSED_TARGET = "document_signature_refused"


def render_document(
    *, dispute: Dispute, kind: str, context: dict[str, Any], actor: User | None, origin: Origin,
    signers: Sequence[Party] = (),
) -> Document:
    """Render ``kind`` for ``dispute`` as a PDF, store it with its digest, record event and audit.

    ``actor`` None is the system (a lifecycle hook or the worker). ``signers`` are the parties who
    must sign it; the document is fully signed when they all have.
    """
    spec = SPECS.get(kind)
    if spec is None:
        raise InvalidInput("未知的文书类型。", errors={"kind": ["未知的文书类型。"]})
    role = actor.role if actor is not None else SYSTEM
    if role not in spec.roles:
        raise NotPermitted(f"您的角色不能制作《{spec.kind.label}》。")
    if actor is not None and not visible_disputes(actor).filter(pk=dispute.pk).exists():
        raise NotFound()
    party_ids = set(DisputeParty.objects.filter(dispute=dispute).values_list("party_id", flat=True))
    if any(p.pk not in party_ids for p in signers):
        raise InvalidInput("签署人必须是本纠纷的当事人。", errors={"signers": ["签署人必须是本纠纷的当事人。"]})
    # Rendering takes a while: do it before taking any lock.
    pdf = render_pdf(spec.template, build_context(dispute=dispute, spec=spec, context=context))
    digest = hashlib.sha256(pdf).hexdigest()
    document = Document(
        dispute=dispute, kind=spec.kind, title=spec.kind.label, stored_name=f"{uuid.uuid4().hex}.pdf",
        size=len(pdf), sha256=digest, created_by=actor,
    )
    try:
        with transaction.atomic():
            Dispute.objects.select_for_update().filter(pk=dispute.pk).first()
            last = Document.objects.filter(dispute=dispute, kind=spec.kind).aggregate(m=Max("version"))["m"] or 0
            document.version = last + 1
            document.file.save(document.stored_name, ContentFile(pdf), save=False)
            document.save()
            document.required_signers.set(signers)
            append_event(
                dispute=dispute, kind="document.rendered", title="生成文书", actor=actor, origin=origin,
                summary=f"生成《{document.title}》第{document.version}版",
                data={"document": document.pk, "kind": document.kind, "version": document.version,
                      "sha256": digest, "signers": [p.pk for p in signers]},
            )
            record_audit(
                actor=actor, action=AuditAction.CREATE, origin=origin, target_type="document",
                target_id=document.pk, detail={"dispute": dispute.number, "kind": document.kind, "sha256": digest},
            )
    except Exception:
        # Nothing half-written: a file whose row did not commit is removed.
        if document.file and document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def _refuse_identity(*, document: Document, actor: User, origin: Origin) -> None:
    """Audit the failed re-check in its own committed transaction, then refuse."""
    with transaction.atomic():
        record_audit(
            actor=actor, action=AuditAction.UPDATE, origin=origin, target_type=REFUSED_TARGET,
            target_id=document.pk, detail={"dispute": document.dispute.number, "result": "identity_mismatch"},
        )
    message = "身份核验未通过：您输入的证件号码与您的当事人身份不一致，文书未签署。"
    raise InvalidInput(message, errors={"id_number": [message]})


def sign_document(*, document: Document, actor: User, id_number: str, origin: Origin) -> SignatureRecord:
    """A party signs a document after re-entering their identity number (through the adapter)."""
    if actor.role != Role.PARTY or actor.party_id is None:
        raise NotPermitted("只有当事人本人可以签署文书。")
    if not visible_disputes(actor).filter(pk=document.dispute_id).exists():
        raise NotFound()
    party = actor.party
    assert party is not None
    required = list(document.required_signers.all())
    if party not in required:
        raise NotPermitted("您不是该文书的签署人。")
    since = timezone.now() - FAILED_CHECK_WINDOW
    failures = AuditEntry.objects.filter(actor=actor, target_type=REFUSED_TARGET, at__gte=since).count()
    if failures >= MAX_FAILED_CHECKS:
        raise NotPermitted("身份核验失败次数过多，请 30 分钟后再试，或到法院、调解组织窗口现场签署。")
    adapter = get_signature_adapter()
    if not id_number.strip() or not adapter.check_identity(party=party, id_number=id_number):
        _refuse_identity(document=document, actor=actor, origin=origin)
    with transaction.atomic():
        locked = Document.objects.select_for_update().select_related("dispute").get(pk=document.pk)
        if SignatureRecord.objects.filter(document=locked, party=party).exists():
            raise Conflict("您已签署过该文书。")
        # The signer signs the bytes as they are now; refuse when they differ from what was rendered.
        if file_digest(locked) != locked.sha256:
            raise Conflict("该文书的文件与生成时不一致，不能签署。请联系承办人员重新生成文书。")
        record = SignatureRecord(
            document=locked, signer=actor, party=party, signed_at=timezone.now(),
            document_sha256=locked.sha256, method=adapter.method, ip=origin.ip,
        )
        record.seal = adapter.seal(record=record)
        record.save()
        complete = is_fully_signed(locked, required)
        append_event(
            dispute=locked.dispute, kind="document.signed", title="签署文书", actor=actor, origin=origin,
            summary=f"{party.name}签署《{locked.title}》第{locked.version}版"
            + ("，文书已全部签署" if complete else ""),
            data={"document": locked.pk, "signature": record.pk, "sha256": locked.sha256, "complete": complete},
        )
        record_audit(
            actor=actor, action=AuditAction.CREATE, origin=origin, target_type="document_signature",
            target_id=record.pk, detail={"dispute": locked.dispute.number, "document": locked.pk},
        )
    return record
