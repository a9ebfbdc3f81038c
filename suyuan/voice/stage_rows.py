"""The voice tables the dispute page and the party's portal ask only on disputes that have rows in
them (``disputes.stage_rows``; registered from ``AppConfig.ready()``)."""

from __future__ import annotations

from suyuan.disputes.stage_rows import register_stage_rows

from .models import Survey

SURVEY_ROWS = "voice.survey"


def register() -> None:
    register_stage_rows(SURVEY_ROWS, Survey)
