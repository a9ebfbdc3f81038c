"""Yearly thresholds live in the database: a new year's figure is entered when it is published."""

from __future__ import annotations

from django.db import models


class ProvincialWage(models.Model):
    """A province's average annual wage of employed persons for one year (就业人员年平均工资).

    It sets the small-claims limit for acts in the following year (民事诉讼法 第一百六十五条:
    "上年度就业人员年平均工资"). High courts use the statistics bureau's 城镇非私营单位就业人员
    年平均工资; the basis is recorded with the figure.
    """

    province_code = models.CharField("省级区划代码", max_length=2, help_text="如宁夏为 64。")
    province_name = models.CharField("省份", max_length=20)
    year = models.PositiveSmallIntegerField("统计年度")
    amount = models.DecimalField("年平均工资（元）", max_digits=10, decimal_places=0)
    basis = models.CharField("统计口径", max_length=50, default="城镇非私营单位就业人员年平均工资")
    source = models.CharField("数据来源", max_length=300)
    published_on = models.DateField("发布日期", null=True, blank=True)

    class Meta:
        verbose_name = "就业人员年平均工资"
        verbose_name_plural = "就业人员年平均工资"
        ordering = ["province_code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["province_code", "year"], name="wage_unique_province_year"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.province_name}{self.year}年 {self.amount} 元"
