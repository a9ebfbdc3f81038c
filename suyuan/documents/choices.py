from django.db import models


class DocumentKind(models.TextChoices):
    """The documents of issue 3; each has a template and a spec in ``rendering.SPECS``."""

    MEDIATION_AGREEMENT = "mediation_agreement", "调解协议书"
    CONFIRMATION_APPLICATION = "confirmation_application", "司法确认申请书"
    CONFIRMATION_RULING = "confirmation_ruling", "民事裁定书（确认调解协议）"
    CORRECTION_NOTICE = "correction_notice", "一次性补正告知书"
    LITIGATION_RISK_NOTICE = "litigation_risk_notice", "诉讼风险告知书"
    PERFORMANCE_NOTICE = "performance_notice", "履行告知书"
    ENFORCEMENT_NOTICE = "enforcement_notice", "执行通知书"
    PROPERTY_REPORT_ORDER = "property_report_order", "报告财产令"
    CONSUMPTION_RESTRICTION_ORDER = "consumption_restriction_order", "限制消费令"
    CREDIT_GRACE_NOTICE = "credit_grace_notice", "失信惩戒预警暨宽限期告知书"
    PRESERVATION_RULING = "preservation_ruling", "民事裁定书（财产保全）"


class SignatureMethod(models.TextChoices):
    LOCAL_IDENTITY = "local_identity", "本地身份核验签名（开发环境）"
