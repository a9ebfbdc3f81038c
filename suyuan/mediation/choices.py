"""Enumerations of non-litigation mediation (人民调解、行政调解、行业调解、律师调解)."""

from django.db import models


class MediationKind(models.TextChoices):
    PEOPLES = "peoples", "人民调解"
    ADMINISTRATIVE = "administrative", "行政调解"
    INDUSTRY = "industry", "行业性专业性调解"
    LAWYER = "lawyer", "律师调解"


class ReferralStatus(models.TextChoices):
    """Where a referral stands. Only ``mediation/lifecycle.py`` changes it."""

    REFERRED = "referred", "待分派"
    ASSIGNED = "assigned", "待调解员签收"
    DECLINED = "declined", "调解员拒收"
    ACCEPTED = "accepted", "已签收"
    IN_SESSION = "in_session", "调解中"
    SETTLED = "settled", "调解成功"
    FAILED = "failed", "调解不成"
    WITHDRAWN = "withdrawn", "已撤回"


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "现场调解"
    ONLINE = "online", "在线调解"


class OfferStatus(models.TextChoices):
    OPEN = "open", "待答复"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已拒绝"


class ConsentKind(models.TextChoices):
    MEDIATION = "mediation", "同意调解"
    ONLINE_MEDIATION = "online_mediation", "同意在线调解"
    ELECTRONIC_SERVICE = "electronic_service", "同意电子送达"


class ConsentVia(models.TextChoices):
    """How the party's will reached the ledger; anything but ONLINE is recorded by staff on their behalf."""

    ONLINE = "online", "当事人在线确认"
    WRITTEN = "written", "书面确认（已存档）"
    ON_SITE = "on_site", "现场口头表示并记录"
    PHONE = "phone", "电话表示并录音"


class AgreementStatus(models.TextChoices):
    """Only ``mediation/lifecycle.py`` (AGREEMENT) changes it."""

    DRAFT = "draft", "草稿"
    AWAITING_SIGNATURES = "awaiting_signatures", "待当事人签署"
    EFFECTIVE = "effective", "已生效"
