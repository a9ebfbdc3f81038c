"""``{% period "registration" %}`` → "7日": help texts quote the period in force, never a literal."""

from __future__ import annotations

from django import template
from django.utils import timezone

from suyuan.common.errors import DomainError
from suyuan.rules import periods

register = template.Library()
UNITS = {"hours": "小时", "days": "日", "months": "个月", "years": "年"}


@register.simple_tag
def period(rule: str, procedure: str | None = None, extension: bool = False) -> str:
    """The length (or, with ``extension``, the lawful extension) of ``rule`` in force today."""
    try:
        found = periods.rule_in_force(rule, on=timezone.localdate(), procedure=procedure)
    except DomainError:
        return "法定期限"
    length = found.extension if extension else found.length
    return f"{length}{UNITS[found.unit]}" if length else "法定期限"
