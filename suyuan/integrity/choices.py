from django.db import models


class FindingStatus(models.TextChoices):
    OPEN = "open", "待书记员核实"
    DUPLICATE = "duplicate", "认定构成重复起诉"
    NOT_DUPLICATE = "not_duplicate", "认定不构成重复起诉"


class RiskLevel(models.TextChoices):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"


class IntegrityEvent(models.TextChoices):
    """Timeline event kinds written by this app (``integrity.<what>``)."""

    DUPLICATE_FOUND = "integrity.duplicate_found", "重复起诉审查提示"
    DUPLICATE_DECIDED = "integrity.duplicate_decided", "重复起诉审查结论"
    GROUP_JOINED = "integrity.group_joined", "纳入群体性纠纷"
    GROUP_LINKED = "integrity.group_linked", "关联为平行案件"
    DEMONSTRATION_MARKED = "integrity.demonstration_marked", "确定为示范案件"
    DEMONSTRATION_OUTCOME = "integrity.demonstration_outcome", "示范案件结果推送"
