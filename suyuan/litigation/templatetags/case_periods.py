from __future__ import annotations

from typing import Any

from django import template

from suyuan.litigation.case_periods import case_periods as build

register = template.Library()


@register.inclusion_tag("litigation/_periods_panel.html", takes_context=True)
def case_periods(context: template.Context, case: Any) -> dict[str, Any]:
    request = getattr(context, "request", None) or context["request"]
    return {"case": case, "p": build(actor=request.user, case=case), "csrf_token": context.get("csrf_token")}
