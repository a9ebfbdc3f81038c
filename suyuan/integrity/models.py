"""Integrity records: duplicate-suit findings with the clerk's decision, and group disputes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from suyuan.common.choices import DisputeCategory
from suyuan.disputes.choices import PartyRole

from .choices import FindingStatus


class DuplicateFinding(models.Model):
    """A pair (later dispute, earlier dispute) the art. 247 check flagged, and what the clerk decided.

    The evidence is a snapshot of the comparison at the time: which parties, which claims, how
    similar. The clerk decides; the platform never refuses a filing on its own.
    """

    dispute = models.ForeignKey(
        "disputes.Dispute", verbose_name="后案", on_delete=models.CASCADE, related_name="duplicate_findings"
    )
    earlier = models.ForeignKey("disputes.Dispute", verbose_name="前案", on_delete=models.CASCADE, related_name="+")
    meets_test = models.BooleanField("符合全部条件", default=False)
    score = models.FloatField("相似度")
    evidence = models.JSONField("比对依据", default=dict)
    status = models.CharField("核实结论", max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    note = models.CharField("核实说明", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("核实时间", null=True, blank=True)
    checked_at = models.DateTimeField("比对时间", auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "重复起诉审查"
        verbose_name_plural = "重复起诉审查"
        ordering = ["-meets_test", "-score", "pk"]
        constraints = [models.UniqueConstraint(fields=["dispute", "earlier"], name="duplicate_finding_pair_once")]

    def __str__(self) -> str:
        return f"{self.dispute_id}~{self.earlier_id}"


class DisputeGroup(models.Model):
    """Disputes sharing one party on one side, in one category and court, arriving within a window:
    many claimants against one respondent (wage claims against one employer, buyers against one
    developer), or one institution filing in series (a bank's card-debt batch).

    Built as disputes arrive (the worker); a clerk may pick a demonstration case (示范案件) and
    push its outcome to the linked parallel disputes.
    """

    party = models.ForeignKey("parties.Party", verbose_name="共同当事人", on_delete=models.PROTECT, related_name="+")
    side = models.CharField("共同当事人地位", max_length=20, choices=PartyRole.choices, default=PartyRole.RESPONDENT)
    category = models.CharField("纠纷类别", max_length=30)
    court = models.ForeignKey("network.Organisation", verbose_name="管辖法院", on_delete=models.PROTECT,
                              related_name="+")
    first_at = models.DateTimeField("首件登记时间")
    last_at = models.DateTimeField("最近一件登记时间", db_index=True)
    demonstration = models.ForeignKey(
        "disputes.Dispute", verbose_name="示范案件", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField("示范案件结果", blank=True)
    pushed_at = models.DateTimeField("推送时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "群体性纠纷"
        verbose_name_plural = "群体性纠纷"
        ordering = ["-last_at", "-pk"]
        indexes = [
            models.Index(fields=["party", "side", "category", "court", "-last_at"], name="group_party_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"{self.party_id}/{self.side}/{self.category}"

    @property
    def category_label(self) -> str:
        return DisputeCategory(self.category).label if self.category in DisputeCategory.values else self.category


class GroupMember(models.Model):
    group = models.ForeignKey(DisputeGroup, on_delete=models.CASCADE, related_name="members")
    dispute = models.OneToOneField("disputes.Dispute", on_delete=models.CASCADE, related_name="group_membership")
    joined_at = models.DateTimeField("纳入时间", auto_now_add=True)
    linked = models.BooleanField("已关联为平行案件", default=False)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = "群体性纠纷成员"
        verbose_name_plural = "群体性纠纷成员"
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.dispute_id}"
