from django.db import models


class AssistKind(models.TextChoices):
    LOCATE = "locate", "查找下落"
    CHECK_PROPERTY = "check_property", "现场核查财产"
    SERVE = "serve", "协助送达"
    PERSUADE = "persuade", "督促履行"


class AssistStatus(models.TextChoices):
    """AssistTask.status; only ``assistance/lifecycle.py`` changes it."""

    ASSIGNED = "assigned", "已派发，待网格员接收"
    ACCEPTED = "accepted", "网格员已接收"
    REPORTED = "reported", "网格员已反馈"
    CLOSED = "closed", "已办结"
    RETURNED = "returned", "网格员已退回"
