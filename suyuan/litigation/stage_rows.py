"""The litigation tables the dispute page and the party's portal ask only on disputes that have rows in
them (``disputes.stage_rows``; registered from ``AppConfig.ready()``)."""

from __future__ import annotations

from suyuan.disputes.stage_rows import register_stage_rows

from .models import Case, ConfirmationApplication

CASE_ROWS = "litigation.case"
CONFIRMATION_ROWS = "litigation.confirmation"


def register() -> None:
    register_stage_rows(CASE_ROWS, Case)
    register_stage_rows(CONFIRMATION_ROWS, ConfirmationApplication)
