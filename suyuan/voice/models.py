"""Satisfaction surveys, complaints about mediators and organisations, and the deputies (两代表一委员)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintOutcome,
    ComplaintStatus,
    ComplaintSubject,
    DeputyKind,
    InvitationKind,
    InvitationStatus,
    SurveyStage,
    SurveyStatus,
)


class Survey(models.Model):
    """One party's satisfaction survey about one closed stage of a dispute: one survey, one answer.

    Created by the voice app's ``Lifecycle.after`` hooks when a stage closes; the party answers
    through a signed, expiring SMS link (no password) or in the portal.
    """

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="surveys")
    party = models.ForeignKey("parties.Party", verbose_name="当事人", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("评价环节", max_length=20, choices=SurveyStage.choices)
    object_ref = models.CharField("对象", max_length=40, help_text="结束的环节，如 referral:12。")
    mediator = models.ForeignKey("network.Mediator", verbose_name="调解员", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="surveys")
    organisation = models.ForeignKey("network.Organisation", verbose_name="承办单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="surveys",
                                     help_text="调解组织或法院。")
    status = models.CharField("状态", max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.SENT)
    version = models.PositiveIntegerField(default=1)
    questions = models.JSONField("题目", default=list,
                                 help_text="发出时的题目（代码与文字），题目数据改动不影响已发出的评价。")
    answers = models.JSONField("评分", default=dict, help_text="题目代码 → 1–5 分。")
    comment = models.CharField("意见建议", max_length=500, blank=True)
    expires_on = models.DateField("评价截止日")
    created_at = models.DateTimeField("发出时间", auto_now_add=True)
    answered_at = models.DateTimeField("评价时间", null=True, blank=True)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "party", "stage", "object_ref"], name="survey_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}评价 #{self.pk}"

    @property
    def score(self) -> float | None:
        values = [int(v) for v in (self.answers or {}).values()]
        return sum(values) / len(values) if values else None


class Complaint(models.Model):
    """A complaint about a mediator or a mediation organisation, handled by that organisation's admin."""

    number = models.CharField("投诉编号", max_length=30, unique=True)
    dispute = models.ForeignKey("disputes.Dispute", verbose_name="涉及纠纷", on_delete=models.PROTECT,
                                related_name="complaints")
    subject = models.CharField("投诉对象类型", max_length=20, choices=ComplaintSubject.choices)
    mediator = models.ForeignKey("network.Mediator", verbose_name="被投诉调解员", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="complaints")
    organisation = models.ForeignKey("network.Organisation", verbose_name="调解组织", on_delete=models.PROTECT,
                                     related_name="complaints", help_text="负责办理投诉的组织（调解员所在组织）。")
    complainant = models.ForeignKey("parties.Party", verbose_name="投诉人", on_delete=models.PROTECT,
                                    related_name="+")
    channel = models.CharField("来源", max_length=20, choices=ComplaintChannel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    category = models.CharField("投诉事项", max_length=20, choices=ComplaintCategory.choices)
    description = models.TextField("投诉内容", max_length=2000)
    status = models.CharField("状态", max_length=20, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED)
    version = models.PositiveIntegerField(default=1)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("办理期限", help_text="按规则数据（complaint_handling）计算。")
    due_citation = models.CharField("期限依据", max_length=300)
    outcome = models.CharField("核查结论", max_length=20, choices=ComplaintOutcome.choices, blank=True)
    answer = models.TextField("答复内容", max_length=2000, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤回原因", max_length=300, blank=True)
    created_at = models.DateTimeField("收到时间", auto_now_add=True)

    class Meta:
        verbose_name = "投诉"
        verbose_name_plural = "投诉"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(subject="organisation") | Q(mediator__isnull=False),
                                   name="complaint_mediator_named"),
        ]

    def __str__(self) -> str:
        return self.number


class DeputyProfile(models.Model):
    """A deputy's account particulars: NPC deputy or CPPCC member, and the body they sit in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deputy_profile",
                                limit_choices_to={"role": "deputy"})
    kind = models.CharField("身份", max_length=10, choices=DeputyKind.choices)
    body = models.CharField("所在人大/政协", max_length=100, help_text="如：石嘴山市人大常委会、大武口区政协。")
    sector = models.CharField("界别/代表团", max_length=100, blank=True)

    class Meta:
        verbose_name = "人大代表/政协委员"
        verbose_name_plural = "人大代表/政协委员"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user}"


class Invitation(models.Model):
    """An invitation to a deputy to observe or take part in a mediation, or to a demonstration case."""

    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受邀代表委员", on_delete=models.PROTECT,
                               related_name="deputy_invitations")
    dispute = models.ForeignKey("disputes.Dispute", verbose_name="纠纷", on_delete=models.PROTECT,
                                related_name="deputy_invitations")
    kind = models.CharField("邀请事项", max_length=20, choices=InvitationKind.choices)
    session = models.ForeignKey("mediation.Session", verbose_name="调解安排", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField("时间")
    location = models.CharField("地点", max_length=200)
    note = models.CharField("说明", max_length=500, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="邀请人", on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField("状态", max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.SENT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField("邀请时间", auto_now_add=True)

    class Meta:
        verbose_name = "代表委员邀请"
        verbose_name_plural = "代表委员邀请"
        ordering = ["-scheduled_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Feedback(models.Model):
    """A deputy's feedback on what they observed, and the inviter's (or organisation's) answer."""

    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="feedback")
    text = models.TextField("意见建议", max_length=2000)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "代表委员意见"
        verbose_name_plural = "代表委员意见"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"意见 #{self.pk}"
