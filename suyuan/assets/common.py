"""Small helpers shared by the services: locking the dispute, money, the registry's view of a party."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.models import Dispute
from suyuan.parties.models import Party

from .adapters import AssetRef, Subject
from .models import Asset


def locked_dispute(dispute_id: int) -> Dispute:
    """The dispute row locked for this transaction (events are numbered under that lock)."""
    dispute = Dispute.objects.select_for_update().filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    return dispute


def money(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput("金额格式有误。", errors={field: ["请填写金额（元），如 3000.00。"]}) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidInput("金额必须大于零。", errors={field: ["金额必须大于零。"]})
    return amount


def subject_of(party: Party) -> Subject:
    return Subject(name=party.name, kind=party.kind, identity=party.id_number or party.credit_code or f"P{party.pk}")


def ref_of(asset: Asset) -> AssetRef:
    return AssetRef(kind=asset.kind, institution=asset.institution, identifier=asset.identifier,
                    owner=subject_of(asset.party))
