"""Governance: the fact tables behind the leaders' dashboard, and judicial suggestions (司法建议).

The timeline event is the analytics fact (DESIGN §4). Counting the raw events on every page view
does not scale (bench/governance.py), so two summary tables follow the events:

* ``EventCount`` — events of the kinds the indicators use, counted per month and per place,
  court, category and channel of the dispute. Kept up to date in the event's own transaction
  by ``facts.record_event`` (an event sink); ``facts.rebuild`` recomputes it from the events
  with one INSERT … SELECT (after bulk loads such as the demo seed, or to repair).
* ``StageSpell`` — how long each dispute stayed in each stage of the dispute lifecycle, one row
  per stay, closed by the event that moved the dispute on.

The dimensions are those of the dispute when the event was written (a later correction of a
dispute's category does not rewrite history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import SuggestionStatus


class EventCount(models.Model):
    month = models.DateField("月份", help_text="事件发生月份的第一天（北京时间）。")
    kind = models.CharField("事件代码", max_length=60)
    source = models.CharField("原状态", max_length=30, blank=True, help_text="流程事件的原状态（data.from）。")
    county = models.CharField("县（区）代码", max_length=12, blank=True)
    township = models.CharField(
        "乡镇（街道）代码", max_length=12, blank=True, help_text="仅按乡镇展示的事件记录（见 facts.TOWNSHIP_KINDS）。"
    )
    court_id = models.IntegerField("管辖法院", default=0)
    category = models.CharField("纠纷类别", max_length=30)
    channel = models.CharField("来源渠道", max_length=30)
    grid_worker_id = models.IntegerField("网格员", default=0, help_text="仅网格员所为的事件记录其账户，其余为 0。")
    n = models.PositiveIntegerField("件数", default=0)

    class Meta:
        verbose_name = "事件月度计数"
        verbose_name_plural = "事件月度计数"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind", "source", "county", "township", "court_id", "category", "channel",
                        "grid_worker_id"],
                name="eventcount_one_row_per_cell",
            )
        ]
        indexes = [models.Index(fields=["kind", "month"], name="eventcount_kind_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind} {self.n}"


class StageSpell(models.Model):
    dispute = models.ForeignKey("disputes.Dispute", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("阶段", max_length=30)
    entered_at = models.DateTimeField("进入时间")
    left_at = models.DateTimeField("离开时间", null=True, blank=True)
    seconds = models.BigIntegerField("停留秒数", null=True, blank=True)
    month = models.DateField("离开月份", null=True, blank=True)
    county = models.CharField(max_length=12, blank=True)
    township = models.CharField(max_length=12, blank=True)
    court_id = models.IntegerField(default=0)
    category = models.CharField(max_length=30)
    channel = models.CharField(max_length=30)

    class Meta:
        verbose_name = "阶段停留"
        verbose_name_plural = "阶段停留"
        constraints = [
            models.UniqueConstraint(fields=["dispute"], condition=Q(left_at__isnull=True), name="spell_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.stage}"


class StageDays(models.Model):
    """Closed stays per month, stage, place, category and channel and length in whole days.

    The dashboard's durations read this histogram: the mean from the exact seconds, the
    nearest-rank 90th percentile from the cumulative counts (in whole days), without sorting
    every stay.
    """

    month = models.DateField("离开月份")
    stage = models.CharField("阶段", max_length=30)
    county = models.CharField(max_length=12, blank=True)
    court_id = models.IntegerField(default=0)
    category = models.CharField(max_length=30)
    channel = models.CharField(max_length=30)
    days = models.IntegerField("整日数")
    n = models.PositiveIntegerField("停留次数", default=0)
    seconds = models.BigIntegerField("停留秒数合计", default=0)

    class Meta:
        verbose_name = "阶段用时分布"
        verbose_name_plural = "阶段用时分布"
        constraints = [
            models.UniqueConstraint(fields=["month", "stage", "county", "court_id", "category", "channel", "days"],
                                    name="stagedays_one_row_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.stage} {self.days}d×{self.n}"


class JudicialSuggestion(models.Model):
    """司法建议: a court's written suggestion to a body whose field keeps producing disputes."""

    number = models.CharField("编号", max_length=40, unique=True, help_text="如 SJ-2026-001。")
    title = models.CharField("标题", max_length=200)
    content = models.TextField("建议内容")
    court = models.ForeignKey(
        "network.Organisation", verbose_name="发出法院", on_delete=models.PROTECT, related_name="+"
    )
    addressee = models.CharField("建议对象", max_length=100, help_text="收到建议的单位，如：某区住房和城乡建设局。")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="跟踪责任人", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("回复期限")
    region = models.ForeignKey(
        "network.Region", verbose_name="涉及区域", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="建议针对的热点乡镇（街道）或县（区）。",
    )
    category = models.CharField("涉及纠纷类别", max_length=30, blank=True)
    status = models.CharField("状态", max_length=20, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.DRAFT)
    issued_at = models.DateTimeField("发出时间", null=True, blank=True)
    reply = models.TextField("回复情况", blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    closing_note = models.CharField("办结评估", max_length=500, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "司法建议"
        verbose_name_plural = "司法建议"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
