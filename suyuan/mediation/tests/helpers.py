"""Builders shared by the mediation tests."""

from __future__ import annotations

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.disputes.choices import PartyRole
from suyuan.disputes.models import Dispute, DisputeParty
from suyuan.disputes.services import record_dispute
from suyuan.mediation import services
from suyuan.mediation.choices import ConsentKind, ConsentVia
from suyuan.mediation.consent import record_consent
from suyuan.network.choices import MediatorKind, OrganisationKind
from suyuan.network.models import Mediator, Organisation
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import make_user

ORIGIN = Origin(via="test", ip="127.0.0.1")


def recorded_dispute(world) -> Dispute:  # type: ignore[no-untyped-def]
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    return record_dispute(actor=world.grid_worker, origin=ORIGIN, data=data).dispute


def respondent_user(dispute: Dispute):  # type: ignore[no-untyped-def]
    party = DisputeParty.objects.get(dispute=dispute, role=PartyRole.RESPONDENT).party
    return make_user(Role.PARTY, party=party, username=f"resp{party.pk}", full_name=party.name)


def second_mediator(world, name: str = "周调解", specialties=("debt",)) -> Mediator:  # type: ignore[no-untyped-def]
    user = make_user(Role.MEDIATOR, organisation=world.committee, full_name=name)
    m = Mediator.objects.create(name=name, user=user, kind=MediatorKind.PEOPLES, specialties=list(specialties),
                                capacity=5)
    m.organisations.add(world.committee)
    return m


def other_organisation(world) -> tuple[Organisation, object]:  # type: ignore[no-untyped-def]
    org = Organisation.objects.create(name="惠农区某人民调解委员会", kind=OrganisationKind.PEOPLES_MEDIATION,
                                      region=world.other_grid.parent.parent)
    return org, make_user(Role.ORG_ADMIN, organisation=org, full_name="他组织主任")


def all_consent(world, dispute: Dispute, kind: str = ConsentKind.MEDIATION) -> None:  # type: ignore[no-untyped-def]
    for row in DisputeParty.objects.filter(dispute=dispute):
        record_consent(actor=world.mediator_user, origin=ORIGIN, dispute_id=dispute.pk, party_id=row.party_id,
                       kind=kind, given=True, via=ConsentVia.WRITTEN, note="书面确认书已存档")


def accepted_referral(world, dispute: Dispute | None = None):  # type: ignore[no-untyped-def]
    dispute = dispute or recorded_dispute(world)
    referral = services.refer_dispute(actor=world.centre_staff, origin=ORIGIN, dispute_id=dispute.pk,
                                      organisation_id=world.committee.pk)
    services.assign_mediator(actor=world.org_admin, origin=ORIGIN, referral_id=referral.pk,
                             mediator_id=world.mediator.pk)
    return services.accept_referral(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk)
