"""The queue's bulk confirmation of the stored triage proposals (no override: that needs a reason)."""

from __future__ import annotations

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.disputes.models import Dispute

from .choices import TriageTask
from .permissions import TRIAGE_ROLES
from .services import decide_triage, propose_triage

__all__ = ["TRIAGE_ROLES", "bulk_confirm"]


def bulk_confirm(*, actor: User, origin: Origin, dispute: Dispute, option: str) -> str:
    proposal = propose_triage(dispute)
    decisions = {task: (proposal.value(task)[0], "") for task in TriageTask.values}
    decide_triage(actor=actor, origin=origin, number=dispute.number, decisions=decisions)
    return "已采纳系统建议"
