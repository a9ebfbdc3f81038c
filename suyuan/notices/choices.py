from django.db import models


class NoticeChannel(models.TextChoices):
    INBOX = "inbox", "站内消息"
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class NoticeStatus(models.TextChoices):
    """Where a notification's delivery stands. Only ``notices.delivery`` moves it."""

    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "发送失败"
