"""The triage tables the dispute page asks only on disputes that have rows in them
(``disputes.stage_rows``; registered from ``AppConfig.ready()``): a dispute with no stored proposal
and no decision costs the triage panel no query of its own (issue 16, P5)."""

from __future__ import annotations

from suyuan.disputes.stage_rows import register_stage_rows

from .models import TriageDecision, TriageProposal

PROPOSAL_ROWS = "triage.proposal"
DECISION_ROWS = "triage.decision"


def register() -> None:
    register_stage_rows(PROPOSAL_ROWS, TriageProposal)
    register_stage_rows(DECISION_ROWS, TriageDecision)
