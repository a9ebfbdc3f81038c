"""The effective mediation agreement of a dispute, read from suyuan/mediation (its owner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.apps import apps

from suyuan.disputes.models import Dispute


@dataclass(frozen=True)
class AgreementInfo:
    pk: int
    effective_on: date
    amount: Decimal | None
    terms: str


def effective_agreement(dispute: Dispute) -> AgreementInfo | None:
    """The latest agreement of the dispute that has taken effect, or None."""
    if not apps.is_installed("suyuan.mediation"):
        return None
    from suyuan.mediation.models import Agreement

    agreement = (
        Agreement.objects.filter(dispute=dispute, status="effective", effective_on__isnull=False)
        .order_by("-effective_on", "-pk").first()
    )
    if agreement is None or agreement.effective_on is None:
        return None
    return AgreementInfo(pk=agreement.pk, effective_on=agreement.effective_on, amount=agreement.amount,
                         terms=agreement.terms)
