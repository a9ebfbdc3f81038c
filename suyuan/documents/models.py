"""Rendered documents (PDF bytes with their digest) and the signatures made on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import DocumentKind, SignatureMethod


def document_path(instance: Document, filename: str) -> str:
    # Random stored name: the title is in the row, never in the file system.
    return f"documents/{instance.stored_name}"


class Document(models.Model):
    """One rendered PDF. Re-rendering the same kind for a dispute makes a new version, never an overwrite.

    ``sha256`` is the digest of the bytes as rendered; every signature records the digest it saw,
    so ``manage.py verify_document`` detects any byte changed afterwards.
    """

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("文书类型", max_length=40, choices=DocumentKind.choices)
    title = models.CharField("文书标题", max_length=200)
    file = models.FileField(upload_to=document_path, max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    version = models.PositiveIntegerField("版本", default=1)
    required_signers = models.ManyToManyField(
        "parties.Party", verbose_name="须签署的当事人", blank=True, related_name="+",
        help_text="由生成文书的流程指定；全部签署后文书为“已全部签署”。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["dispute", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "kind", "version"], name="document_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def download_name(self) -> str:
        return f"{self.title}-第{self.version}版.pdf"


class SignatureRecord(models.Model):
    """A party's signature on a document, made through the signature adapter.

    ``document_sha256`` is the digest of the bytes the signer saw; ``seal`` is the adapter's
    signature over this record (the local adapter: an HMAC), so the record itself cannot be
    edited unnoticed either.
    """

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签署时间")
    document_sha256 = models.CharField("签署时文书摘要", max_length=64)
    method = models.CharField("签署方式", max_length=30, choices=SignatureMethod.choices)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    seal = models.CharField("签名值", max_length=128)

    class Meta:
        verbose_name = "签名记录"
        verbose_name_plural = "签名记录"
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "party"], name="signature_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.party_id}"
