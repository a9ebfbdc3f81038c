from django.db import models


class PerformanceSource(models.TextChoices):
    """The legal document the obligation comes from."""

    AGREEMENT = "agreement", "调解协议"
    CONFIRMATION_RULING = "confirmation_ruling", "司法确认裁定"
    JUDGMENT = "judgment", "判决书"
    COURT_SETTLEMENT = "court_settlement", "法院调解书/委托调解协议"


class PlanStatus(models.TextChoices):
    """PerformancePlan.status; only ``enforcement/lifecycle.py`` changes it."""

    PERFORMING = "performing", "履行中"
    PERFORMED = "performed", "已履行完毕"
    DEFAULTED = "defaulted", "逾期未履行"
    ENFORCEMENT_APPLIED = "enforcement_applied", "已申请强制执行"


class InstalmentStatus(models.TextChoices):
    PENDING = "pending", "待履行"
    REPORTED = "reported", "已报告付款，待权利人确认"
    PAID = "paid", "已确认付款"
    OVERDUE = "overdue", "逾期未履行"


class EnforcementStatus(models.TextChoices):
    OPEN = "open", "执行中"
    CONCLUDED = "concluded", "已结案"
