"""The party-action providers: what a party must do now, by when, offered only to the right side."""

from __future__ import annotations

import pytest

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.disputes.party_actions import party_actions
from suyuan.disputes.services import record_dispute
from suyuan.enforcement.tests.conftest import make_performing, plan_of
from suyuan.mediation import consent
from suyuan.mediation.choices import ConsentKind, ConsentVia
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import make_user

pytestmark = pytest.mark.django_db


def _kinds(user, dispute):
    return [(a.kind, a.title) for a in party_actions(user, dispute)]


def test_mediation_consent_is_asked_until_the_party_answers(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute
    assert ("consent", "告诉我们您是否同意调解") in _kinds(world.party_user, dispute)
    consent.record_consent(actor=world.party_user, origin=Origin(via="web"), dispute_id=dispute.pk,
                           party_id=world.party_user.party_id, kind=ConsentKind.MEDIATION, given=True,
                           via=ConsentVia.ONLINE, note="")
    assert ("consent", "告诉我们您是否同意调解") not in _kinds(world.party_user, dispute)
    # Staff see no party actions at all.
    assert party_actions(world.clerk, dispute) == []


def test_instalments_are_offered_to_the_obligor_with_the_plans_due_date(world):
    dispute = make_performing(world)
    plan = plan_of(dispute)
    first = plan.instalments.order_by("position").first()
    respondent = dispute.dispute_parties.get(role="respondent").party
    obligor = make_user(Role.PARTY, party=respondent, full_name=respondent.name)
    pay = [a for a in party_actions(obligor, dispute) if a.kind == "pay"]
    assert pay, "the obligor must be asked to pay"
    assert pay[0].due == first.due  # the plan's date, not a literal
    assert pay[0].url.endswith(f"/enforcement/plans/{plan.pk}/")
    # The obligee (the applicant) is not asked to pay, and is not yet offered enforcement.
    obligee_kinds = [a.kind for a in party_actions(world.party_user, dispute)]
    assert "pay" not in obligee_kinds
    assert not any(a.title.startswith("对方逾期未履行") for a in party_actions(world.party_user, dispute))


def test_actions_are_sorted_soonest_due_first(world):
    dispute = make_performing(world, amounts=("1000", "2000", "3000"))
    respondent = dispute.dispute_parties.get(role="respondent").party
    obligor = make_user(Role.PARTY, party=respondent, full_name=respondent.name)
    dues = [a.due for a in party_actions(obligor, dispute) if a.due]
    assert dues == sorted(dues) and len(dues) >= 1


def test_judicial_confirmation_is_offered_with_the_period_of_the_rules_and_not_after_it(world, monkeypatch):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from suyuan.disputes.models import Dispute
    from suyuan.litigation.agreements import AgreementInfo
    from suyuan.portal import actions
    from suyuan.rules import periods

    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute
    Dispute.objects.filter(pk=dispute.pk).update(status="settled")
    dispute.refresh_from_db()
    today = timezone.localdate()
    for back, offered in ((5, True), (60, False)):
        info = AgreementInfo(pk=1, effective_on=today - timedelta(days=back), amount=Decimal("12000"), terms="分期")
        monkeypatch.setattr(actions, "effective_agreement", lambda d, info=info: info)
        found = [a for a in party_actions(world.party_user, dispute) if a.title == "与对方共同申请司法确认"]
        assert bool(found) is offered, back
        if offered:
            expected = periods.compute("confirmation_application", start=info.effective_on)
            assert found[0].due == expected.due and found[0].citation == expected.rule.citation
            assert "第二百零五条" in found[0].citation
