"""Arrangements shared by the preservation tests."""

from __future__ import annotations

from datetime import date

from suyuan.accounts.context import Origin
from suyuan.disputes.models import Dispute
from suyuan.mediation.tests.helpers import accepted_referral
from suyuan.preservation import measures, services
from suyuan.preservation.choices import AssetKind, MeasureKind, PreservationKind
from suyuan.preservation.models import Preservation

ORIGIN = Origin(via="test", ip="127.0.0.1")


def in_mediation(world) -> Dispute:  # type: ignore[no-untyped-def]
    return accepted_referral(world).dispute


def pre_suit(world, dispute: Dispute | None = None, *, amount: str = "12000",  # type: ignore[no-untyped-def]
             security: str = "12000") -> Preservation:
    dispute = dispute or in_mediation(world)
    applicant = dispute.dispute_parties.get(role="applicant").party
    respondent = dispute.dispute_parties.get(role="respondent").party
    data = services.PreservationInput(kind=PreservationKind.PRE_SUIT, applicant_party_id=applicant.pk,
                                      respondent_party_id=respondent.pk, amount=amount, security_amount=security,
                                      security_note="保险公司保函", clues="被申请人在石嘴山银行有存款")
    return services.apply_preservation(actor=world.clerk, origin=ORIGIN, dispute_id=dispute.pk, data=data)


def granted(world, dispute: Dispute | None = None, **kwargs) -> Preservation:  # type: ignore[no-untyped-def]
    p = pre_suit(world, dispute, **kwargs)
    services.accept_preservation(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk)
    return services.rule_preservation(actor=world.judge, origin=ORIGIN, preservation_id=p.pk, grant=True)


def in_force(world, dispute: Dispute | None = None, *, on: date | None = None,  # type: ignore[no-untyped-def]
             amount: str = "12000", **kwargs) -> Preservation:
    p = granted(world, dispute, **kwargs)
    measures.place_measure(actor=world.clerk, origin=ORIGIN, preservation_id=p.pk, asset_kind=AssetKind.BANK,
                           asset="石嘴山银行账户（尾号 6601）", kind=MeasureKind.FREEZE, amount=amount, starts_on=on)
    p.refresh_from_db()
    return p
