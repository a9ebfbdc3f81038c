"""Enumerations of the litigation stage."""

from django.db import models


class CaseType(models.TextChoices):
    """SPC case-type codes (《关于人民法院案件案号的若干规定》及其配套标准). The value is the code itself,
    because it is printed inside the case number: （2026）宁0202民初1234号."""

    CIVIL_FIRST = "民初", "民事一审"
    CIVIL_SECOND = "民终", "民事二审"
    CONFIRMATION = "民特", "民事特别程序（司法确认）"
    ENFORCEMENT = "执", "首次执行"
    PRESERVATION = "财保", "财产保全"


class Procedure(models.TextChoices):
    """The trial procedure; values are the rules module's procedure names."""

    SMALL_CLAIMS = "small_claims", "小额诉讼程序"
    SIMPLE = "simple", "简易程序"
    ORDINARY = "ordinary", "普通程序"


# The period rule (suyuan/rules/data/periods.toml) that limits the trial under each procedure.
TRIAL_RULES = {
    Procedure.SMALL_CLAIMS: "small_claims_trial",
    Procedure.SIMPLE: "simple_trial",
    Procedure.ORDINARY: "ordinary_trial",
}
# A second-instance case (民终) on an appeal against a judgment: its own period, whatever the procedure.
SECOND_INSTANCE_RULE = "second_instance_judgment"


class CaseStatus(models.TextChoices):
    """Case.status; only ``litigation/lifecycle.py`` changes it."""

    FILED = "filed", "已提交起诉"
    AWAITING_MATERIALS = "awaiting_materials", "待补正材料"
    REGISTERED = "registered", "已立案"
    REFUSED = "refused", "不予受理"
    IN_COURT_MEDIATION = "in_court_mediation", "委托调解中"
    IN_TRIAL = "in_trial", "审理中"
    JUDGED = "judged", "已判决"
    APPEALED = "appealed", "已上诉"
    CLOSED_BY_SETTLEMENT = "closed_by_settlement", "调解成功，以其他方式结案"
    WITHDRAWN = "withdrawn", "已撤诉"
    TRANSFERRED = "transferred", "已移送管辖"
    REMANDED = "remanded", "已裁定发回重审"


class AppealOutcome(models.TextChoices):
    """How the second instance decides (民事诉讼法 第一百七十七条第一款; the article by date is rules data)."""

    AFFIRM = "affirm", "判决驳回上诉，维持原判决"
    AMEND = "amend", "判决改判"
    REMAND = "remand", "裁定撤销原判决，发回原审人民法院重审"


# Registered and not yet decided: a jurisdiction objection can be raised and an upheld one can
# still move the case (objections.py, transfers.py).
UNDECIDED_CASE_STATUSES = (CaseStatus.REGISTERED, CaseStatus.IN_COURT_MEDIATION, CaseStatus.IN_TRIAL)


class MediationOutcome(models.TextChoices):
    PENDING = "pending", "调解中"
    SETTLED = "settled", "调解成功"
    FAILED = "failed", "调解不成"
    EXPIRED = "expired", "期限届满未达成协议"


class ConfirmationStatus(models.TextChoices):
    """ConfirmationApplication.status; only ``litigation/lifecycle.py`` changes it."""

    APPLIED = "applied", "已申请"
    ACCEPTED = "accepted", "已受理"
    CONFIRMED = "confirmed", "裁定确认有效"
    REJECTED = "rejected", "裁定驳回申请"


class ReliefKind(models.TextChoices):
    """诉讼费用的缓交、减交、免交（《诉讼费用交纳办法》第四十四条至第四十八条）."""

    DEFER = "defer", "缓交"
    REDUCE = "reduce", "减交"
    WAIVE = "waive", "免交"


class ReliefDecision(models.TextChoices):
    PENDING = "pending", "待审查"
    GRANTED = "granted", "准许"
    REFUSED = "refused", "不准许"


class FeeStatus(models.TextChoices):
    NOTIFIED = "notified", "已通知交费"
    PAID = "paid", "已交费"


class ServedDocument(models.TextChoices):
    """What is served; the appeal period depends on it (民事诉讼法 第一百七十一条)."""

    JUDGMENT = "judgment", "判决书"
    RULING = "ruling", "裁定书"


# The period rule (suyuan/rules/data/periods/appeals.toml) of an appeal against each document.
APPEAL_RULES = {ServedDocument.JUDGMENT: "appeal_judgment", ServedDocument.RULING: "appeal_ruling"}


class ServiceMethod(models.TextChoices):
    """送达方式 (民事诉讼法 第八十七条至第九十五条)."""

    DIRECT = "direct", "直接送达"
    LEFT_AT_RESIDENCE = "left", "留置送达"
    ELECTRONIC = "electronic", "电子送达"
    POST = "post", "邮寄送达"
    PUBLICATION = "publication", "公告送达"


class RetrialKind(models.TextChoices):
    RETRIAL = "retrial", "申请再审"
    PETITION = "petition", "申诉"


class RetrialStatus(models.TextChoices):
    """RetrialApplication.status; only ``litigation/lifecycle_after.py`` changes it."""

    RECEIVED = "received", "已接收"
    IN_REVIEW = "in_review", "立案前审查中"
    ACCEPTED = "accepted", "予以立案审查"
    DECLINED = "declined", "释明后不予受理"


class AidStatus(models.TextChoices):
    """JudicialAid.status; only ``litigation/lifecycle_after.py`` changes it."""

    APPLIED = "applied", "已申请"
    IN_REVIEW = "in_review", "审查中"
    GRANTED = "granted", "决定救助"
    REFUSED = "refused", "决定不予救助"
