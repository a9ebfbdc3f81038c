"""The enforcement tables the dispute page and the party's portal ask only on disputes that have rows in
them (``disputes.stage_rows``; registered from ``AppConfig.ready()``)."""

from __future__ import annotations

from suyuan.disputes.stage_rows import register_stage_rows

from .models import EnforcementCase, PerformancePlan

PLAN_ROWS = "enforcement.plan"
CASE_ROWS = "enforcement.case"


def register() -> None:
    register_stage_rows(PLAN_ROWS, PerformancePlan)
    register_stage_rows(CASE_ROWS, EnforcementCase)
