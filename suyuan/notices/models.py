"""The notification outbox, people's channel preferences, and the local SMS gateway's log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from suyuan.common.masking import mask_phone

from .choices import NoticeChannel, NoticeStatus


class Notification(models.Model):
    """One message to one person through one channel, written with the event it tells about.

    The row is the outbox entry and the delivery record at once: the worker claims it (status
    ``sending`` with a lease), hands it to the channel's adapter keyed by the row's id, and marks
    it delivered. ``dedupe_key`` (event, recipient, channel) makes a second write of the same
    notice impossible; the adapters' idempotent send makes a second delivery harmless.
    """

    event = models.ForeignKey("disputes.DisputeEvent", on_delete=models.PROTECT, related_name="+")
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.CASCADE, related_name="notifications")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
        verbose_name="接收人",
    )
    recipient_party = models.ForeignKey(
        "parties.Party", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
        verbose_name="接收当事人", help_text="没有账户的当事人，仅以短信通知。",
    )
    channel = models.CharField("渠道", max_length=10, choices=NoticeChannel.choices)
    address = models.CharField("发送地址", max_length=254, blank=True, help_text="手机号或电子邮箱；站内消息为空。")
    template_key = models.CharField("模板", max_length=60)
    title = models.CharField("标题", max_length=100)
    body = models.CharField("内容", max_length=500)
    link = models.CharField("链接", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", db_index=True)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notice_due_idx"),
            models.Index(fields=["recipient_user", "channel", "status", "-id"], name="notice_inbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False) | Q(recipient_party__isnull=False),
                name="notice_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.title}"

    @property
    def masked_address(self) -> str:
        return mask_phone(self.address) if self.channel == NoticeChannel.SMS else self.address


class NoticePreference(models.Model):
    """Which channels a person wants besides the in-app inbox (which always receives)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference")
    sms = models.BooleanField("短信通知", default=True)
    email = models.BooleanField("电子邮件通知", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"

    def __str__(self) -> str:
        return f"{self.user_id} sms={self.sms} email={self.email}"


class SmsMessage(models.Model):
    """What the local SMS gateway "sent": a tester reads it at /notices/sms-outbox/ (demo only).

    ``key`` is the sender's idempotency key (``notice:<id>`` or ``otp:<id>``), unique, so a retried
    send after a crash records the message once.
    """

    key = models.CharField(max_length=60, unique=True)
    phone = models.CharField("手机号", max_length=20)
    text = models.CharField("短信内容", max_length=500)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "短信发送记录（本地网关）"
        verbose_name_plural = "短信发送记录（本地网关）"
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key} {mask_phone(self.phone)}"

