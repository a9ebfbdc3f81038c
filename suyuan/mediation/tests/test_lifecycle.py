"""Every allowed and every forbidden edge of the referral and agreement lifecycles (state × action × role)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.disputes.models import Dispute
from suyuan.documents.models import Document, SignatureRecord
from suyuan.mediation.choices import ConsentKind
from suyuan.mediation.lifecycle import AGREEMENT, REFERRAL
from suyuan.mediation.models import Agreement, Referral
from suyuan.testing import lifecycles

from .helpers import all_consent, recorded_dispute, respondent_user, second_mediator

ROLES = [Role.PARTY, Role.GRID_WORKER, Role.MEDIATOR, Role.ORG_ADMIN, Role.CENTRE_STAFF, Role.CLERK, Role.JUDGE,
         Role.ENFORCEMENT, Role.LEADER]


def actors(world):
    return {
        Role.PARTY: world.party_user, Role.GRID_WORKER: world.grid_worker, Role.MEDIATOR: world.mediator_user,
        Role.ORG_ADMIN: world.org_admin, Role.CENTRE_STAFF: world.centre_staff, Role.CLERK: world.clerk,
        Role.JUDGE: world.judge, Role.ENFORCEMENT: world.enforcer, Role.LEADER: world.leader, "system": None,
    }


@pytest.fixture
def arranged(world):
    """A referral with every guard satisfiable: consents given, an effective agreement, a second mediator."""
    dispute = recorded_dispute(world)
    Dispute.objects.filter(pk=dispute.pk).update(mediator=world.mediator, handling_organisation=world.committee,
                                                 status="in_mediation")
    referral = Referral.objects.create(dispute=dispute, organisation=world.committee, mediator=world.mediator,
                                       kind="peoples", referred_by=world.centre_staff, referred_at=timezone.now())
    all_consent(world, dispute)
    all_consent(world, dispute, ConsentKind.ONLINE_MEDIATION)
    other = second_mediator(world)
    document = Document.objects.create(dispute=dispute, kind="mediation_agreement", title="调解协议书",
                                       file="documents/x.pdf", stored_name="x.pdf", size=1, sha256="0" * 64)
    signers = [world.party_user, respondent_user(dispute)]
    for user in signers:
        document.required_signers.add(user.party)
        SignatureRecord.objects.create(document=document, signer=user, party=user.party, signed_at=timezone.now(),
                                       document_sha256="0" * 64, method="local_identity", seal="x")
    agreement = Agreement.objects.create(referral=referral, dispute=dispute, terms="被申请人归还 12000 元",
                                         document=document, created_by=world.mediator_user, status="effective")
    return referral, agreement, {"mediator": other.pk, "reason": "测试原因", "mode": "in_person"}


@pytest.mark.django_db
@pytest.mark.parametrize("state", REFERRAL.states.values)
def test_every_referral_edge_from(world, arranged, state):
    referral, _, payload = arranged
    checked = lifecycles.walk_state(REFERRAL, referral, state, actors(world), payload=payload)
    assert checked == len(REFERRAL.actions()) * (len(ROLES) + 1)


@pytest.mark.django_db
@pytest.mark.parametrize("state", AGREEMENT.states.values)
def test_every_agreement_edge_from(world, arranged, state):
    referral, agreement, payload = arranged
    Referral.objects.filter(pk=referral.pk).update(status="in_session")
    checked = lifecycles.walk_state(AGREEMENT, agreement, state, actors(world), payload=payload)
    assert checked == len(AGREEMENT.actions()) * (len(ROLES) + 1)


@pytest.mark.django_db
def test_guards_refuse_with_chinese_reasons(world, arranged):
    from suyuan.common.errors import InvalidInput
    from suyuan.disputes.workflow import apply

    referral, agreement, _ = arranged
    # Assign to someone outside the organisation's roster.
    Referral.objects.filter(pk=referral.pk).update(status="referred")
    with pytest.raises(InvalidInput, match="本组织名册"):
        apply(REFERRAL, referral, "assign", actor=world.org_admin, origin=lifecycles.ORIGIN, payload={"mediator": 0})
    # Settle without an effective agreement.
    Referral.objects.filter(pk=referral.pk).update(status="in_session")
    Agreement.objects.filter(pk=agreement.pk).update(status="awaiting_signatures")
    with pytest.raises(InvalidInput, match="尚未经各方当事人签署生效"):
        apply(REFERRAL, referral, "settle", actor=None, origin=lifecycles.ORIGIN)
    # Take effect with a signature missing.
    SignatureRecord.objects.filter(party=world.party_user.party).delete()
    with pytest.raises(InvalidInput, match="尚有当事人未签署：陈当事"):
        apply(AGREEMENT, agreement, "take_effect", actor=None, origin=lifecycles.ORIGIN)
    # A respondent may not withdraw the applicant's application.
    Referral.objects.filter(pk=referral.pk).update(status="accepted")
    respondent = referral.dispute.dispute_parties.get(role="respondent").party.user
    with pytest.raises(InvalidInput, match="只有申请人"):
        apply(REFERRAL, referral, "withdraw", actor=respondent, origin=lifecycles.ORIGIN, payload={"reason": "x"})
