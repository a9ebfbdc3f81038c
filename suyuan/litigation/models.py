"""Court cases and what happens to them: registration, court-referred mediation, trial, judgment,
judicial confirmation (民特) and fees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# Service, appeals, retrial pre-review and judicial aid live in their own module (imported here so
# Django registers them with this app).
from .after_models import (  # noqa: F401
    Appeal,
    AppealDecision,
    JudicialAid,
    RetrialApplication,
    ServiceConsent,
    ServiceRecord,
)
from .choices import (
    CaseStatus,
    CaseType,
    ConfirmationStatus,
    FeeStatus,
    MediationOutcome,
    Procedure,
    ReliefDecision,
    ReliefKind,
)


def format_case_number(*, year: int, court_code: str, case_type: str, serial: int) -> str:
    """The SPC format: （2026）宁0202民初1234号."""
    return f"（{year}）{court_code}{case_type}{serial}号"


class Case(models.Model):
    """A suit filed in a court for a dispute. It has a number only once registered (立案)."""

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="cases")
    court = models.ForeignKey(
        "network.Organisation", verbose_name="受理法院", on_delete=models.PROTECT, related_name="cases"
    )
    case_type = models.CharField("案件类型", max_length=10, choices=CaseType.choices, default=CaseType.CIVIL_FIRST)
    year = models.PositiveSmallIntegerField("收案年度", null=True, blank=True)
    serial = models.PositiveIntegerField("案件序号", null=True, blank=True)
    number = models.CharField("案号", max_length=40, blank=True, help_text="立案时编定，如（2026）宁0202民初1234号。")
    procedure = models.CharField(
        "审理程序", max_length=20, choices=Procedure.choices, blank=True, help_text="立案时确定，可在审理前调整。"
    )
    fast_track = models.BooleanField(
        "速裁", default=False, help_text="速裁是快速审理小额诉讼或简易程序案件的方式，审限按所适用的程序计算。"
    )
    small_claims_agreed = models.BooleanField(
        "当事人约定适用小额诉讼", default=False,
        help_text="标的额超过强制适用标准但在其二倍以内，双方当事人约定适用小额诉讼程序。",
    )
    status = models.CharField("状态", max_length=30, choices=CaseStatus.choices, default=CaseStatus.FILED)
    filed_at = models.DateTimeField("起诉时间")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    materials_complete_on = models.DateField(
        "材料齐全之日", help_text="立案审查期限自此日起算（补正后自收到补正材料之日重新起算）。"
    )
    registered_at = models.DateTimeField("立案时间", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.TextField("不予受理理由", blank=True)
    trial_extension_approved_by = models.CharField("延长审限批准人", max_length=50, blank=True)
    trial_extension_reason = models.CharField("延长审限理由", max_length=500, blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "case_type", "year", "serial"], condition=Q(serial__isnull=False),
                name="case_unique_serial",
            ),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="case_unique_number"),
            models.CheckConstraint(
                condition=Q(fast_track=False) | Q(procedure__in=[Procedure.SMALL_CLAIMS, Procedure.SIMPLE]),
                name="case_fast_track_only_small_or_simple",
            ),
        ]
        indexes = [models.Index(fields=["court", "status", "filed_at"], name="case_court_queue_idx")]

    def __str__(self) -> str:
        return self.number or f"案件 #{self.pk}（未立案）"

    @property
    def label(self) -> str:
        return self.number or f"起诉 #{self.pk}（尚未立案）"


class MissingMaterialsNotice(models.Model):
    """一次性补正告知: every missing item, listed once in one notice (民诉法解释 第二百零八条；
    《关于人民法院推行立案登记制改革的意见》). Only one open notice per case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="material_notices")
    issued_at = models.DateTimeField("告知时间")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=500, blank=True)
    completed_on = models.DateField("补齐材料之日", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "一次性补正告知"
        verbose_name_plural = "一次性补正告知"
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(completed_on__isnull=True), name="one_open_materials_notice"
            )
        ]

    def __str__(self) -> str:
        return f"补正告知 #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None


