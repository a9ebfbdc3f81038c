"""Preservation applications (保全), their measures and the clerk's to-dos."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import AssetKind, MeasureKind, MeasureStatus, PreservationKind, PreservationStatus, TodoKind


class Preservation(models.Model):
    """One application for property preservation on a dispute (pre-suit) or on its case (in-suit)."""

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="preservations")
    court = models.ForeignKey("network.Organisation", verbose_name="受理法院", on_delete=models.PROTECT,
                              related_name="+")
    case = models.ForeignKey("litigation.Case", verbose_name="所涉诉讼案件", on_delete=models.PROTECT,
                             null=True, blank=True, related_name="preservations")
    kind = models.CharField("保全类型", max_length=20, choices=PreservationKind.choices)
    by_court = models.BooleanField("法院依职权采取", default=False,
                                   help_text="诉讼保全可以依申请，也可以由法院依职权裁定（民事诉讼法第一百零三条）。")
    applicant = models.ForeignKey("parties.Party", verbose_name="申请人", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    respondent = models.ForeignKey("parties.Party", verbose_name="被申请人", on_delete=models.PROTECT,
                                   related_name="+")
    amount = models.DecimalField("请求保全金额（元）", max_digits=14, decimal_places=2)
    clues = models.TextField("财产线索", blank=True)
    security_amount = models.DecimalField("担保金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    security_note = models.CharField("担保方式", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=PreservationStatus.choices,
                              default=PreservationStatus.APPLIED)
    number = models.CharField("保全案号", max_length=40, blank=True)
    ruling_reason = models.TextField("裁定理由", blank=True)
    arbitration_note = models.CharField("仲裁申请", max_length=200, blank=True)
    applied_at = models.DateTimeField("申请时间")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    ruled_at = models.DateTimeField("裁定时间", null=True, blank=True)
    measures_taken_on = models.DateField("采取保全措施之日", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "保全"
        verbose_name_plural = "保全"
        ordering = ["-applied_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="preservation_amount_positive")]

    def __str__(self) -> str:
        return self.number or f"保全申请 {self.pk}"

    @property
    def ref(self) -> str:
        """The holder reference the assets app uses for measures of this preservation."""
        return f"preservation:{self.pk}"

    @property
    def active_total(self) -> Decimal:
        """Active measures of both kinds: recorded by the clerk, and placed through the registries."""
        from .asset_measures import active_amount

        recorded = sum((m.amount for m in self.measures.filter(status=MeasureStatus.ACTIVE)), Decimal("0"))
        return recorded + active_amount(self)

    @property
    def recorded_total(self) -> Decimal:
        return sum((m.amount for m in self.measures.filter(status=MeasureStatus.ACTIVE)), Decimal("0"))


class PreservationMeasure(models.Model):
    """A measure the clerk records by hand (registry measures are ``assets.Measure`` of holder ``p.ref``)."""

    preservation = models.ForeignKey(Preservation, on_delete=models.CASCADE, related_name="measures")
    asset_kind = models.CharField("财产类型", max_length=20, choices=AssetKind.choices)
    asset = models.CharField("财产", max_length=200, help_text="如：中国工商银行石嘴山分行账户（尾号 1234）")
    kind = models.CharField("措施", max_length=20, choices=MeasureKind.choices)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    starts_on = models.DateField("起始日")
    ends_on = models.DateField("届满日")
    renewals = models.PositiveSmallIntegerField("续行次数", default=0)
    over_reason = models.CharField("超出请求金额的理由", max_length=300, blank=True)
    status = models.CharField("状态", max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.ACTIVE)
    substitute_for = models.ForeignKey("self", verbose_name="替换的措施", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField("解除时间", null=True, blank=True)
    end_reason = models.CharField("解除理由", max_length=300, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField("采取时间", auto_now_add=True)

    class Meta:
        verbose_name = "保全措施"
        verbose_name_plural = "保全措施"
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="measure_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{self.asset}"


class PreservationTodo(models.Model):
    """What the clerk must do next: lift these measures, carry them into enforcement, rule now."""

    preservation = models.ForeignKey(Preservation, on_delete=models.CASCADE, related_name="todos")
    kind = models.CharField("事项", max_length=20, choices=TodoKind.choices)
    text = models.TextField("内容")
    cause = models.CharField("原因", max_length=100)
    created_at = models.DateTimeField("提示时间", auto_now_add=True)
    done_at = models.DateTimeField("办结时间", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = "保全待办"
        verbose_name_plural = "保全待办"
        ordering = ["done_at", "-pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
