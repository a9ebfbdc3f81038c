"""The mediation tables the dispute page and the party's portal ask only on disputes that have rows in
them (``disputes.stage_rows``; registered from ``AppConfig.ready()``)."""

from __future__ import annotations

from suyuan.disputes.stage_rows import register_stage_rows

from .models import ConsentRecord, Referral

REFERRAL_ROWS = "mediation.referral"
CONSENT_ROWS = "mediation.consent"


def register() -> None:
    register_stage_rows(REFERRAL_ROWS, Referral)
    register_stage_rows(CONSENT_ROWS, ConsentRecord)
