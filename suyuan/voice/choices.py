from django.db import models


class SurveyStage(models.TextChoices):
    """The closed stage a satisfaction survey asks about."""

    MEDIATION = "mediation", "调解"
    CONFIRMATION = "confirmation", "司法确认"
    TRIAL = "trial", "审判"
    ENFORCEMENT = "enforcement", "执行"


class SurveyStatus(models.TextChoices):
    SENT = "sent", "待评价"
    ANSWERED = "answered", "已评价"
    EXPIRED = "expired", "已过期"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "已收到"
    ASSIGNED = "assigned", "办理中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


class ComplaintSubject(models.TextChoices):
    MEDIATOR = "mediator", "调解员"
    ORGANISATION = "organisation", "调解组织"


class ComplaintCategory(models.TextChoices):
    ATTITUDE = "attitude", "服务态度"
    FAIRNESS = "fairness", "公正性"
    DELAY = "delay", "拖延办理"
    CONDUCT = "conduct", "违规行为（如收受财物、泄露隐私）"
    OTHER = "other", "其他"


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", "投诉属实"
    PARTLY = "partly", "部分属实"
    NOT_UPHELD = "not_upheld", "投诉不属实"


class ComplaintChannel(models.TextChoices):
    PORTAL = "portal", "当事人在线提交"
    STAFF = "staff", "工作人员代为登记"


class DeputyKind(models.TextChoices):
    NPC = "npc", "人大代表"
    CPPCC = "cppcc", "政协委员"


class InvitationKind(models.TextChoices):
    OBSERVE = "observe", "旁听调解"
    TAKE_PART = "take_part", "参与调解"
    DEMONSTRATION = "demonstration", "示范案件观摩"


class InvitationStatus(models.TextChoices):
    SENT = "sent", "待答复"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已婉拒"
    ATTENDED = "attended", "已参加"
    CANCELLED = "cancelled", "已取消"