class MissingMaterialItem(models.Model):
    notice = models.ForeignKey(MissingMaterialsNotice, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("需补正的材料", max_length=300)

    class Meta:
        verbose_name = "补正材料"
        verbose_name_plural = "补正材料"
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["notice", "position"], name="material_item_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class CourtMediation(models.Model):
    """委托调解: court-referred mediation after registration, with the parties' consent."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="court_mediations")
    mediator = models.ForeignKey("network.Mediator", verbose_name="调解员", on_delete=models.PROTECT,
                                 related_name="court_mediations")
    assigned_at = models.DateTimeField("委托时间")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consent_summary = models.CharField("当事人同意情况", max_length=300, blank=True)
    signed_receipt_at = models.DateTimeField("调解员签收时间", null=True, blank=True)
    regime = models.CharField("适用规则", max_length=100, blank=True)
    citation = models.CharField("依据", max_length=300, blank=True)
    due = models.DateField("调解期限届满日", null=True, blank=True)
    extended = models.BooleanField("双方同意延长", default=False)
    extension_agreed_at = models.DateTimeField("同意延长时间", null=True, blank=True)
    extension_note = models.CharField("延长说明", max_length=300, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=MediationOutcome.choices,
                               default=MediationOutcome.PENDING)
    outcome_at = models.DateTimeField("结果时间", null=True, blank=True)
    outcome_note = models.TextField("结果说明", blank=True)

    class Meta:
        verbose_name = "委托调解"
        verbose_name_plural = "委托调解"
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(outcome=MediationOutcome.PENDING), name="one_pending_court_mediation"
            )
        ]

    def __str__(self) -> str:
        return f"委托调解 #{self.pk}"

    @property
    def object_ref(self) -> str:
        return f"court_mediation:{self.pk}"


class Judgment(models.Model):
    """A judgment with its performance notice (履行告知书)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="judgment")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pronounced_on = models.DateField("宣判日期")
    main_text = models.TextField("判决主文")
    amount = models.DecimalField("应履行金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    # An absolute date only where the judgment is final on pronouncement (small claims); otherwise
    # the period runs "自判决生效之日起 N 日内" and ``perform_by`` is set when it becomes effective.
    perform_by = models.DateField("履行期限", null=True, blank=True)
    perform_within_days = models.PositiveSmallIntegerField("自判决生效之日起履行日数", null=True, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    consequences = models.TextField("不履行的法律后果")
    document_id = models.PositiveBigIntegerField("履行告知书文档", null=True, blank=True)

    class Meta:
        verbose_name = "判决"
        verbose_name_plural = "判决"

    def __str__(self) -> str:
        return f"判决 {self.case}"


class ConfirmationApplication(models.Model):
    """司法确认: the parties' joint application to confirm a mediation agreement (case type 民特)."""

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="confirmations")
    court = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="confirmations")
    agreement_ref = models.PositiveBigIntegerField(
        "调解协议", help_text="mediation.Agreement 的主键（调解协议由调解模块管理）。"
    )
    agreement_effective_on = models.DateField("调解协议生效日期")
    applied_at = models.DateTimeField("申请时间")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    joint = models.BooleanField("双方共同申请", default=True)
    status = models.CharField("状态", max_length=20, choices=ConfirmationStatus.choices,
                              default=ConfirmationStatus.APPLIED)
    year = models.PositiveSmallIntegerField("收案年度", null=True, blank=True)
    serial = models.PositiveIntegerField("案件序号", null=True, blank=True)
    number = models.CharField("案号", max_length=40, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    ruling_extended = models.BooleanField("经院长批准延长", default=False)
    extension_approved_by = models.CharField("批准人", max_length=50, blank=True)
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField("理由", blank=True)
    document_id = models.PositiveBigIntegerField("裁定书文档", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "司法确认申请"
        verbose_name_plural = "司法确认申请"
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "serial"], condition=Q(serial__isnull=False),
                name="confirmation_unique_serial",
            ),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="confirmation_unique_number"),
        ]

    def __str__(self) -> str:
        return self.number or f"司法确认申请 #{self.pk}"

    @property
    def object_ref(self) -> str:
        return f"confirmation:{self.pk}"


