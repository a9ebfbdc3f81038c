from __future__ import annotations

from typing import Any

from django import template

from suyuan.accounts.choices import Role
from suyuan.disputes.limitation import limitation_notice as build

register = template.Library()


@register.inclusion_tag("disputes/_limitation_notice.html", takes_context=True)
def limitation_notice(context: template.Context, dispute: Any) -> dict[str, Any]:
    request = getattr(context, "request", None) or context.get("request")
    user = getattr(request, "user", None)
    return {"notice": build(dispute), "for_party": getattr(user, "role", "") == Role.PARTY}


@register.inclusion_tag("disputes/_limitation_line.html")
def limitation_line(dispute: Any) -> dict[str, Any]:
    """One line beside the 起诉 button: the full notice is at the top of the same page."""
    return {"notice": build(dispute)}
