"""Performance of an obligation (plan and instalments) and the enforcement case that follows default."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import (
    DerivativeKind,
    DerivativeStatus,
    EnforcementBasis,
    EnforcementStatus,
    EnforcementTrack,
    InstalmentStatus,
    PerformanceSource,
    PlanStatus,
)


class PerformancePlan(models.Model):
    """What the obligor must pay the obligee, and when; created when the dispute enters "performing".

    A dispute has one plan from its legal document, plus one per settlement reached in enforcement
    (执行和解协议, source ``enforcement_settlement``): the constraint below allows only those extra.
    """

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="performance_plans",
                                related_query_name="performance_plan")
    source = models.CharField("履行依据", max_length=30, choices=PerformanceSource.choices)
    obligor = models.ForeignKey("parties.Party", verbose_name="义务人", on_delete=models.PROTECT, related_name="+")
    obligee = models.ForeignKey("parties.Party", verbose_name="权利人", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("应履行总额（元）", max_digits=14, decimal_places=2)
    status = models.CharField("状态", max_length=30, choices=PlanStatus.choices, default=PlanStatus.PERFORMING)
    last_default_due = models.DateField(
        "最近一期逾期的履行期限", null=True, blank=True,
        help_text="申请执行期间自每次履行期间的最后一日起算（民事诉讼法第二百五十条）。",
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "履行方案"
        verbose_name_plural = "履行方案"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="plan_total_positive"),
            models.CheckConstraint(condition=~Q(obligor=models.F("obligee")), name="plan_two_sides"),
            models.UniqueConstraint(fields=["dispute"], condition=~Q(source=PerformanceSource.ENFORCEMENT_SETTLEMENT),
                                    name="plan_one_original_per_dispute"),
        ]

    def __str__(self) -> str:
        return f"履行方案 {self.dispute_id}"

    @property
    def paid_total(self) -> Decimal:
        return sum((i.paid_amount for i in self.instalments.all()), Decimal("0"))


class Instalment(models.Model):
    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveSmallIntegerField("期次")
    due = models.DateField("履行期限", help_text="约定（或裁判确定）的本期最后履行日。")
    amount = models.DecimalField("应付金额（元）", max_digits=14, decimal_places=2)
    paid_amount = models.DecimalField("已确认金额（元）", max_digits=14, decimal_places=2, default=Decimal("0"))
    reported_amount = models.DecimalField(
        "报告付款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    report_note = models.CharField("付款说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=InstalmentStatus.choices,
                              default=InstalmentStatus.PENDING)
    reported_at = models.DateTimeField("报告付款时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认收款时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "分期履行"
        verbose_name_plural = "分期履行"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="instalment_position_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=models.F("amount")),
                                   name="instalment_paid_within_amount"),
        ]

    def __str__(self) -> str:
        return f"第{self.position}期 {self.due} {self.amount}"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.paid_amount


class EnforcementGroup(models.Model):
    """大案联执: the cases of one court against one debtor, handled together."""

    court = models.ForeignKey("network.Organisation", verbose_name="执行法院", on_delete=models.PROTECT,
                              related_name="+")
    respondent = models.ForeignKey("parties.Party", verbose_name="被执行人", on_delete=models.PROTECT,
                                   related_name="+")
    name = models.CharField("名称", max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    class Meta:
        verbose_name = "联合执行组"
        verbose_name_plural = "联合执行组"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["court", "respondent"], name="enforcement_group_one_per_debtor"),
        ]

    def __str__(self) -> str:
        return self.name


class DerivativeCase(models.Model):
    """执行异议 (执异) or 执行复议 (执复, at the court above), linked to the main enforcement case."""

    main_case = models.ForeignKey("EnforcementCase", verbose_name="执行案件", on_delete=models.PROTECT,
                                  related_name="derivatives")
    reviews = models.ForeignKey("self", verbose_name="复议所针对的异议案件", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="review_cases")
    kind = models.CharField("类型", max_length=20, choices=DerivativeKind.choices)
    court = models.ForeignKey("network.Organisation", verbose_name="审查法院", on_delete=models.PROTECT,
                              related_name="+")
    number = models.CharField("案号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    applicant = models.ForeignKey("parties.Party", verbose_name="异议人/复议申请人", on_delete=models.PROTECT,
                                  related_name="+")
    grounds = models.TextField("异议/复议理由")
    received_on = models.DateField("收到书面申请日期")
    due_on = models.DateField("审查期限届满日", null=True, blank=True)
    citation = models.CharField("审查期限依据", max_length=300, blank=True)
    status = models.CharField("状态", max_length=20, choices=DerivativeStatus.choices,
                              default=DerivativeStatus.FILED)
    decision = models.CharField("审查结果", max_length=300, blank=True)
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "执行异议/复议案件"
        verbose_name_plural = "执行异议/复议案件"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["court", "kind", "year", "serial"], name="derivative_serial_unique"),
            models.CheckConstraint(condition=Q(kind=DerivativeKind.OBJECTION) | Q(reviews__isnull=False),
                                   name="derivative_review_names_objection"),
        ]

    def __str__(self) -> str:
        return self.number


class EnforcementCase(models.Model):
    """An application for enforcement (执), numbered （2026）宁0202执123号.

    Opened from a defaulted performance plan (``plan``) or directly from an effective legal
    document (``basis`` + ``basis_reference``, performance due ``performance_due``).
    """

    plan = models.OneToOneField(PerformancePlan, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="enforcement_case")
    basis = models.CharField("执行依据", max_length=30, choices=EnforcementBasis.choices,
                             default=EnforcementBasis.PERFORMANCE_PLAN)
    basis_reference = models.CharField("执行依据文书编号", max_length=60, blank=True)
    performance_due = models.DateField("履行期间最后一日", null=True, blank=True)
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="enforcement_cases")
    court = models.ForeignKey("network.Organisation", verbose_name="执行法院", on_delete=models.PROTECT,
                              related_name="enforcement_cases")
    number = models.CharField("案号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    applicant = models.ForeignKey("parties.Party", verbose_name="申请执行人", on_delete=models.PROTECT,
                                  related_name="+")
    respondent = models.ForeignKey("parties.Party", verbose_name="被执行人", on_delete=models.PROTECT,
                                   related_name="+")
    amount = models.DecimalField("申请执行标的（元）", max_digits=14, decimal_places=2)
    status = models.CharField("状态", max_length=20, choices=EnforcementStatus.choices,
                              default=EnforcementStatus.OPEN)
    applied_at = models.DateTimeField("申请时间")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    period_citation = models.CharField("申请执行期间依据", max_length=300)
    outcome = models.CharField("结案情况", max_length=200, blank=True)
    concluded_at = models.DateTimeField("结案时间", null=True, blank=True)
    # Service of the 执行通知书 and 报告财产令 is recorded on the case (the documents themselves are
    # in suyuan.documents); both are conditions of 终本 (法〔2016〕373号 第一条第一项).
    notice_served_at = models.DateTimeField("执行通知书送达时间", null=True, blank=True)
    report_order_served_at = models.DateTimeField("报告财产令送达时间", null=True, blank=True)
    risk_notice_shown_at = models.DateTimeField("执行风险告知时间", null=True, blank=True)
    track = models.CharField("执行分流", max_length=20, choices=EnforcementTrack.choices, blank=True,
                             default=EnforcementTrack.UNDECIDED)
    track_suggested = models.CharField("系统建议分流", max_length=20, choices=EnforcementTrack.choices, blank=True,
                                       default=EnforcementTrack.UNDECIDED)
    track_reasons = models.JSONField("分流理由", default=list, blank=True)
    track_override_reason = models.CharField("改变分流的理由", max_length=300, blank=True)
    group = models.ForeignKey(EnforcementGroup, verbose_name="联合执行组", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="cases")
    first_measure_at = models.DateTimeField("首次采取执行措施时间", null=True, blank=True)
    recovered = models.DecimalField("执行到位金额（元）", max_digits=14, decimal_places=2, default=Decimal("0"))
    settlement_plan = models.ForeignKey(PerformancePlan, verbose_name="执行和解履行方案", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="settled_cases")
    through_settlement = models.BooleanField("经执行和解结案", default=False)
    round_ended_conditions = models.JSONField("终本条件核查记录", default=list, blank=True)
    resumed_count = models.PositiveSmallIntegerField("恢复执行次数", default=0)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "执行案件"
        verbose_name_plural = "执行案件"
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "serial"], name="enforcement_serial_unique"),
            models.CheckConstraint(condition=Q(recovered__gte=0), name="enforcement_recovered_not_negative"),
            models.CheckConstraint(condition=Q(basis=EnforcementBasis.PERFORMANCE_PLAN, plan__isnull=False)
                                   | ~Q(basis=EnforcementBasis.PERFORMANCE_PLAN), name="enforcement_plan_basis"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount - self.recovered, Decimal("0"))

    @property
    def holder(self) -> str:
        """The reference the assets app files this case's searches and measures under."""
        return f"enforcement:{self.pk}"

