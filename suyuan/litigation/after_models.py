"""Models of what happens after judgment: service of documents, appeals, retrial pre-review, judicial aid.

Imported by ``models.py``; foreign keys to ``Case`` are by name so this module does not import it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import AidStatus, AppealOutcome, RetrialKind, RetrialStatus, ServedDocument, ServiceMethod


class ServiceConsent(models.Model):
    """A party's consent to electronic service (民事诉讼法 第九十条: 经受送达人同意)."""

    case = models.ForeignKey("litigation.Case", on_delete=models.PROTECT, related_name="service_consents")
    party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("电子送达地址", max_length=200)
    consented_on = models.DateField("同意日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "电子送达同意"
        verbose_name_plural = "电子送达同意"
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="service_consent_once")]

    def __str__(self) -> str:
        return f"电子送达同意 #{self.pk}"


class ServiceRecord(models.Model):
    """送达 of one document to one party, with its proof; the party's appeal period runs from it."""

    case = models.ForeignKey("litigation.Case", on_delete=models.PROTECT, related_name="service_records")
    document = models.CharField("送达文书", max_length=20, choices=ServedDocument.choices)
    party = models.ForeignKey("parties.Party", verbose_name="受送达人", on_delete=models.PROTECT, related_name="+")
    method = models.CharField("送达方式", max_length=20, choices=ServiceMethod.choices)
    sent_on = models.DateField("送达（发出、公告）日期")
    served_on = models.DateField("视为送达之日", help_text="公告送达的，为公告期满之日。")
    receipt = models.CharField("送达回证/签收情况", max_length=200, blank=True)
    tracking_number = models.CharField("邮件单号", max_length=40, blank=True)
    proof_document_id = models.PositiveBigIntegerField("送达凭证文档", null=True, blank=True)
    address = models.CharField("送达地址", max_length=200, blank=True)
    citation = models.CharField("依据", max_length=300, blank=True)
    appeal_due = models.DateField("上诉期届满日", null=True, blank=True)
    appeal_citation = models.CharField("上诉期依据", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["served_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "document", "party"], name="service_once_per_document_party"),
        ]

    def __str__(self) -> str:
        return f"送达 #{self.pk}"


class Appeal(models.Model):
    """上诉: filed through the first-instance court, the file goes up to the court above."""

    case = models.ForeignKey("litigation.Case", on_delete=models.PROTECT, related_name="appeals")
    party = models.ForeignKey("parties.Party", verbose_name="上诉人", on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField("上诉日期")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField("上诉请求和理由")
    upper_court = models.ForeignKey("network.Organisation", verbose_name="第二审法院", on_delete=models.PROTECT,
                                    related_name="appeals_received")
    second_case = models.ForeignKey("litigation.Case", verbose_name="二审案件", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="appeals_heard")
    transferred_at = models.DateTimeField("卷宗移送时间", null=True, blank=True)

    class Meta:
        verbose_name = "上诉"
        verbose_name_plural = "上诉"
        ordering = ["filed_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="appeal_once_per_party")]

    def __str__(self) -> str:
        return f"上诉 #{self.pk}"



class AppealDecision(models.Model):
    """How the second instance decided (二审裁判), one per second-instance case (民终).

    Affirmed: the first-instance judgment takes effect on the day this is served. Amended: this
    decision's own sum and period are what is performed (a ``Judgment`` of the second-instance case).
    Remanded: the court below registers a new first-instance case for the retrial (``retrial_case``).
    """

    second_case = models.OneToOneField("litigation.Case", verbose_name="二审案件", on_delete=models.PROTECT,
                                       related_name="appeal_decision")
    first_case = models.ForeignKey("litigation.Case", verbose_name="一审案件", on_delete=models.PROTECT,
                                   related_name="appeal_decisions")
    outcome = models.CharField("裁判结果", max_length=10, choices=AppealOutcome.choices)
    main_text = models.TextField("裁判主文")
    reasons = models.TextField("理由", blank=True, help_text="发回重审须写明撤销原判决的理由。")
    pronounced_on = models.DateField("宣判日期")
    served_on = models.DateField("送达日期", help_text="终审判决、裁定送达当事人之日，维持或改判的自该日发生法律效力。")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审判长", on_delete=models.PROTECT,
                              related_name="+")
    citation = models.CharField("法律依据", max_length=300)
    retrial_case = models.OneToOneField("litigation.Case", verbose_name="重审案件", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="remanded_by")
    decided_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "二审裁判"
        verbose_name_plural = "二审裁判"
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="remand") | Q(retrial_case__isnull=False),
                                   name="appeal_decision_remand_has_retrial_case"),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()

class RetrialApplication(models.Model):
    """申请再审 / 申诉: intake, pre-filing explanation (释明) and review, decision with reasons."""

    case = models.ForeignKey("litigation.Case", verbose_name="原审案件", on_delete=models.PROTECT,
                             related_name="retrial_applications")
    court = models.ForeignKey("network.Organisation", verbose_name="审查法院", on_delete=models.PROTECT,
                              related_name="retrial_applications")
    kind = models.CharField("类型", max_length=20, choices=RetrialKind.choices, default=RetrialKind.RETRIAL)
    applicant = models.ForeignKey("parties.Party", verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField("申请理由")
    received_on = models.DateField("收到申请之日")
    effective_on = models.DateField("原裁判生效之日")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=RetrialStatus.choices, default=RetrialStatus.RECEIVED)
    explanation = models.TextField("释明内容", blank=True)
    decision_reasons = models.TextField("决定理由", blank=True)
    review_due = models.DateField("审查期限届满日", null=True, blank=True)
    review_citation = models.CharField("审查期限依据", max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "再审申请"
        verbose_name_plural = "再审申请"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def object_ref(self) -> str:
        return f"retrial:{self.pk}"


class JudicialAid(models.Model):
    """国家司法救助 for a party in hardship (法发〔2016〕16号)."""

    case = models.ForeignKey("litigation.Case", on_delete=models.PROTECT, related_name="judicial_aids")
    applicant = models.ForeignKey("parties.Party", verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField("困难情形")
    documents = models.TextField("证明材料", blank=True)
    applied_at = models.DateTimeField("申请时间")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=AidStatus.choices, default=AidStatus.APPLIED)
    review_note = models.TextField("审查意见", blank=True)
    amount = models.DecimalField("救助金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    decision_reasons = models.TextField("决定理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "司法救助申请"
        verbose_name_plural = "司法救助申请"
        ordering = ["-applied_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0),
                                              name="judicial_aid_amount_positive")]

    def __str__(self) -> str:
        return f"司法救助申请 #{self.pk}"
