"""Mediation from referral to effective agreement; consent refusals; recommendations; clocks; scope; pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.models import Clock, Dispute, DisputeEvent
from suyuan.mediation import agreements, services
from suyuan.mediation.choices import ConsentKind, ConsentVia
from suyuan.mediation.consent import record_consent
from suyuan.mediation.models import ConsentRecord, LocalMeeting, Referral
from suyuan.mediation.selectors import recommend_mediators

from .helpers import (
    ORIGIN,
    accepted_referral,
    all_consent,
    other_organisation,
    recorded_dispute,
    respondent_user,
    second_mediator,
)

CHINA = ZoneInfo("Asia/Shanghai")


def _in_session(world):
    referral = accepted_referral(world)
    all_consent(world, referral.dispute)
    services.schedule_session(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk, mode="in_person",
                              scheduled_at=timezone.now() + timedelta(days=1), location="长胜街道调解室")
    referral.refresh_from_db()
    return referral


@pytest.mark.django_db
def test_people_mediation_to_effective_agreement_and_voluntary_performance(world):
    referral = _in_session(world)
    dispute = referral.dispute
    assert referral.status == "in_session"
    # 人民调解 has no legal period: no clock was started on receipt.
    assert not Clock.objects.filter(dispute=dispute).exists()
    offer = services.make_offer(actor=world.party_user, origin=ORIGIN, referral_id=referral.pk,
                                terms="被申请人分两期归还借款 12000 元", amount="12000")
    respondent = respondent_user(dispute)
    with pytest.raises(NotPermitted):
        services.respond_to_offer(actor=world.party_user, origin=ORIGIN, offer_id=offer.pk, accept=True)
    services.respond_to_offer(actor=respondent, origin=ORIGIN, offer_id=offer.pk, accept=True)
    today = timezone.localdate()
    rows = [agreements.InstalmentInput(today + timedelta(days=30), "6000"),
            agreements.InstalmentInput(today + timedelta(days=60), "5000")]
    with pytest.raises(InvalidInput) as bad:
        agreements.draft_agreement(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                                   offer_id=offer.pk, instalments=rows)
    assert "合计应等于协议金额" in bad.value.errors["instalments"][0]
    rows[1] = agreements.InstalmentInput(today + timedelta(days=60), "6000")
    agreement = agreements.draft_agreement(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                                           offer_id=offer.pk, instalments=rows)
    assert agreement.amount == 12000 and agreement.terms.startswith("被申请人")
    agreement = agreements.issue_agreement(actor=world.mediator_user, origin=ORIGIN, agreement_id=agreement.pk)
    assert agreement.status == "awaiting_signatures" and len(agreement.document.sha256) == 64
    with pytest.raises(InvalidInput):
        agreements.sign_agreement(actor=world.party_user, origin=ORIGIN, agreement_id=agreement.pk,
                                  id_number="640202198503120000")
    agreement = agreements.sign_agreement(actor=world.party_user, origin=ORIGIN, agreement_id=agreement.pk,
                                          id_number=world.party_user.party.id_number)
    assert agreement.status == "awaiting_signatures" and agreement.effective_on is None
    agreement = agreements.sign_agreement(actor=respondent, origin=ORIGIN, agreement_id=agreement.pk,
                                          id_number=respondent.party.id_number)
    assert agreement.status == "effective" and agreement.effective_on == today
    referral.refresh_from_db()
    dispute.refresh_from_db()
    assert referral.status == "settled" and dispute.status == "settled"
    clock = Clock.objects.get(dispute=dispute, rule="confirmation_application")
    assert clock.status == "open" and clock.due_on >= today + timedelta(days=30)
    agreements.choose_voluntary_performance(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk)
    dispute.refresh_from_db()
    clock.refresh_from_db()
    assert dispute.status == "performing" and clock.status == "met"
    # The agreement's schedule became the tracked performance plan (enforcement's after-hook; looked
    # up by name so that this lower app's tests do not import the higher app).
    from django.apps import apps

    plan = apps.get_model("enforcement", "PerformancePlan").objects.get(dispute=dispute)
    agreement = dispute.agreements.get(status="effective")
    assert plan.total == agreement.amount
    assert plan.instalments.count() == len(agreement.instalments)
    kinds = list(DisputeEvent.objects.filter(dispute=dispute).values_list("kind", flat=True))
    for kind in ("dispute.refer_to_mediation", "referral.assign", "referral.accept", "referral.open_session",
                 "agreement.issue", "agreement.take_effect", "referral.settle", "dispute.settle",
                 "dispute.perform_voluntarily"):
        assert kind in kinds


@pytest.mark.django_db
def test_session_refused_without_consent_and_online_without_online_consent(world):
    referral = accepted_referral(world)
    when = timezone.now() + timedelta(days=1)
    with pytest.raises(InvalidInput, match="同意调解"):
        services.schedule_session(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                                  mode="in_person", scheduled_at=when, location="调解室")
    all_consent(world, referral.dispute)
    with pytest.raises(InvalidInput, match="同意在线调解"):
        services.schedule_session(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                                  mode="online", scheduled_at=when)
    referral.refresh_from_db()
    assert referral.status == "accepted"
    all_consent(world, referral.dispute, ConsentKind.ONLINE_MEDIATION)
    first = services.schedule_session(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                                      mode="online", scheduled_at=when)
    second = services.schedule_session(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                                       mode="online", scheduled_at=when + timedelta(days=1))
    assert first.meeting_url and first.meeting_url != second.meeting_url
    assert LocalMeeting.objects.filter(ref=first.meeting_ref, url=first.meeting_url).exists()
    # A party withdraws online consent: the next online session is refused, in person still works.
    record_consent(actor=world.party_user, origin=ORIGIN, dispute_id=referral.dispute_id,
                   party_id=world.party_user.party_id, kind=ConsentKind.ONLINE_MEDIATION, given=False,
                   via=ConsentVia.ONLINE)
    with pytest.raises(InvalidInput, match="陈当事不同意在线调解"):
        services.schedule_session(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                                  mode="online", scheduled_at=when)
    services.schedule_session(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk,
                              mode="in_person", scheduled_at=when, location="调解室")


@pytest.mark.django_db
@pytest.mark.parametrize("withdraw_after_consent", [False, True])
def test_party_refusing_mediation_ends_it_at_once(world, withdraw_after_consent):
    referral = accepted_referral(world)
    if withdraw_after_consent:
        all_consent(world, referral.dispute)
    record_consent(actor=world.party_user, origin=ORIGIN, dispute_id=referral.dispute_id,
                   party_id=world.party_user.party_id, kind=ConsentKind.MEDIATION, given=False,
                   via=ConsentVia.ONLINE)
    referral.refresh_from_db()
    dispute = Dispute.objects.get(pk=referral.dispute_id)
    assert referral.status == "failed" and referral.outcome_reason.startswith("当事人不同意调解")
    assert dispute.status == "mediation_failed"
    event = DisputeEvent.objects.get(dispute=dispute, kind="dispute.fail_mediation")
    assert "当事人不同意调解" in event.summary and event.actor is None
    title = DisputeEvent.objects.filter(dispute=dispute, kind="consent.refused").last().title
    assert title == ("当事人撤回同意" if withdraw_after_consent else "当事人不同意")
    # The ledger keeps history: the consent rows are never rewritten.
    assert ConsentRecord.objects.filter(dispute=dispute, party=world.party_user.party).count() == (
        2 if withdraw_after_consent else 1)


@pytest.mark.django_db
def test_consent_rules(world):
    dispute = recorded_dispute(world)
    respondent = respondent_user(dispute)
    with pytest.raises(NotPermitted):
        record_consent(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, party_id=respondent.party_id,
                       kind=ConsentKind.MEDIATION, given=True, via=ConsentVia.ONLINE)
    with pytest.raises(InvalidInput) as bad:
        record_consent(actor=world.grid_worker, origin=ORIGIN, dispute_id=dispute.pk,
                       party_id=respondent.party_id, kind=ConsentKind.MEDIATION, given=True, via=ConsentVia.ONLINE)
    assert set(bad.value.errors) == {"via", "note"}
    with pytest.raises(NotFound):
        record_consent(actor=world.other_grid_worker, origin=ORIGIN, dispute_id=dispute.pk,
                       party_id=respondent.party_id, kind=ConsentKind.MEDIATION, given=True, via=ConsentVia.PHONE,
                       note="录音")
    from django.db import DatabaseError, transaction

    record = record_consent(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk,
                            party_id=world.party_user.party_id, kind=ConsentKind.ELECTRONIC_SERVICE, given=True,
                            via=ConsentVia.ONLINE)
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).update(given=False)


@pytest.mark.django_db
def test_recommendations_explain_each_candidate(world):
    dispute = recorded_dispute(world)  # a debt dispute in 长胜街道
    expert = second_mediator(world, "周调解", specialties=["debt"])
    expert.regions.add(world.grid.parent.parent)  # serves the township the dispute arose in
    ranked = recommend_mediators(dispute, world.committee)
    (top, top_score, top_reasons), (other, other_score, other_reasons) = ranked
    assert top == expert and top_score > other_score
    assert "擅长借贷债务" in top_reasons
    assert any(r.startswith("服务区域包含纠纷发生地") for r in top_reasons)
    assert "在办 0 件 / 上限 5 件" in top_reasons
    assert "暂无办结记录（按中等水平计）" in top_reasons
    assert other == world.mediator and "未登记擅长借贷债务" in other_reasons and "未登记服务区域" in other_reasons
    # Track record and load appear once there is data.
    referral = accepted_referral(world)
    services.fail_referral(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk, reason="分歧过大")
    accepted_referral(world)
    reasons = {m.pk: r for m, _, r in recommend_mediators(dispute, world.committee)}[world.mediator.pk]
    assert "在办 1 件 / 上限 10 件" in reasons
    assert "调解成功率 0%（办结 1 件，成功 0 件）" in reasons


@pytest.mark.django_db
def test_decline_and_reassign(world):
    dispute = recorded_dispute(world)
    referral = services.refer_dispute(actor=world.centre_staff, origin=ORIGIN, dispute_id=dispute.pk,
                                      organisation_id=world.committee.pk)
    services.assign_mediator(actor=world.org_admin, origin=ORIGIN, referral_id=referral.pk,
                             mediator_id=world.mediator.pk)
    services.decline_referral(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk, reason="回避")
    other = second_mediator(world)
    reasons = {m.pk: r for m, _, r in recommend_mediators(dispute, world.committee, referral=referral)}
    assert "曾拒收本案" in reasons[world.mediator.pk]
    done = services.assign_mediator(actor=world.org_admin, origin=ORIGIN, referral_id=referral.pk,
                                    mediator_id=other.pk)
    assert done.status == "assigned" and done.mediator == other
    # The first mediator no longer sees it; the new one accepts.
    with pytest.raises(NotFound):
        services.accept_referral(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk)
    services.accept_referral(actor=other.user, origin=ORIGIN, referral_id=referral.pk)


@pytest.mark.django_db
def test_court_referral_clock_only_under_the_pre_2025_regime(world):
    for day, expect_clock in ((datetime(2024, 12, 2, 10, tzinfo=CHINA), True),
                              (datetime(2025, 3, 3, 10, tzinfo=CHINA), False)):
        dispute = recorded_dispute(world)
        referral = services.refer_dispute(actor=world.clerk, origin=ORIGIN, dispute_id=dispute.pk,
                                          organisation_id=world.committee.pk)
        assert referral.court_referred
        Referral.objects.filter(pk=referral.pk).update(referred_at=day - timedelta(days=1))
        services.assign_mediator(actor=world.org_admin, origin=ORIGIN, referral_id=referral.pk,
                                 mediator_id=world.mediator.pk)
        services.accept_referral(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk, signed_at=day)
        clock = Clock.objects.filter(dispute=dispute, rule="pre_filing_mediation").first()
        assert (clock is not None) == expect_clock
        if clock is not None:
            assert clock.started_on == date(2024, 12, 2) and clock.status == "open"
            services.fail_referral(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk, reason="不成")
            clock.refresh_from_db()
            assert clock.status == "met"


@pytest.mark.django_db
def test_scope_mediator_admin_party(world):
    referral = accepted_referral(world)
    other = second_mediator(world)
    with pytest.raises(NotFound):
        services.fail_referral(actor=other.user, origin=ORIGIN, referral_id=referral.pk, reason="x")
    _, other_admin = other_organisation(world)
    client = Client()
    client.force_login(other_admin)
    assert client.get(reverse("mediation:referral", args=[referral.pk])).status_code == 404
    response = client.post(reverse("mediation:assign", args=[referral.pk]), {"mediator": other.pk})
    assert response.status_code == 404
    stranger = respondent_user(recorded_dispute(world))
    client.force_login(stranger)
    assert client.get(reverse("mediation:referral", args=[referral.pk])).status_code == 404
    assert referral.dispute.number not in client.get(reverse("mediation:consents")).content.decode()
    client.force_login(other.user)
    assert referral.dispute.number not in client.get(reverse("mediation:mine")).content.decode()


@pytest.mark.django_db
def test_pages_drive_the_flow(world):
    dispute = recorded_dispute(world)
    client = Client()
    client.force_login(world.centre_staff)
    page = client.get(reverse("disputes:detail", args=[dispute.number])).content.decode()
    assert "委派调解组织" in page
    client.post(reverse("mediation:refer", args=[dispute.pk]), {"organisation": world.committee.pk})
    referral = Referral.objects.get(dispute=dispute)
    client.force_login(world.org_admin)
    assert dispute.number in client.get(reverse("mediation:queue")).content.decode()
    page = client.get(reverse("mediation:referral", args=[referral.pk])).content.decode()
    assert "推荐分" in page and "未登记擅长借贷债务" in page
    client.post(reverse("mediation:assign", args=[referral.pk]), {"mediator": world.mediator.pk})
    client.force_login(world.mediator_user)
    assert "签收" in client.get(reverse("mediation:mine")).content.decode()
    client.post(reverse("mediation:accept", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.signed_receipt_at is not None
    # Bad input is a message, not an error page.
    response = client.post(reverse("mediation:session", args=[referral.pk]), {"mode": "in_person"}, follow=True)
    assert response.status_code == 200 and "调解会信息不完整" in response.content.decode()
    client.force_login(world.party_user)
    page = client.get(reverse("mediation:consents")).content.decode()
    assert dispute.number in page and "同意在线调解" in page
    client.post(reverse("mediation:consent", args=[dispute.pk]), {"kind": "mediation", "given": "no"})
    referral.refresh_from_db()
    assert referral.status == "failed"


@pytest.mark.django_db
def test_no_second_referral_while_one_is_open(world):
    referral = accepted_referral(world)
    with pytest.raises(Conflict):
        services.refer_dispute(actor=world.centre_staff, origin=ORIGIN, dispute_id=referral.dispute_id,
                               organisation_id=world.committee.pk)
    services.fail_referral(actor=world.mediator_user, origin=ORIGIN, referral_id=referral.pk, reason="不成")
    again = services.refer_dispute(actor=world.centre_staff, origin=ORIGIN, dispute_id=referral.dispute_id,
                                   organisation_id=world.committee.pk)
    assert again.status == "referred"
    assert Dispute.objects.get(pk=referral.dispute_id).status == "in_mediation"
