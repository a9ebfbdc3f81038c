"""Choices of the preservation app (Chinese labels shown to users)."""

from django.db import models


class PreservationKind(models.TextChoices):
    PRE_SUIT = "pre_suit", "诉前保全"
    IN_SUIT = "in_suit", "诉讼保全"


class PreservationStatus(models.TextChoices):
    APPLIED = "applied", "已申请"
    ACCEPTED = "accepted", "已受理，待裁定"
    GRANTED = "granted", "裁定准予保全，待采取措施"
    REFUSED = "refused", "裁定驳回申请"
    IN_FORCE = "in_force", "保全措施已采取"
    FOLLOWING = "following", "已起诉或申请仲裁，保全随案"
    LAPSED = "lapsed", "期满未起诉，应予解除"
    LIFTED = "lifted", "已解除保全"
    TRANSFERRED = "transferred", "已转为执行措施"


# Until the assets app lands these mirror its AssetKind / MeasureKind / MeasureStatus values
# (docs: brief assets-interface), so the records can move to assets.Measure without a mapping.
class AssetKind(models.TextChoices):
    BANK = "bank", "银行存款"
    REAL_ESTATE = "real_estate", "不动产"
    VEHICLE = "vehicle", "机动车"
    SECURITIES = "securities", "证券"
    ONLINE_PAYMENT = "online_payment", "网络支付账户"
    EQUITY = "equity", "股权"
    OTHER = "other", "其他财产"


class MeasureKind(models.TextChoices):
    FREEZE = "freeze", "冻结"
    SEIZE = "seize", "查封"
    DISTRAIN = "distrain", "扣押"


class MeasureStatus(models.TextChoices):
    ACTIVE = "active", "生效中"
    RELEASED = "released", "已解除"
    TRANSFERRED = "transferred", "已转为执行措施"
    SUBSTITUTED = "substituted", "已变更保全标的物"
    EXPIRED = "expired", "期限届满未续行"


class TodoKind(models.TextChoices):
    LIFT = "lift", "解除保全措施"
    CARRY = "carry", "转为执行措施"
    RULING_OVERDUE = "ruling_overdue", "诉前保全裁定逾期"
