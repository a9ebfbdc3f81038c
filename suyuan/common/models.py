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


class Wakeup(models.Model):
    """One named pending wake-up of a worker task (``common.wakeup``): ``requested_at`` is set when
    the task is enqueued and cleared when it *starts*, so at most one waits in the queue however
    many writes ask for it. Without it every committed write enqueued its own task, and thousands
    of no-op wake-ups sat in the one FIFO queue in front of import jobs (the R5 drill)."""

    name = models.CharField("任务", max_length=100, primary_key=True)
    requested_at = models.DateTimeField("唤醒请求时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务唤醒"
        verbose_name_plural = "后台任务唤醒"

    def __str__(self) -> str:
        return f"{self.name} requested_at={self.requested_at}"


class PendingWork(models.Model):
    """An object waiting for a worker's follow-up (``common.pending``): written in the transaction of
    the write that needs it, deleted when the follow-up has been done. A killed web process or a lost
    task cannot lose it; the drain takes the rows of a queue in order, in batches."""

    queue = models.CharField("队列", max_length=100)
    object_id = models.PositiveBigIntegerField("对象")
    created_at = models.DateTimeField("加入时间", auto_now_add=True)
    # Set when the work failed for this object alone: the row stays for an administrator (and the
    # queue moves on) instead of blocking every object behind it.
    failed_at = models.DateTimeField("失败时间", null=True, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "待处理后续工作"
        verbose_name_plural = "待处理后续工作"
        indexes = [models.Index(fields=["queue", "id"], name="pending_work_queue_order")]

    def __str__(self) -> str:
        return f"{self.queue}:{self.object_id}"
