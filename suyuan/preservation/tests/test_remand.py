"""A preservation follows its suit through the appeal: when the judgment is set aside and remanded, it names
the retrial case the court below registers."""

from __future__ import annotations

import pytest

from suyuan.accounts.choices import Role
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.workflow import apply
from suyuan.litigation import appeals, second_instance, serving
from suyuan.litigation import services as litigation
from suyuan.litigation.choices import AppealOutcome, Procedure
from suyuan.testing.factories import make_user

from .helpers import ORIGIN, in_force

pytestmark = pytest.mark.django_db


def test_the_preservation_follows_the_retrial_case(world):  # type: ignore[no-untyped-def]
    p = in_force(world)
    apply(DISPUTE, p.dispute, "fail_mediation", actor=world.mediator_user, origin=ORIGIN)
    case = litigation.file_suit(actor=world.party_user, origin=ORIGIN, dispute_id=p.dispute_id)
    case = litigation.register_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                    track=litigation.TrackChoice(procedure=Procedure.SIMPLE))
    p.refresh_from_db()
    assert p.case_id == case.pk
    litigation.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    litigation.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk, amount="12000",
                                  main_text="被告于判决生效之日起十日内偿还原告借款12000元。", perform_within_days=10)
    second = None
    for party in serving.parties_of(case):
        serving.serve_document(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=party.pk,
                               method="direct", sent_on=litigation._today(), receipt="本人签收")
    for party in serving.parties_of(case):
        second = appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=party.pk,
                                     grounds="不服一审判决").second_case
    assert second is not None
    upper_judge = make_user(Role.JUDGE, organisation=world.intermediate_court, username="judge02")
    litigation.start_trial(actor=upper_judge, origin=ORIGIN, case_id=second.pk)
    decision = second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                             outcome=AppealOutcome.REMAND, main_text="撤销原判，发回重审。",
                                             reasons="认定借款交付的基本事实不清")
    p.refresh_from_db()
    assert decision.retrial_case is not None and p.case_id == decision.retrial_case.pk
