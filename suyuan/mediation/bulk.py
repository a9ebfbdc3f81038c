"""The queue's bulk referral: the same service as the single referral, item by item."""

from __future__ import annotations

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.disputes.models import Dispute

from .services import refer_dispute, referral_organisations


def bulk_refer(*, actor: User, origin: Origin, dispute: Dispute, option: str) -> str:
    referral = refer_dispute(actor=actor, origin=origin, dispute_id=dispute.pk, organisation_id=int(option))
    return f"委派{referral.organisation.name}"


def organisation_options(actor: User) -> list[tuple[str, str]]:
    return [(str(o.pk), o.name) for o in referral_organisations(actor)]
