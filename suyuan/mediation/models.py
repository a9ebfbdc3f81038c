"""Non-litigation mediation: referral to an organisation, sessions, offers, consents, agreement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import (
    AgreementStatus,
    ConsentKind,
    ConsentVia,
    MediationKind,
    OfferStatus,
    ReferralStatus,
    SessionMode,
)

# A dispute has at most one referral being worked on at a time; a failed or withdrawn one may be
# followed by a new referral (DISPUTE "refer_again").
OPEN_REFERRAL_STATES = (
    ReferralStatus.REFERRED,
    ReferralStatus.ASSIGNED,
    ReferralStatus.DECLINED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_SESSION,
)
# What counts against a mediator's capacity (同时承办上限).
ACTIVE_LOAD_STATES = (ReferralStatus.ASSIGNED, ReferralStatus.ACCEPTED, ReferralStatus.IN_SESSION)


class Referral(models.Model):
    """A dispute sent to a mediation organisation, and (once dispatched) to one of its mediators."""

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="referrals")
    organisation = models.ForeignKey(
        "network.Organisation", verbose_name="调解组织", on_delete=models.PROTECT, related_name="referrals"
    )
    mediator = models.ForeignKey(
        "network.Mediator", verbose_name="调解员", null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals", help_text="组织管理员分派前为空。",
    )
    kind = models.CharField("调解类型", max_length=20, choices=MediationKind.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="委派人", on_delete=models.PROTECT, related_name="+"
    )
    referred_by_organisation = models.ForeignKey(
        "network.Organisation", verbose_name="委派单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    referred_at = models.DateTimeField("委派时间")
    court_referred = models.BooleanField(
        "法院委派", default=False,
        help_text="由法院工作人员在立案前委派（委派调解）；仅此类调解适用法定调解期限。",
    )
    signed_receipt_at = models.DateTimeField(
        "调解员签收时间", null=True, blank=True, help_text="调解期限自调解员签收之日起算。"
    )
    declined_mediators = models.ManyToManyField(
        "network.Mediator", verbose_name="曾拒收的调解员", blank=True, related_name="+"
    )
    note = models.CharField("委派说明", max_length=500, blank=True)
    outcome_reason = models.CharField("结果说明", max_length=500, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "调解委派"
        verbose_name_plural = "调解委派"
        ordering = ["-referred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute"], condition=Q(status__in=OPEN_REFERRAL_STATES), name="referral_one_open_per_dispute"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="referral_org_queue_idx"),
            models.Index(fields=["mediator", "status"], name="referral_mediator_idx"),
        ]

    def __str__(self) -> str:
        return f"调解委派#{self.pk}"


class Session(models.Model):
    """One mediation session, in person or online (with the meeting link the adapter issued)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sessions")
    mode = models.CharField("方式", max_length=20, choices=SessionMode.choices)
    scheduled_at = models.DateTimeField("时间")
    location = models.CharField("地点", max_length=200, blank=True)
    meeting_url = models.CharField("在线会议链接", max_length=300, blank=True)
    meeting_ref = models.CharField("会议编号", max_length=80, blank=True)
    meeting_provider = models.CharField("会议服务", max_length=40, blank=True)
    summary = models.TextField("调解记录摘要", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "调解会"
        verbose_name_plural = "调解会"
        ordering = ["scheduled_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.scheduled_at:%Y-%m-%d %H:%M}"


class LocalMeeting(models.Model):
    """A meeting room issued by the local video-meeting adapter (development and tests; no network)."""

    ref = models.CharField("会议编号", max_length=80, unique=True)
    url = models.CharField("链接", max_length=300, unique=True)
    topic = models.CharField("主题", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "本地会议室"
        verbose_name_plural = "本地会议室"

    def __str__(self) -> str:
        return self.ref


class Offer(models.Model):
    """A proposal made in mediation: by a party, or by the mediator (调解方案)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="offers")
    proposed_by_party = models.ForeignKey(
        "parties.Party", verbose_name="提出方", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="为空表示调解员提出的调解方案。",
    )
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    terms = models.TextField("方案内容")
    status = models.CharField("状态", max_length=20, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField("答复时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "调解方案"
        verbose_name_plural = "调解方案"
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="offer_amount_not_negative")]

    def __str__(self) -> str:
        return f"方案#{self.pk}"

    @property
    def proposer_label(self) -> str:
        return self.proposed_by_party.name if self.proposed_by_party else "调解员"


class ConsentRecord(models.Model):
    """One entry of the consent ledger. Append-only: the party's current will is their latest entry.

    Mediation is voluntary (《人民调解法》第三条、第十七条: a party who clearly refuses may not be
    mediated), online mediation needs each party's agreement (《人民法院在线调解规则》第三条), and
    electronic service needs the addressee's consent (《民事诉讼法》第九十条).
    """

    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="consents")
    party = models.ForeignKey("parties.Party", verbose_name="当事人", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项", max_length=30, choices=ConsentKind.choices)
    given = models.BooleanField("同意")
    at = models.DateTimeField("时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    via = models.CharField("方式", max_length=20, choices=ConsentVia.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "当事人意愿记录"
        verbose_name_plural = "当事人意愿记录"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["dispute", "party", "kind", "at"], name="consent_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{'同意' if self.given else '不同意'}"


class Agreement(models.Model):
    """调解协议. Effective on the day the last party signs (《人民调解法》第二十九条)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="agreements")
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="agreements")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    terms = models.TextField("协议内容")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    instalments = models.JSONField(
        "履行安排", default=list, blank=True,
        help_text="分期履行计划：[{\"due\": \"YYYY-MM-DD\", \"amount\": \"1000.00\"}, …]；一次性履行为一期。",
    )
    status = models.CharField("状态", max_length=30, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    document = models.ForeignKey(
        "documents.Document", verbose_name="调解协议书", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="送签时生成的文书；当事人在该文书上签署（documents 应用的签名服务）。",
    )
    issued_at = models.DateTimeField("送签时间", null=True, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    effective_at = models.DateTimeField("生效时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "调解协议"
        verbose_name_plural = "调解协议"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="agreement_amount_not_negative"),
            # Revising returns the same agreement to draft; a referral never has two.
            models.UniqueConstraint(fields=["referral"], name="agreement_one_per_referral"),
        ]

    def __str__(self) -> str:
        return f"调解协议#{self.pk}"
