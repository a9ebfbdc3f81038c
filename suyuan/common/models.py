from __future__ import annotations

from django.conf import settings
from django.db import models


class Counter(models.Model):
    """A named gapless counter (dispute IDs, later case numbers per court, year and type).

    Incremented under a row lock inside the caller's transaction, so a rolled-back write leaves no
    gap and two concurrent writers never get the same value.
    """

    name = models.CharField("名称", max_length=100, unique=True)
    value = models.PositiveBigIntegerField("当前值", default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class IdempotencyRecord(models.Model):
    """The stored result of an API write made with an ``Idempotency-Key`` header."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    endpoint = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "幂等请求记录"
        verbose_name_plural = "幂等请求记录"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
