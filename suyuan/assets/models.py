"""Asset searches, assets found or given as clues, and the measures controlling them.

Each row belongs to a *holder*, a string reference of the owning object (``preservation:<pk>`` or
``enforcement:<pk>``): this app sits below preservation and enforcement and cannot point a
ForeignKey up to them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from suyuan.common.masking import mask_id_number

from .choices import AssetKind, AssetSource, MeasureKind, MeasureStatus, SearchStatus


class AssetSearch(models.Model):
    """One request to the registry (总对总/点对点 network) for a party's assets of some kinds."""

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="asset_searches")
    holder = models.CharField("所属程序", max_length=40, db_index=True)
    party = models.ForeignKey("parties.Party", verbose_name="被查询人", on_delete=models.PROTECT, related_name="+")
    kinds = models.JSONField("查询财产类型", default=list)
    status = models.CharField("状态", max_length=20, choices=SearchStatus.choices, default=SearchStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField("提交时间", auto_now_add=True)
    attempts = models.PositiveSmallIntegerField("已查询次数", default=0)
    last_error = models.CharField("最近一次错误", max_length=300, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    pending_sources = models.JSONField("未反馈机构", default=list)
    next_attempt_at = models.DateTimeField("下次查询时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "财产查询"
        verbose_name_plural = "财产查询"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"财产查询 {self.pk}（{self.holder}）"


class Asset(models.Model):
    """A piece of property of a party, found by a search or given by the applicant as a clue."""

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="assets")
    holder = models.CharField("所属程序", max_length=40, db_index=True)
    party = models.ForeignKey("parties.Party", verbose_name="权利人（财产所有人）", on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField("财产类型", max_length=20, choices=AssetKind.choices)
    institution = models.CharField("登记/开户机构", max_length=100)
    identifier = models.CharField("账号/权证号/号牌", max_length=80)
    description = models.CharField("财产描述", max_length=300, blank=True)
    value = models.DecimalField("价值或余额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    source = models.CharField("来源", max_length=10, choices=AssetSource.choices)
    search = models.ForeignKey(AssetSearch, on_delete=models.PROTECT, null=True, blank=True, related_name="assets")
    found_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        verbose_name = "财产"
        verbose_name_plural = "财产"
        ordering = ["holder", "kind", "pk"]
        constraints = [
            # A retried search (at-least-once task delivery) finds the same records again: the
            # holder keeps one row per real asset.
            models.UniqueConstraint(fields=["holder", "kind", "institution", "identifier"],
                                    name="asset_unique_per_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.institution} {self.masked_identifier}"

    @property
    def masked_identifier(self) -> str:
        return mask_identifier(self.identifier)


def mask_identifier(value: str) -> str:
    """Account numbers, certificates and plates: keep a short head and the last four characters."""
    if len(value) <= 6:
        return value[:1] + "*" * max(len(value) - 2, 0) + value[-1:]
    if len(value) >= 15 and value.isdigit():
        return mask_id_number(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


class Measure(models.Model):
    """A freeze, seizure, distraint or deduction on one asset, with its legal period."""

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="asset_measures")
    holder = models.CharField("所属程序", max_length=40, db_index=True)
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField("措施", max_length=20, choices=MeasureKind.choices)
    requested_amount = models.DecimalField("申请控制金额（元）", max_digits=16, decimal_places=2)
    amount = models.DecimalField("实际控制金额（元）", max_digits=16, decimal_places=2)
    deducted_amount = models.DecimalField("已扣划给申请人（元）", max_digits=16, decimal_places=2,
                                          default=Decimal("0"))
    priority = models.PositiveSmallIntegerField("轮候顺位", default=1, help_text="1 为首封/首冻。")
    starts_on = models.DateField("起始日")
    ends_on = models.DateField("届满日")
    status = models.CharField("状态", max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.ACTIVE)
    renewals = models.PositiveSmallIntegerField("续行次数", default=0)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="实施人", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    placed_at = models.DateTimeField("实施时间", auto_now_add=True)
    ended_at = models.DateTimeField("解除/届满时间", null=True, blank=True)
    reason = models.CharField("理由", max_length=300, blank=True)
    over_reason = models.CharField("超标的控制理由", max_length=300, blank=True)
    registry_reference = models.CharField("协助执行回执号", max_length=60, blank=True)
    transferred_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "控制措施"
        verbose_name_plural = "控制措施"
        ordering = ["holder", "priority", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="measure_amount_non_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="measure_period_order"),
            # A measure carried over from preservation to enforcement is carried once.
            models.UniqueConstraint(fields=["transferred_from"], condition=Q(transferred_from__isnull=False),
                                    name="measure_transferred_once"),
        ]
        indexes = [models.Index(fields=["status", "ends_on"], name="measure_status_ends_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset}（{self.get_status_display()}）"
