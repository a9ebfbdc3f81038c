"""Enumerations of jurisdiction objections (管辖权异议)."""

from django.db import models


class ObjectionStatus(models.TextChoices):
    FILED = "filed", "待裁定"
    UPHELD = "upheld", "异议成立，移送管辖"
    REJECTED = "rejected", "异议不成立，裁定驳回"
    WITHDRAWN = "withdrawn", "已撤回"
    APPEALED = "appealed", "裁定已被上诉，待上级法院裁定"
    TRANSFERRED = "transferred", "裁定生效，案件已移送"
    REVERSED = "reversed", "上级法院撤销裁定，本院继续审理"
