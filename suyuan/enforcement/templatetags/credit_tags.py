"""``{% credit_panel case %}``: the credit-measure and assistance panel on the enforcement case page."""

from __future__ import annotations

from typing import Any

from django import template

from suyuan.accounts.models import User
from suyuan.enforcement.credit_panel import panel
from suyuan.enforcement.models import EnforcementCase

register = template.Library()


@register.inclusion_tag("enforcement/_credit_panel.html", takes_context=True)
def credit_panel(context: dict[str, Any], case: EnforcementCase) -> dict[str, Any]:
    user = context["request"].user
    assert isinstance(user, User)
    return {**panel(user, case), "csrf_token": context.get("csrf_token")}