class FeeNotice(models.Model):
    """Notice to pay the court fee (交纳诉讼费用通知), with a half-fee ground when one applies."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="fee_notices")
    amount = models.DecimalField("应交金额（元）", max_digits=12, decimal_places=2)
    half_fee_ground = models.CharField("减半收取事由", max_length=30, blank=True)
    notified_on = models.DateField("通知日期")
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("交费期限")
    citation = models.CharField("依据", max_length=300)
    status = models.CharField("状态", max_length=20, choices=FeeStatus.choices, default=FeeStatus.NOTIFIED)
    paid_on = models.DateField("交费日期", null=True, blank=True)

    class Meta:
        verbose_name = "交费通知"
        verbose_name_plural = "交费通知"
        ordering = ["notified_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_not_negative")]

    def __str__(self) -> str:
        return f"交费通知 {self.amount} 元"


class FeeRelief(models.Model):
    """An application for 缓交/减交/免交 of the court fee and the court's decision."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="fee_reliefs")
    kind = models.CharField("申请事项", max_length=10, choices=ReliefKind.choices)
    grounds = models.TextField("申请理由")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField("申请时间")
    decision = models.CharField("审查结果", max_length=10, choices=ReliefDecision.choices,
                                default=ReliefDecision.PENDING)
    decision_reason = models.TextField("审查意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审查时间", null=True, blank=True)

    class Meta:
        verbose_name = "缓减免申请"
        verbose_name_plural = "缓减免申请"
        ordering = ["applied_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}申请 #{self.pk}"


# ==== Jurisdiction objections (管辖权异议) and service of the complaint copy ===================
# 民事诉讼法 第一百三十条: an objection to jurisdiction is raised within the answer period, which runs
# from the defendant's receipt of the complaint copy (第一百二十八条) — hence the receipt per party.


class ComplaintService(models.Model):
    """The day a defendant received the copy of the complaint (起诉状副本): the answer period runs from it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaint_services")
    party = models.ForeignKey("parties.Party", verbose_name="被告", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField("收到起诉状副本之日")
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "起诉状副本送达"
        verbose_name_plural = "起诉状副本送达"
        ordering = ["received_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="complaint_service_once_per_party")]

    def __str__(self) -> str:
        return f"起诉状副本送达 #{self.pk}"


def _objection_status_choices() -> list[tuple[str, str]]:
    from .objection_choices import ObjectionStatus

    return list(ObjectionStatus.choices)


class JurisdictionObjection(models.Model):
    """管辖权异议 raised by a defendant; ruled on by the judge (upheld → transfer, or rejected)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="jurisdiction_objections")
    party = models.ForeignKey("parties.Party", verbose_name="异议人", on_delete=models.PROTECT,
                              related_name="jurisdiction_objections")
    grounds = models.TextField("异议理由")
    filed_on = models.DateField("提出之日")
    filed_at = models.DateTimeField("提出时间")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer_due = models.DateField("答辩期届满日")
    status = models.CharField("状态", max_length=20, choices=_objection_status_choices, default="filed")
    ruling_reasons = models.TextField("裁定理由", blank=True)
    transfer_to = models.ForeignKey(
        "network.Organisation", verbose_name="移送法院", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    ruled_at = models.DateTimeField("裁定时间", null=True, blank=True)
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "管辖权异议"
        verbose_name_plural = "管辖权异议"
        ordering = ["filed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], condition=Q(status="filed"),
                                    name="one_pending_objection_per_party"),
        ]
        indexes = [models.Index(fields=["party", "filed_on"], name="objection_party_filed_idx")]

    def __str__(self) -> str:
        return f"管辖权异议 #{self.pk}"
