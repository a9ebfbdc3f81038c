from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from .choices import AuditAction, Role


class User(AbstractUser):
    """A person who signs in. The role fixes what they may do; the links fix where."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="法院、综治中心、调解组织等工作人员所在单位；当事人为空。",
    )
    party = models.OneToOneField(
        "parties.Party",
        verbose_name="当事人身份",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
        help_text="当事人账户对应的唯一当事人身份。",
    )
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for the JSON API (institutions filing in batch). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, default="API")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class AuditEntry(models.Model):
    """One row of the append-only, hash-chained audit log.

    ``entry_hash`` covers the row's content and the previous row's hash, and ``seq`` is gapless,
    so altering, deleting or reordering rows breaks the chain (``manage.py verify_audit``).
    Database triggers (migration 0002) refuse UPDATE and DELETE outright.
    """

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        User, verbose_name="操作人", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    actor_label = models.CharField("操作人", max_length=100)
    actor_role = models.CharField("角色", max_length=20, blank=True)
    action = models.CharField("操作", max_length=30, choices=AuditAction.choices)
    target_type = models.CharField("对象类型", max_length=50, blank=True)
    target_id = models.CharField("对象", max_length=64, blank=True)
    detail = models.JSONField("详情", default=dict)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type} {self.target_id}"

    def compute_hash(self) -> str:
        payload: dict[str, Any] = {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "actor_role": self.actor_role,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "detail": self.detail,
            "ip": self.ip,
            "prev": self.prev_hash,
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()


class AuditHead(models.Model):
    """Singleton holding the chain's tip; locking it serialises appends to the chain."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class SignInCode(models.Model):
    """One request for a party's SMS sign-in code, and the code's state (``accounts.party_signin``).

    A row is written for every request, matched or not, so the rate limits count them all. The
    phone number and ID number are kept only as keyed hashes, the code likewise.
    """

    phone_hash = models.CharField(max_length=64, db_index=True)
    identity_hash = models.CharField(max_length=64)
    masked_phone = models.CharField("手机号", max_length=20)
    party = models.ForeignKey(
        "parties.Party", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="手机号与身份证号匹配的当事人；不匹配时为空且不发送验证码。",
    )
    code_hash = models.CharField(max_length=64, blank=True)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "登录验证码"
        verbose_name_plural = "登录验证码"
        indexes = [models.Index(fields=["ip", "created_at"], name="signin_code_ip_idx")]

    def __str__(self) -> str:
        return f"{self.masked_phone} {self.created_at:%Y-%m-%d %H:%M}"
