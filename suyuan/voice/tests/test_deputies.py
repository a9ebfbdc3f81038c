"""两代表一委员: a deputy sees only what they were invited to — another dispute, another deputy's
invitation, lists, the dispute pages and the API — with parties masked; feedback answered; counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.selectors import visible_disputes
from suyuan.mediation.tests.helpers import recorded_dispute
from suyuan.voice import deputies
from suyuan.voice.figures import voice_figures
from suyuan.voice.selectors import visible_invitations

from .helpers import ORIGIN, accepted_referral, make_deputy


def _invite(world, dispute, deputy, kind="observe"):  # type: ignore[no-untyped-def]
    return deputies.invite_deputy(actor=world.mediator_user, origin=ORIGIN, dispute_id=dispute.pk,
                                  deputy_id=deputy.pk, kind=kind, scheduled_at=timezone.now() + timedelta(days=2),
                                  location="长胜街道调解室")


@pytest.mark.django_db
def test_a_deputy_sees_only_their_own_invitation(world):
    referral = accepted_referral(world)
    deputy, other_deputy = make_deputy(), make_deputy("王委员", kind="cppcc", body="石嘴山市政协")
    mine = _invite(world, referral.dispute, deputy)
    theirs = _invite(world, referral.dispute, other_deputy, kind="take_part")
    unrelated = recorded_dispute(world)
    assert list(visible_invitations(deputy)) == [mine]
    assert not visible_disputes(deputy).exists()
    client = Client()
    client.force_login(deputy)
    page = client.get(reverse("voice:invitation", args=[mine.pk])).content.decode()
    party = world.party_user.party
    assert referral.dispute.number in page and party.name not in page and party.phone not in page
    assert party.name[0] + "*" in page  # masked (陈**)
    assert client.get(reverse("voice:invitation", args=[theirs.pk])).status_code == 404
    # Dispute pages are closed to the role altogether (403), whether invited to the dispute or not.
    for number in (referral.dispute.number, unrelated.number):
        refused = client.get(reverse("disputes:detail", args=[number]))
        assert refused.status_code in (403, 404) and party.name not in refused.content.decode()
    assert client.get(reverse("voice:invite_new", args=[referral.dispute.number])).status_code == 404
    listing = client.get(reverse("voice:deputy_home")).content.decode()
    links = [reverse("voice:invitation", args=[i.pk]) for i in (mine, theirs)]
    assert links[0] in listing and links[1] not in listing
    assert referral.dispute.number not in client.get(reverse("disputes:list")).content.decode()
    api = client.get("/api/v1/disputes")
    assert api.status_code in (200, 403) and referral.dispute.number not in api.content.decode()
    assert client.get(f"/api/v1/disputes/{referral.dispute.number}").status_code in (403, 404)
    with pytest.raises(NotFound):  # acting on another deputy's invitation
        deputies.respond_to_invitation(actor=deputy, origin=ORIGIN, invitation_id=theirs.pk, accept=True)
    with pytest.raises(NotPermitted):
        deputies.invite_deputy(actor=deputy, origin=ORIGIN, dispute_id=unrelated.pk, deputy_id=deputy.pk,
                               kind="observe", scheduled_at=timezone.now() + timedelta(days=1), location="x")


@pytest.mark.django_db
def test_invitation_feedback_answer_and_the_participation_count(world):
    referral = accepted_referral(world)
    deputy = make_deputy()
    invitation = _invite(world, referral.dispute, deputy)
    with pytest.raises(Conflict):  # feedback only after accepting
        deputies.leave_feedback(actor=deputy, origin=ORIGIN, invitation_id=invitation.pk, text="建议")
    deputies.respond_to_invitation(actor=deputy, origin=ORIGIN, invitation_id=invitation.pk, accept=True)
    with pytest.raises(InvalidInput):
        deputies.leave_feedback(actor=deputy, origin=ORIGIN, invitation_id=invitation.pk, text=" ")
    feedback = deputies.leave_feedback(actor=deputy, origin=ORIGIN, invitation_id=invitation.pk,
                                       text="建议提前向当事人说明调解程序。")
    with pytest.raises(NotPermitted):
        deputies.answer_feedback(actor=deputy, origin=ORIGIN, feedback_id=feedback.pk, answer="自答")
    deputies.answer_feedback(actor=world.mediator_user, origin=ORIGIN, feedback_id=feedback.pk,
                             answer="已采纳，下次调解前书面告知。")
    with pytest.raises(Conflict):
        deputies.answer_feedback(actor=world.mediator_user, origin=ORIGIN, feedback_id=feedback.pk, answer="再答")
    deputies.record_attendance(actor=deputy, origin=ORIGIN, invitation_id=invitation.pk)
    rows = {row[0]: row for row in voice_figures(world.leader).deputies}
    # The leader of the intermediate court sees the Dawukou court's disputes; this one is a
    # grid-recorded dispute of Dawukou, so it is in scope.
    assert rows["人大代表"][1:] == [1, 1, 1, 1, 1]
    assert rows["政协委员"][1:] == [0, 0, 0, 0, 0]
    timeline = [e.kind for e in referral.dispute.events.all()]
    assert "invitation.sent" in timeline and "invitation.accept" in timeline and "invitation.feedback" in timeline
