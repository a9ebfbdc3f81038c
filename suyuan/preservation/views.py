"""Pages of the preservation stage."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from suyuan.disputes.models import Dispute


def panel_context(request: HttpRequest, dispute: Dispute) -> dict[str, Any] | None:
    """The preservation panel on the dispute page (None: nothing to show)."""
    return None
