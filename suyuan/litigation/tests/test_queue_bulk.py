"""The stage apps' bulk actions from the workbench queue: refer, register, confirm triage."""

from __future__ import annotations

import pytest

from suyuan.disputes import bulk
from suyuan.disputes.models import Dispute
from suyuan.litigation.choices import CaseStatus
from suyuan.litigation.models import Case
from suyuan.mediation.models import Referral
from suyuan.triage.models import TriageDecision, TriageProposal
from suyuan.triage.services import decide_triage, store_proposals

from .helpers import ORIGIN, filed_case, make_dispute

pytestmark = pytest.mark.django_db


def _items(*disputes):
    return [bulk.BulkItem(d.pk, d.version) for d in disputes]


def test_the_stage_apps_register_their_actions_for_court_staff(world):
    keys = {a.key for a in bulk.actions_for(world.clerk)}
    assert {"assign", "refer", "register", "triage_confirm"} <= keys
    assert "register" not in {a.key for a in bulk.actions_for(world.grid_worker)}
    assert "refer" in {a.key for a in bulk.actions_for(world.centre_staff)}


def test_bulk_refer_goes_through_the_referral_service(world):
    disputes = [make_dispute(world) for _ in range(3)]
    Dispute.objects.filter(pk=disputes[2].pk).update(status="in_litigation")  # no longer referable
    disputes[2].refresh_from_db()
    outcome = bulk.run_bulk_action(actor=world.clerk, origin=ORIGIN, key="refer", option=str(world.committee.pk),
                                   items=_items(*disputes))
    assert len(outcome.done) == 2 and len(outcome.skipped) == 1
    assert Referral.objects.filter(organisation=world.committee, court_referred=True).count() == 2
    assert set(Dispute.objects.filter(status="in_mediation").values_list("pk", flat=True)) == {
        disputes[0].pk, disputes[1].pk}
    assert not Referral.objects.filter(dispute=disputes[2]).exists()


def test_bulk_register_numbers_filed_cases_and_reports_the_rest(world):
    cases = [filed_case(world) for _ in range(2)]
    unfiled = make_dispute(world)
    disputes = [Dispute.objects.get(pk=c.dispute_id) for c in cases]
    outcome = bulk.run_bulk_action(actor=world.clerk, origin=ORIGIN, key="register", option="simple",
                                   items=_items(*disputes, unfiled))
    assert len(outcome.done) == 2
    assert outcome.skipped == [(unfiled.number, "该纠纷没有待立案审查的起诉")]
    assert all(n.startswith("案号 ") for _, n in outcome.done)
    assert Case.objects.filter(status=CaseStatus.REGISTERED, procedure="simple").count() == 2
    # A judge may register too; a grid worker may not.
    with pytest.raises(Exception, match="不能批量登记立案"):
        bulk.run_bulk_action(actor=world.grid_worker, origin=ORIGIN, key="register", option="simple",
                             items=_items(unfiled))


def test_bulk_triage_confirm_records_decisions_agreeing_with_the_proposal(world):
    disputes = [make_dispute(world) for _ in range(2)]
    store_proposals([d.pk for d in disputes])
    outcome = bulk.run_bulk_action(actor=world.judge, origin=ORIGIN, key="triage_confirm",
                                   items=_items(*disputes))
    assert len(outcome.done) == 2
    decisions = TriageDecision.objects.filter(dispute__in=disputes)
    assert decisions.count() == 6 and all(d.agreed for d in decisions)


def test_bulk_register_by_the_triage_track(world):
    confirmed, proposed_only, none = (filed_case(world) for _ in range(3))
    store_proposals([confirmed.dispute_id, proposed_only.dispute_id])
    TriageProposal.objects.filter(dispute_id=proposed_only.dispute_id).update(track="ordinary")
    TriageProposal.objects.filter(dispute_id=confirmed.dispute_id).update(track="ordinary")
    dispute = Dispute.objects.get(pk=confirmed.dispute_id)
    decide_triage(actor=world.clerk, origin=ORIGIN, number=dispute.number,
                  decisions={"track": ("simple", "事实清楚、争议不大")})
    disputes = [Dispute.objects.get(pk=c.dispute_id) for c in (confirmed, proposed_only, none)]
    outcome = bulk.run_bulk_action(actor=world.clerk, origin=ORIGIN, key="register", option="triage",
                                   items=_items(*disputes))
    assert len(outcome.done) == 2
    assert outcome.skipped == [(disputes[2].number, "该纠纷尚无分流建议，请另选审理程序")]
    assert Case.objects.get(pk=confirmed.pk).procedure == "simple"  # the clerk's decision wins
    assert Case.objects.get(pk=proposed_only.pk).procedure == "ordinary"
    assert Case.objects.get(pk=none.pk).status == CaseStatus.FILED
