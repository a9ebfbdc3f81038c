from django.db import models


class Channel(models.TextChoices):
    """Where a dispute entered the system (DESIGN §2.2)."""

    SELF_SERVICE = "self_service", "当事人自助"
    COURT_WINDOW = "court_window", "法院窗口"
    GRID_WORKER = "grid_worker", "网格员代为登记"
    GOVERNANCE_CENTRE = "governance_centre", "综治中心"
    MEDIATION_ORG = "mediation_org", "调解组织"
    PETITION = "petition", "信访部门"
    BATCH = "batch", "机构批量导入"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    THIRD_PARTY = "third_party", "第三人"


class AuthorityKind(models.TextChoices):
    """How a party authorised a grid worker to record on their behalf."""

    WRITTEN = "written", "书面委托（当事人签字）"
    ON_SITE_SIGNATURE = "on_site_signature", "现场电子签名确认"
    RECORDED_ORAL = "recorded_oral", "口头授权并录音录像"


class DisputeStatus(models.TextChoices):
    """Where a dispute stands as a whole. Only ``disputes/lifecycle.py`` changes it."""

    RECORDED = "recorded", "已登记"
    IN_MEDIATION = "in_mediation", "诉前调解中"
    MEDIATION_FAILED = "mediation_failed", "调解未成"
    SETTLED = "settled", "已达成调解协议"
    IN_CONFIRMATION = "in_confirmation", "司法确认中"
    PERFORMING = "performing", "履行中"
    PERFORMED = "performed", "已履行"
    IN_LITIGATION = "in_litigation", "诉讼中"
    IN_ENFORCEMENT = "in_enforcement", "执行中"
    CLOSED = "closed", "已结案"
    WITHDRAWN = "withdrawn", "已撤回"


class EventKind(models.TextChoices):
    RECORDED = "recorded", "纠纷登记"
    EVIDENCE_ADDED = "evidence_added", "提交证据"
    DETAILS_UPDATED = "details_updated", "修改纠纷信息"
    DUPLICATE_SUSPECTED = "duplicate_suspected", "疑似重复登记"
    FOLLOW_UP = "follow_up", "跟进记录"
    TRIAGE_DECIDED = "triage_decided", "繁简分流确认"
    ASSIGNED = "assigned", "分配承办人"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ClockStatus(models.TextChoices):
    OPEN = "open", "计时中"
    MET = "met", "已按期完成"
    OVERDUE = "overdue", "已超期"
    CANCELLED = "cancelled", "已取消"
