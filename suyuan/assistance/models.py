"""A task a court officer gives the grid worker of a party's grid, and the photos of the report back.

The owner is a holder string ("enforcement:<pk>", later "service:<pk>" for litigation service):
this app sits below the stage apps and cannot point a ForeignKey up to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import AssistKind, AssistStatus


class AssistTask(models.Model):
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="assist_tasks")
    holder = models.CharField("所属事项", max_length=40, db_index=True, help_text="如 enforcement:12。")
    court = models.ForeignKey("network.Organisation", verbose_name="委托法院", on_delete=models.PROTECT,
                              related_name="+")
    party = models.ForeignKey("parties.Party", verbose_name="对象当事人", on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("network.Region", verbose_name="网格", on_delete=models.PROTECT, related_name="+")
    grid_worker = models.ForeignKey("network.GridWorker", verbose_name="网格员", on_delete=models.PROTECT,
                                    related_name="assist_tasks")
    kind = models.CharField("协助事项", max_length=20, choices=AssistKind.choices)
    instructions = models.CharField("协助要求", max_length=500)
    due_on = models.DateField("办理期限")
    status = models.CharField("状态", max_length=20, choices=AssistStatus.choices, default=AssistStatus.ASSIGNED)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("派发时间", auto_now_add=True)
    report = models.TextField("反馈情况", blank=True)
    location_note = models.CharField("位置说明", max_length=200, blank=True)
    reported_at = models.DateTimeField("反馈时间", null=True, blank=True)
    return_reason = models.CharField("退回理由", max_length=300, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "网格协助任务"
        verbose_name_plural = "网格协助任务"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["grid_worker", "status"], name="assist_worker_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.holder}"


class AssistPhoto(models.Model):
    task = models.ForeignKey(AssistTask, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to="assistance/%Y/%m/")
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "协助现场照片"
        verbose_name_plural = "协助现场照片"
        ordering = ["task", "pk"]

    def __str__(self) -> str:
        return f"照片 {self.pk}（任务 {self.task_id}）"
