"""Complaints: filing, scope (organisation admin, mediator masked, other organisation), the handling
clock from rules data with its reminders to the admins, answer to the complainant, withdrawal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.clocks import sweep
from suyuan.disputes.models import Clock
from suyuan.mediation.tests.helpers import other_organisation
from suyuan.notices.models import Notification
from suyuan.rules import periods
from suyuan.voice import complaints
from suyuan.voice.selectors import visible_complaints

from .helpers import ORIGIN, failed_mediation, respondent_user


def _file(world, referral):  # type: ignore[no-untyped-def]
    return complaints.file_complaint(actor=world.party_user, origin=ORIGIN, dispute_id=referral.dispute_id, target=0,
                                     category="attitude", description="调解员多次不接电话，态度敷衍。")


@pytest.mark.django_db
def test_a_party_files_and_the_organisation_answers_within_the_local_period(world):
    referral = failed_mediation(world)
    complaint = _file(world, referral)
    assert complaint.mediator == world.mediator and complaint.organisation == world.committee
    clock = Clock.objects.get(dispute=referral.dispute, rule="complaint_handling", status="open")
    assert complaint.due_on == clock.due_on == periods.compute("complaint_handling", start=timezone.localdate()).due
    assert "本地工作规定" in complaint.due_citation and complaint.due_citation.startswith("《")
    admin_note = Notification.objects.get(template_key="voice.complaint", recipient_user=world.org_admin)
    assert complaint.number in admin_note.body
    # The other party hears nothing of the complaint.
    other = respondent_user(referral.dispute)
    assert not Notification.objects.filter(event__kind__startswith="complaint.", recipient_party=other.party).exists()
    assert not Notification.objects.filter(event__kind__startswith="complaint.", recipient_user=other).exists()

    with pytest.raises(InvalidInput, match="本组织"):
        complaints.assign_complaint(actor=world.org_admin, origin=ORIGIN, complaint_id=complaint.pk,
                                    handler_id=world.mediator_user.pk)
    complaints.assign_complaint(actor=world.org_admin, origin=ORIGIN, complaint_id=complaint.pk,
                                handler_id=world.org_admin.pk, expected_version=complaint.version)
    with pytest.raises(Conflict):  # a stale page
        complaints.answer_complaint(actor=world.org_admin, origin=ORIGIN, complaint_id=complaint.pk,
                                    outcome="partly", answer="x", expected_version=complaint.version)
    with pytest.raises(InvalidInput, match="核查结论"):
        complaints.answer_complaint(actor=world.org_admin, origin=ORIGIN, complaint_id=complaint.pk, outcome="",
                                    answer="已核实")
    done = complaints.answer_complaint(actor=world.org_admin, origin=ORIGIN, complaint_id=complaint.pk,
                                       outcome="partly", answer="经核实，调解员未及时回复，已批评教育。")
    assert done.status == "answered"
    assert Clock.objects.get(dispute=referral.dispute, rule="complaint_handling").status == "met"
    told = Notification.objects.filter(recipient_user=world.party_user, title="您的投诉已有答复")
    assert told.filter(channel="inbox").exists()
    page = Client()
    page.force_login(world.party_user)
    assert "已批评教育" in page.get(reverse("voice:complaint", args=[complaint.pk])).content.decode()
    complaints.close_complaint(actor=world.party_user, origin=ORIGIN, complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.status == "closed"


@pytest.mark.django_db
def test_who_sees_a_complaint(world):
    referral = failed_mediation(world)
    complaint = _file(world, referral)
    _, foreign_admin = other_organisation(world)
    assert list(visible_complaints(world.org_admin)) == [complaint]
    assert list(visible_complaints(world.mediator_user)) == [complaint]
    assert not visible_complaints(foreign_admin).exists()
    assert not visible_complaints(respondent_user(referral.dispute)).exists()
    assert not visible_complaints(world.leader).exists()
    with pytest.raises(NotFound):
        complaints.assign_complaint(actor=foreign_admin, origin=ORIGIN, complaint_id=complaint.pk,
                                    handler_id=foreign_admin.pk)
    with pytest.raises(NotFound):  # the mediator reads but cannot act
        complaints.close_complaint(actor=world.mediator_user, origin=ORIGIN, complaint_id=complaint.pk)
    client = Client()
    client.force_login(world.mediator_user)
    text = client.get(reverse("voice:complaint", args=[complaint.pk])).content.decode()
    party = world.party_user.party
    assert party.name not in text and party.phone not in text and party.masked_phone not in text
    assert "态度敷衍" in text
    client.force_login(foreign_admin)
    assert client.get(reverse("voice:complaint", args=[complaint.pk])).status_code == 404


@pytest.mark.django_db
def test_bad_input_and_a_stranger_are_refused_without_a_record(world):
    referral = failed_mediation(world)
    with pytest.raises(InvalidInput, match="投诉内容"):
        complaints.file_complaint(actor=world.party_user, origin=ORIGIN, dispute_id=referral.dispute_id, target=0,
                                  category="attitude", description="  ")
    with pytest.raises(InvalidInput, match="投诉对象"):
        complaints.file_complaint(actor=world.party_user, origin=ORIGIN, dispute_id=referral.dispute_id, target=9,
                                  category="attitude", description="不满意")
    with pytest.raises(NotPermitted):
        complaints.file_complaint(actor=world.judge, origin=ORIGIN, dispute_id=referral.dispute_id, target=0,
                                  category="attitude", description="不满意")
    assert not Clock.objects.filter(rule="complaint_handling").exists()
    # Staff record a complaint made by phone, naming the party.
    complaint = complaints.file_complaint(actor=world.org_admin, origin=ORIGIN, dispute_id=referral.dispute_id,
                                          target=1, category="delay", description="电话投诉：办理拖延",
                                          complainant_id=world.party_user.party_id)
    assert complaint.channel == "staff" and complaint.subject == "organisation" and complaint.mediator is None


@pytest.mark.django_db
def test_the_sweep_reminds_the_admins_not_the_parties_and_withdrawal_stops_the_clock(world):
    referral = failed_mediation(world)
    complaint = _file(world, referral)
    due = complaint.due_on
    sweep(now=timezone.make_aware(timezone.datetime.combine(due - timedelta(days=1), timezone.datetime.min.time())))
    reminders = Notification.objects.filter(template_key="voice.complaint_clock")
    assert reminders.filter(recipient_user=world.org_admin, title="投诉办理期限提醒").exists()
    parties = Notification.objects.filter(event__kind="clock.reminder", event__data__rule="complaint_handling")
    assert not parties.filter(recipient_party__isnull=False).exists()
    assert not parties.filter(recipient_user=world.party_user).exists()
    complaints.withdraw_complaint(actor=world.party_user, origin=ORIGIN, complaint_id=complaint.pk, reason="已和解")
    assert Clock.objects.get(dispute=referral.dispute, rule="complaint_handling").status == "cancelled"
