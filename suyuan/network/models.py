"""The dispute-resolution network: regions, organisations, the mediator roster, grid workers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from suyuan.common.choices import DisputeCategory

from .choices import MediatorKind, MediatorStatus, OrganisationKind, RegionLevel


class RegionManager(models.Manager["Region"]):
    def get_by_natural_key(self, code: str) -> Region:
        return self.get(code=code)


class Region(models.Model):
    """An administrative division (NBS 统计用区划代码) or, below it, a community or grid.

    City, county and township rows come from the NBS 2023 codes (fixture ``shizuishan_regions``);
    communities and grids are generated for the demo and say so in ``generated``.
    """

    code = models.CharField("区划代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.PositiveSmallIntegerField("层级", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(
        "路径",
        max_length=200,
        db_index=True,
        help_text="祖先代码以“/”相连（含自身），用于按辖区范围查询：path 以上级 path 开头即属其辖区。",
    )
    population = models.PositiveIntegerField("常住人口", null=True, blank=True)
    population_source = models.CharField("人口数据来源", max_length=200, blank=True)
    generated = models.BooleanField(
        "演示生成", default=False, help_text="社区（村）和网格为演示生成，非官方区划代码。"
    )

    objects = RegionManager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = f"{self.parent.path}/{self.code}" if self.parent_id and self.parent else self.code
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def ancestor_at(self, level: RegionLevel) -> Region | None:
        node: Region | None = self
        while node is not None and node.level > level:
            node = node.parent
        return node if node is not None and node.level == level else None


class Organisation(models.Model):
    """Every body in the network, in one tree: courts and tribunals, centres, mediation bodies…"""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类型", max_length=30, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        Region, verbose_name="所在/管辖区域", on_delete=models.PROTECT, related_name="organisations"
    )
    court_code = models.CharField(
        "法院代字",
        max_length=10,
        blank=True,
        help_text="法院的案号代字，如 宁02、宁0202；仅法院填写（人民法庭使用所属法院代字）。",
    )
    categories = models.JSONField(
        "擅长纠纷类别", default=list, blank=True, help_text="行业性专业性调解组织受理的纠纷类别。"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["court_code"], condition=~models.Q(court_code=""), name="organisation_unique_court_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_court(self) -> bool:
        return self.kind in OrganisationKind.courts()

    def court(self) -> Organisation | None:
        """The court this body belongs to: itself for a court, the parent court for a tribunal."""
        node: Organisation | None = self
        while node is not None and not node.is_court:
            if node.kind not in {OrganisationKind.TRIBUNAL, OrganisationKind.SERVICE_STATION}:
                return None
            node = node.parent
        return node


class Mediator(models.Model):
    """An entry of the mediator roster (名册)."""

    name = models.CharField("姓名", max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator",
    )
    phone = models.CharField("手机号", max_length=20, blank=True)
    kind = models.CharField("调解员类型", max_length=20, choices=MediatorKind.choices)
    organisations = models.ManyToManyField(Organisation, verbose_name="所属组织", related_name="mediators")
    specialties = models.JSONField(
        "擅长类别",
        default=list,
        blank=True,
        help_text=f"纠纷类别代码列表，取值见：{'、'.join(c.label for c in DisputeCategory)}。",
    )
    regions = models.ManyToManyField(Region, verbose_name="服务区域", related_name="mediators", blank=True)
    capacity = models.PositiveSmallIntegerField(
        "同时承办上限", default=10, validators=[MinValueValidator(1)], help_text="同时在办案件数上限。"
    )
    status = models.CharField("状态", max_length=20, choices=MediatorStatus.choices, default=MediatorStatus.ACTIVE)
    joined_on = models.DateField("入册日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "调解员"
        verbose_name_plural = "调解员名册"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "phone"], condition=~models.Q(phone=""), name="mediator_unique_name_phone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def specialty_labels(self) -> list[str]:
        labels = dict(DisputeCategory.choices)
        return [str(labels.get(code, code)) for code in self.specialties]


class GridWorker(models.Model):
    """A grid worker (网格员) and the grids they serve."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账户", on_delete=models.CASCADE, related_name="grid_worker"
    )
    grids = models.ManyToManyField(
        Region,
        verbose_name="负责网格",
        related_name="grid_workers",
        limit_choices_to={"level": RegionLevel.GRID},
    )
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "网格员"
        verbose_name_plural = "网格员"

    def __str__(self) -> str:
        return str(self.user)
