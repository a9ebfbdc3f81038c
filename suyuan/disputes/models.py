"""A dispute from its first record to closure, with its parties, claims, evidence and timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from suyuan.common.choices import DisputeCategory

from .choices import AuthorityKind, Channel, ClockStatus, DisputeStatus, EventKind, ImportStatus, PartyRole


class Dispute(models.Model):
    number = models.CharField(
        "纠纷编号",
        max_length=20,
        unique=True,
        help_text="终身不变的纠纷编号，形如 SY-2026-000123（年份为首次登记年份，序号全市连续）。",
    )
    summary = models.CharField("纠纷名称", max_length=200)
    category = models.CharField("纠纷类别", max_length=30, choices=DisputeCategory.choices)
    description = models.TextField("事实与理由")
    amount = models.DecimalField(
        "标的额（元）", max_digits=14, decimal_places=2, null=True, blank=True, help_text="非金钱请求可不填。"
    )
    occurred_on = models.DateField("纠纷发生日期", null=True, blank=True)
    rights_known_on = models.DateField(
        "知道或应当知道权利受到损害之日", null=True, blank=True,
        help_text="诉讼时效自此日起算（民法典 第一百八十八条），用于诉讼时效风险提示；不清楚可不填。",
    )
    channel = models.CharField("来源渠道", max_length=30, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="recorded_disputes"
    )
    recorded_by_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name="登记单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recorded_disputes",
    )
    authority_kind = models.CharField(
        "当事人授权方式", max_length=30, choices=AuthorityKind.choices, blank=True,
        help_text="网格员代为登记时必填。",
    )
    authority_note = models.CharField("授权说明", max_length=200, blank=True)
    region = models.ForeignKey(
        "network.Region", verbose_name="发生地", on_delete=models.PROTECT, related_name="disputes"
    )
    court = models.ForeignKey(
        "network.Organisation",
        verbose_name="管辖法院",
        on_delete=models.PROTECT,
        related_name="court_disputes",
        help_text="按发生地所在县（区）确定的基层人民法院。",
    )
    handling_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_disputes",
    )
    mediator = models.ForeignKey(
        "network.Mediator", verbose_name="调解员", null=True, blank=True, on_delete=models.PROTECT,
        related_name="disputes",
    )
    status = models.CharField("状态", max_length=30, choices=DisputeStatus.choices, default=DisputeStatus.RECORDED)
    duplicate_of = models.ForeignKey(
        "self", verbose_name="疑似重复于", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_ref = models.CharField(
        "来源编号", max_length=120, blank=True,
        help_text="批量导入时的机构内部编号（或整行内容摘要），同一来源编号只登记一次。",
    )
    import_job = models.ForeignKey(
        "ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="disputes"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_disputes", help_text="法院内分配的立案或审判人员（工作台批量分配）。",
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "纠纷"
        verbose_name_plural = "纠纷"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="dispute_amount_not_negative"),
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="dispute_unique_source_ref"
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.GRID_WORKER) | ~Q(authority_kind=""),
                name="dispute_grid_worker_needs_authority",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status", "-created_at"], name="dispute_court_queue_idx"),
            models.Index(fields=["category", "-created_at"], name="dispute_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.summary}"


class DisputeParty(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="dispute_parties")
    party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="dispute_roles")
    role = models.CharField("诉讼地位", max_length=20, choices=PartyRole.choices)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "纠纷当事人"
        verbose_name_plural = "纠纷当事人"
        ordering = ["role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "party"], name="dispute_party_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.party_id}"


class Claim(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="claims")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("请求事项", max_length=500)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "请求事项"
        verbose_name_plural = "请求事项"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "position"], name="claim_position_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is random: the user's file name is kept in ``original_name`` only.
    return f"evidence/{instance.dispute.number}/{instance.stored_name}"


class Evidence(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField("证据说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DisputeEvent(models.Model):
    """One entry of a dispute's timeline: who did what, when, from where.

    Append-only (database triggers refuse UPDATE and DELETE, migration 0002). It is the audit
    record of the dispute, and later the notification outbox and the analytics fact.
    """

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField(
        "事件代码", max_length=60, help_text="登记类事件见 EventKind；流程事件为“流程名.动作”，如 referral.accept。"
    )
    title = models.CharField(
        "事件", max_length=100, blank=True, help_text="写入时的事件名称（历史事实，不随代码改名）。"
    )
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=100)
    actor_role = models.CharField("角色", max_length=20, blank=True)
    actor_organisation = models.CharField("操作单位", max_length=100, blank=True)
    via = models.CharField("途径", max_length=20)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    summary = models.CharField("摘要", max_length=500)
    data = models.JSONField("数据", default=dict)

    class Meta:
        verbose_name = "时间线事件"
        verbose_name_plural = "时间线事件"
        ordering = ["dispute", "seq"]
        constraints = [models.UniqueConstraint(fields=["dispute", "seq"], name="event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.dispute_id}#{self.seq} {self.kind}"

    @property
    def kind_label(self) -> str:
        if self.title:
            return self.title
        return str(dict(EventKind.choices).get(self.kind, self.kind))


class ImportJob(models.Model):
    """A batch filing (CSV/XLSX) and its per-row report."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField("文件名", max_length=200)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField("状态", max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField("总行数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    created = models.PositiveIntegerField("新登记", default=0)
    duplicates = models.PositiveIntegerField("重复", default=0)
    rejected = models.PositiveIntegerField("退回", default=0)
    errors = models.JSONField("错误行", default=list)
    message = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "批量导入"
        verbose_name_plural = "批量导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class Clock(models.Model):
    """A legal period running on a dispute: what, from when, until when, under which rule.

    Started and stopped by the stage services (``disputes.clocks``); the worker's sweep reminds
    before the due date, marks it overdue after, and calls the escalation its owner registered.
    """

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="clocks")
    rule = models.CharField("规则", max_length=40)
    subject = models.CharField("期限", max_length=100, help_text="如：立案审查期限、委托调解期限。")
    object_ref = models.CharField("对象", max_length=40, blank=True, help_text="计时对象，如 case:12。")
    regime = models.CharField("适用规则体系", max_length=100)
    citation = models.CharField("法律依据", max_length=300)
    procedure = models.CharField("程序", max_length=20, blank=True)
    started_on = models.DateField("起算日")
    due_on = models.DateField("届满日")
    due_at = models.DateTimeField("届满时刻", null=True, blank=True, help_text="以小时计算的期间。")
    extended = models.BooleanField("已延长", default=False)
    provisional = models.BooleanField(
        "暂定", default=False, help_text="届满年度的节假日安排尚未公布：实际届满日可能更晚。"
    )
    status = models.CharField("状态", max_length=20, choices=ClockStatus.choices, default=ClockStatus.OPEN)
    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "法定期限"
        verbose_name_plural = "法定期限"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="clock_open_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "rule", "object_ref"], condition=Q(status="open"), name="clock_one_open_per_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.due_on}"


class SavedQueueView(models.Model):
    """A clerk's or judge's named filter set for the workbench queue (shown as a tab)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_queue_views")
    name = models.CharField("名称", max_length=40)
    query = models.CharField("筛选条件", max_length=1000, help_text="工作台队列的查询参数（已校验）。")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "保存的队列视图"
        verbose_name_plural = "保存的队列视图"
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_queue_view_name_per_user")]

    def __str__(self) -> str:
        return self.name
