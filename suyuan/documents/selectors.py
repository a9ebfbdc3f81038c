"""Reads of documents, always through the actor's dispute scope; and the integrity check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
from suyuan.disputes.models import Dispute
from suyuan.disputes.permissions import FULL_PERSONAL_DATA_ROLES
from suyuan.disputes.selectors import visible_disputes
from suyuan.parties.models import Party

from .adapters import get_signature_adapter
from .models import Document, SignatureRecord
from .rendering import SPECS, carries_full_identities


def visible_documents(user: User) -> QuerySet[Document]:
    return Document.objects.filter(dispute__in=visible_disputes(user))


def get_visible_document(user: User, pk: int) -> Document:
    document = visible_documents(user).select_related("dispute").filter(pk=pk).first()
    if document is None:
        raise NotFound()
    return document


def may_download(user: User, document: Document) -> bool:
    """A document that prints ID numbers and credit codes in full (a mediation agreement, an
    application for judicial confirmation) goes only to the roles that may see full personal data
    (``FULL_PERSONAL_DATA_ROLES``), to the parties it belongs to, and to the roles that make it;
    a grid worker, centre staff or a leader sees it listed but cannot download it (issue 15, R2).
    The document is a signed artefact (its digest is recorded), so it is refused, never masked."""
    if not carries_full_identities(document.kind):
        return True
    spec = SPECS.get(document.kind)
    return user.role in FULL_PERSONAL_DATA_ROLES | {Role.PARTY} or (spec is not None and user.role in spec.roles)


def documents_of(dispute: Dispute) -> QuerySet[Document]:
    """The caller has already checked the dispute is visible to the actor."""
    return (
        Document.objects.filter(dispute=dispute)
        .prefetch_related("required_signers", "signatures__party")
        .order_by("kind", "-version")
    )


def file_digest(document: Document) -> str | None:
    """SHA-256 of the stored bytes now, or None when the file is gone."""
    digest = hashlib.sha256()
    try:
        with document.file.open("rb") as f:
            for chunk in iter(lambda: f.read(65536), b""):
                digest.update(chunk)
    except (FileNotFoundError, ValueError):
        return None
    return digest.hexdigest()


def signed_parties(document: Document) -> set[int]:
    return set(SignatureRecord.objects.filter(document=document).values_list("party_id", flat=True))


def missing_signers(document: Document, signers: list[Party] | None = None) -> list[Party]:
    required = signers if signers is not None else list(document.required_signers.all())
    done = signed_parties(document)
    return [p for p in required if p.pk not in done]


def is_fully_signed(document: Document, signers: list[Party] | None = None) -> bool:
    """Every required signer has signed. ``signers`` overrides the list stored at rendering.

    A document with nobody required to sign is not "signed": the caller must say who signs.
    """
    required = signers if signers is not None else list(document.required_signers.all())
    return bool(required) and not missing_signers(document, required)


@dataclass
class Verification:
    document: Document
    digest_now: str | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _short(digest: str | None) -> str:
    return f"{digest[:16]}…" if digest else "（无）"


def verify_document(document: Document) -> Verification:
    """Recompute the digest and check every signature record; problems are Chinese sentences."""
    now = file_digest(document)
    report = Verification(document=document, digest_now=now)
    label = f"文书 #{document.pk}《{document.title}》第{document.version}版"
    if now is None:
        report.problems.append(f"{label}的文件已缺失（{document.file.name}），无法核验。")
        return report
    if now != document.sha256:
        size = document.file.size
        report.problems.append(
            f"{label}的文件内容在生成后被改动：生成时摘要 {_short(document.sha256)}，现在 {_short(now)}"
            f"（生成时 {document.size} 字节，现在 {size} 字节）。"
        )
    adapter = get_signature_adapter()
    for record in document.signatures.select_related("party").order_by("signed_at", "pk"):
        who = f"{record.party.name}于{record.signed_at:%Y-%m-%d %H:%M}所作的签名（记录 #{record.pk}）"
        if record.document_sha256 != now:
            report.problems.append(
                f"{who}之后文件被改动：签署时摘要 {_short(record.document_sha256)}，现在 {_short(now)}，"
                "该签名对现有文件无效。"
            )
        if record.document_sha256 != document.sha256:
            report.problems.append(f"{who}记录的摘要与文书登记的摘要不一致。")
        if not adapter.verify(record=record):
            report.problems.append(f"{who}的签名记录被改动（签名值与记录内容不符）。")
    return report
