"""The effective mediation agreement of a dispute, read from suyuan/mediation (its owner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps

from suyuan.disputes.models import Dispute


@dataclass(frozen=True)
class AgreementInfo:
    pk: int
    effective_on: date
    amount: Decimal | None
    terms: str
    # [{"due": "YYYY-MM-DD", "amount": "1000.00"}, …]: the agreed schedule, one row for a single payment.
    instalments: tuple[dict[str, Any], ...] = ()
    organisation: str = ""  # the mediation organisation that presided


def effective_agreement(dispute: Dispute) -> AgreementInfo | None:
    """The latest agreement of the dispute that has taken effect, or None."""
    if not apps.is_installed("suyuan.mediation"):
        return None
    from suyuan.mediation.models import Agreement

    agreement = (
        Agreement.objects.filter(dispute=dispute, status="effective", effective_on__isnull=False)
        .select_related("referral__organisation").order_by("-effective_on", "-pk").first()
    )
    if agreement is None or agreement.effective_on is None:
        return None
    return AgreementInfo(pk=agreement.pk, effective_on=agreement.effective_on, amount=agreement.amount,
                         terms=agreement.terms, instalments=tuple(agreement.instalments or ()),
                         organisation=agreement.referral.organisation.name)
