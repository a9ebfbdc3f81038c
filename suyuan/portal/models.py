"""The public process page's verification codes and its lookup log (openness, policy item 12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AccessCode(models.Model):
    """The code a party gives their lawyer to follow the case on the public page without signing in.

    One per party and dispute; issuing again replaces it (the old one stops working). Only a hash is
    kept (Django's password hasher), so the code is shown once, on issue, and sent by SMS.
    """

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.CASCADE, related_name="access_codes")
    party = models.ForeignKey("parties.Party", on_delete=models.CASCADE, related_name="+", verbose_name="当事人")
    code_hash = models.CharField("查询码摘要", max_length=200)
    issued_at = models.DateTimeField("生成时间")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "公开查询码"
        verbose_name_plural = "公开查询码"
        constraints = [models.UniqueConstraint(fields=["dispute", "party"], name="access_code_one_per_party")]

    def __str__(self) -> str:
        return f"查询码（纠纷 {self.dispute_id}，当事人 {self.party_id}）"


class PublicLookup(models.Model):
    """One attempt on the public page: the audit record and the counter that stops guessing.

    ``number`` is what was typed (whether or not such a dispute exists), so the limits treat an unknown
    number exactly like a known one and reveal nothing. The IP is kept for the per-address limit.
    """

    at = models.DateTimeField("时间", db_index=True)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    number = models.CharField("输入的纠纷编号", max_length=40)
    succeeded = models.BooleanField("是否成功")
    refused = models.BooleanField("因尝试过多被拒绝", default=False)

    class Meta:
        verbose_name = "公开查询记录"
        verbose_name_plural = "公开查询记录"
        indexes = [models.Index(fields=["ip", "at"], name="lookup_ip_at_idx"),
                   models.Index(fields=["number", "at"], name="lookup_number_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.number} {'成功' if self.succeeded else '失败'}"
