"""A clerk's decision on one triage proposal: what the system proposed, what the clerk chose, why."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import Path, Track, TriageTask


class TriageDecision(models.Model):
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="triage_decisions")
    court = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    task = models.CharField("分流事项", max_length=20, choices=TriageTask.choices)
    proposed = models.CharField("系统建议", max_length=120)
    proposed_confidence = models.FloatField("建议置信度", null=True, blank=True)
    decided = models.CharField("人工确定", max_length=120)
    agreed = models.BooleanField("采纳建议")
    reason = models.CharField("改判理由", max_length=500, blank=True)
    proposal = models.JSONField("建议详情（含理由）", default=dict)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("确定时间", auto_now_add=True, db_index=True)
    model_version = models.CharField("模型版本", max_length=40, blank=True)

    class Meta:
        verbose_name = "分流决定"
        verbose_name_plural = "分流决定"
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreed=True) | ~models.Q(reason=""), name="triage_override_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.task}: {self.proposed} → {self.decided}"

    def _label(self, value: str) -> str:
        choices = {TriageTask.TRACK: Track, TriageTask.PATH: Path}.get(self.task)  # type: ignore[call-overload]
        return dict(choices.choices).get(value, value) if choices else value

    @property
    def proposed_label(self) -> str:
        return self._label(self.proposed)

    @property
    def decided_label(self) -> str:
        return self._label(self.decided)


class TriageProposal(models.Model):
    """The system's stored proposal for a dispute, made as it arrives (the bulk path: cause model
    and rules, no embedding). A computation about the dispute, not a change to it: the timeline
    records the clerk's decision (``TriageDecision``), which keeps the proposal it was made on."""

    dispute = models.OneToOneField("disputes.Dispute", on_delete=models.CASCADE, related_name="triage_proposal")
    cause = models.CharField("建议案由", max_length=120)
    cause_confidence = models.FloatField("案由置信度")
    track = models.CharField("建议程序", max_length=20, choices=Track.choices)
    path = models.CharField("建议解纷路径", max_length=30, choices=Path.choices)
    complexity = models.SmallIntegerField("复杂度评分")
    detail = models.JSONField("建议详情（含理由）", default=dict)
    model_version = models.CharField("模型版本", max_length=40)
    proposed_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "分流建议"
        verbose_name_plural = "分流建议"

    def __str__(self) -> str:
        return f"{self.dispute_id}: {self.cause} / {self.track} / {self.path}"
