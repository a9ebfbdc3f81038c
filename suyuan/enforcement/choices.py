from django.db import models


class PerformanceSource(models.TextChoices):
    """The legal document the obligation comes from."""

    AGREEMENT = "agreement", "调解协议"
    CONFIRMATION_RULING = "confirmation_ruling", "司法确认裁定"
    JUDGMENT = "judgment", "判决书"
    COURT_SETTLEMENT = "court_settlement", "法院调解书/委托调解协议"
    ENFORCEMENT_SETTLEMENT = "enforcement_settlement", "执行和解协议"


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
    """EnforcementCase.status; only ``enforcement/lifecycle.py`` changes it."""

    OPEN = "open", "执行中"
    SETTLEMENT = "settlement", "执行和解履行中（暂缓执行）"
    ROUND_ENDED = "round_ended", "终结本次执行程序"
    COMPLETED = "completed", "执行完毕"
    TERMINATED = "terminated", "终结执行"
    NOT_ENFORCED = "not_enforced", "不予执行"
    CONCLUDED = "concluded", "已结案"  # cases concluded before the outcome was a state of its own


class EnforcementBasis(models.TextChoices):
    """执行依据: the effective legal document the case enforces."""

    PERFORMANCE_PLAN = "performance_plan", "逾期未履行的履行方案"
    JUDGMENT = "judgment", "生效判决书"
    CONFIRMATION_RULING = "confirmation_ruling", "司法确认裁定书（确认调解协议）"
    COURT_MEDIATION = "court_mediation", "法院调解书"


class EnforcementTrack(models.TextChoices):
    """繁简分流 of enforcement: 简案快执 / 难案精执 (大案联执 is a group, see EnforcementGroup)."""

    UNDECIDED = "", "未分流"
    SIMPLE = "simple", "简案快执"
    COMPLEX = "complex", "难案精执"


class DerivativeKind(models.TextChoices):
    OBJECTION = "objection", "执行异议（执异）"
    REVIEW = "review", "执行复议（执复）"


class DerivativeStatus(models.TextChoices):
    FILED = "filed", "审查中"
    UPHELD = "upheld", "异议/复议成立"
    DISMISSED = "dismissed", "驳回"
    WITHDRAWN = "withdrawn", "撤回"
