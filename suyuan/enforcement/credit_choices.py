from django.db import models


class GraceStatus(models.TextChoices):
    """CreditGrace.status; only ``credit_lifecycle.py`` changes it."""

    RUNNING = "running", "宽限期内"
    PERFORMED = "performed", "宽限期内已履行"
    LAPSED = "lapsed", "宽限期届满未履行"
    WITHDRAWN = "withdrawn", "已撤销宽限期"


class CreditMeasureKind(models.TextChoices):
    CONSUMPTION_RESTRICTION = "consumption_restriction", "限制消费"
    DISHONEST_LIST = "dishonest_list", "失信被执行人名单"


class CreditMeasureStatus(models.TextChoices):
    IN_FORCE = "in_force", "生效中"
    LIFTED = "lifted", "已解除/已删除"
    CORRECTED = "corrected", "因错误已撤销"
    EXPIRED = "expired", "纳入期限届满"


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", "审查中"
    UPHELD = "upheld", "理由成立，已纠正"
    REJECTED = "rejected", "理由不成立，已驳回"
