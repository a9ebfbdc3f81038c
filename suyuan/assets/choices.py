"""Choices of the assets app (财产查控): asset kinds, searches, measures."""

from django.db import models


class AssetKind(models.TextChoices):
    BANK = "bank", "银行存款"
    REAL_ESTATE = "real_estate", "不动产"
    VEHICLE = "vehicle", "机动车"
    SECURITIES = "securities", "证券"
    ONLINE_PAYMENT = "online_payment", "网络支付账户"
    EQUITY = "equity", "股权"
    OTHER = "other", "其他财产"


class AssetSource(models.TextChoices):
    SEARCH = "search", "网络查控"
    CLUE = "clue", "申请人提供的财产线索"


class SearchStatus(models.TextChoices):
    QUEUED = "queued", "已提交"
    RUNNING = "running", "查询中"
    COMPLETED = "completed", "已完成"
    PARTIAL = "partial", "部分完成（部分机构未反馈）"
    FAILED = "failed", "查询失败"


class MeasureKind(models.TextChoices):
    FREEZE = "freeze", "冻结"
    SEIZE = "seize", "查封"
    DISTRAIN = "distrain", "扣押"
    DEDUCT = "deduct", "扣划"


class MeasureStatus(models.TextChoices):
    ACTIVE = "active", "生效中"
    RELEASED = "released", "已解除"
    DEDUCTED = "deducted", "已扣划"
    TRANSFERRED = "transferred", "已转为执行措施"
    EXPIRED = "expired", "期限届满"


# Which measure may control which kind of asset: deposits and payment balances are frozen and
# deducted (民事诉讼法 第二百五十三条 查询、冻结、划拨); movables are seized or distrained, real
# estate is seized (第二百五十四条、第二百五十五条 查封、扣押); other property rights are frozen.
MEASURES_FOR_KIND: dict[str, frozenset[str]] = {
    AssetKind.BANK: frozenset({MeasureKind.FREEZE, MeasureKind.DEDUCT}),
    AssetKind.ONLINE_PAYMENT: frozenset({MeasureKind.FREEZE, MeasureKind.DEDUCT}),
    AssetKind.REAL_ESTATE: frozenset({MeasureKind.SEIZE}),
    AssetKind.VEHICLE: frozenset({MeasureKind.SEIZE, MeasureKind.DISTRAIN}),
    AssetKind.SECURITIES: frozenset({MeasureKind.FREEZE}),
    AssetKind.EQUITY: frozenset({MeasureKind.FREEZE}),
    AssetKind.OTHER: frozenset({MeasureKind.FREEZE, MeasureKind.SEIZE, MeasureKind.DISTRAIN}),
}
