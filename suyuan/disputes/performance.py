"""The ``performance`` payload of steps entering "performing" (docs/workflow-contracts.md).

Built here, below the stage apps, so that mediation (voluntary performance of an agreement) and
litigation (confirmation ruling, judgment) describe the obligation the same way; the enforcement
app's after-hook reads it and creates the plan.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .choices import PartyRole
from .models import Dispute


def performance_payload(
    *, dispute: Dispute, total: Decimal | None, instalments: list[dict[str, Any]], source: str
) -> dict[str, Any] | None:
    """The first respondent pays the first applicant; None for a non-monetary outcome."""
    roles = dispute.dispute_parties.order_by("position")
    applicant = roles.filter(role=PartyRole.APPLICANT).first()
    respondent = roles.filter(role=PartyRole.RESPONDENT).first()
    if not total or not instalments or applicant is None or respondent is None:
        return None
    return {
        "total": f"{total:.2f}",
        "instalments": [{"due": str(i["due"]), "amount": str(i["amount"])} for i in instalments],
        "obligor_party_id": respondent.party_id,
        "obligee_party_id": applicant.party_id,
        "source": source,
    }