# ---------------------------------------------------------------------------------------------
# Credit measures with grace (限制消费, 失信被执行人名单, 宽限期): task "enfcredit", issue 12.
# Lifecycles in credit_lifecycle.py; grounds and periods in rules/data/rules/credit.toml.
# ---------------------------------------------------------------------------------------------
from .credit_choices import CreditMeasureKind, CreditMeasureStatus, GraceStatus, ReviewStatus  # noqa: E402


class CreditGrace(models.Model):
    """A grace period (宽限期) before a credit measure is published, chosen by the officer with reasons."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="credit_graces")
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField("宽限期（月）")
    reasons = models.CharField("给予宽限期的理由", max_length=500)
    starts_on = models.DateField("起始日")
    ends_on = models.DateField("届满日")
    citation = models.CharField("依据", max_length=300)
    status = models.CharField("状态", max_length=20, choices=GraceStatus.choices, default=GraceStatus.RUNNING)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("决定时间", auto_now_add=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    outcome = models.CharField("结果说明", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "失信惩戒宽限期"
        verbose_name_plural = "失信惩戒宽限期"
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="grace_ends_after_start"),
            models.UniqueConstraint(fields=["case"], condition=Q(status="running"), name="grace_one_running"),
        ]

    def __str__(self) -> str:
        return f"宽限期 {self.starts_on}—{self.ends_on}"


class CreditMeasure(models.Model):
    """A consumption restriction order (限制消费令) or a listing as a dishonest debtor (失信被执行人)."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="credit_measures")
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("措施", max_length=30, choices=CreditMeasureKind.choices)
    grace = models.ForeignKey(CreditGrace, null=True, blank=True, on_delete=models.PROTECT, related_name="measures")
    grounds = models.JSONField("适用情形（代码）", default=list)
    grounds_text = models.TextField("适用情形及依据")
    extension_grounds = models.JSONField("延长纳入期限的情形", default=list)
    extra_years = models.PositiveSmallIntegerField("延长年数", default=0)
    regime = models.CharField("适用规则体系", max_length=100)
    reasons = models.CharField("事实与理由", max_length=500)
    starts_on = models.DateField("生效日")
    ends_on = models.DateField("纳入期限届满日", null=True, blank=True, help_text="无固定期限的为空。")
    status = models.CharField("状态", max_length=20, choices=CreditMeasureStatus.choices,
                              default=CreditMeasureStatus.IN_FORCE)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间", auto_now_add=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    end_ground = models.CharField("解除/删除情形", max_length=40, blank=True)
    end_citation = models.CharField("解除/删除依据", max_length=300, blank=True)
    end_note = models.CharField("解除/删除说明", max_length=300, blank=True)
    ended_at = models.DateTimeField("解除/删除时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "信用惩戒措施"
        verbose_name_plural = "信用惩戒措施"
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(status="in_force"),
                                    name="credit_measure_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"


class CreditReview(models.Model):
    """The debtor's request to correct a listing (纠正申请), decided within the rule's period."""

    measure = models.ForeignKey(CreditMeasure, on_delete=models.PROTECT, related_name="reviews")
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="+")
    grounds = models.JSONField("申请事由（代码）", default=list)
    statement = models.CharField("申请理由", max_length=1000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    due_on = models.DateField("审查期限届满日")
    citation = models.CharField("依据", max_length=300)
    status = models.CharField("状态", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    decision = models.CharField("审查意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "失信纠正申请"
        verbose_name_plural = "失信纠正申请"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"纠正申请 {self.measure_id}"
