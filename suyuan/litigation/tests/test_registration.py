"""Filing and registration: the 7-day period (CPL art. 126), the one-notice rule, refusal, numbers, scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.models import Clock, Dispute
from suyuan.litigation import services
from suyuan.litigation.choices import CaseStatus, Procedure
from suyuan.litigation.models import Case
from suyuan.litigation.services import TrackChoice
from suyuan.rules import periods

from .helpers import ORIGIN, filed_case


@pytest.mark.django_db
def test_filing_moves_the_dispute_and_starts_the_7_day_registration_clock(world):
    case = filed_case(world)
    assert case.status == CaseStatus.FILED and case.number == ""
    assert Dispute.objects.get(pk=case.dispute_id).status == "in_litigation"
    clock = Clock.objects.get(dispute=case.dispute, rule="registration", status="open")
    expected = periods.compute("registration", start=timezone.localdate())
    assert clock.due_on == expected.due
    assert "第一百二十六条" in clock.citation  # CPL (2023) art. 126: decide within 7 days
    assert case.dispute.events.filter(kind="case.filed").exists()


@pytest.mark.django_db
def test_missing_materials_listed_once_and_the_7_days_run_again_from_receipt(world):
    case = filed_case(world)
    notice = services.request_materials(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                        items=["身份证明复印件", "借条原件", " ", "被告住所证明"])
    assert [i.text for i in notice.items.all()] == ["身份证明复印件", "借条原件", "被告住所证明"]
    assert not Clock.objects.filter(dispute=case.dispute, rule="registration", status="open").exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_MATERIALS
    received = timezone.localdate()
    services.complete_materials(actor=world.clerk, origin=ORIGIN, case_id=case.pk, received_on=received)
    clock = Clock.objects.get(dispute=case.dispute, rule="registration", status="open")
    assert clock.started_on == received
    assert clock.due_on == periods.compute("registration", start=received).due
    # One notice only: a second request for materials is refused, the clerk must rule instead.
    with pytest.raises(InvalidInput, match="一次性"):
        services.request_materials(actor=world.clerk, origin=ORIGIN, case_id=case.pk, items=["再补一份"])


@pytest.mark.django_db
def test_a_notice_needs_at_least_one_item_and_no_duplicates(world):
    case = filed_case(world)
    with pytest.raises(InvalidInput):
        services.request_materials(actor=world.clerk, origin=ORIGIN, case_id=case.pk, items=["", "  "])
    with pytest.raises(InvalidInput):
        services.request_materials(actor=world.clerk, origin=ORIGIN, case_id=case.pk, items=["借条", "借条"])
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED and not case.material_notices.exists()


@pytest.mark.django_db
def test_registration_numbers_the_case_and_starts_the_trial_clock(world):
    case = filed_case(world)
    case = services.register_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                  track=TrackChoice(procedure=Procedure.SIMPLE, fast_track=True))
    year = timezone.localdate().year
    assert case.number == f"（{year}）宁0202民初1号"
    assert case.status == CaseStatus.REGISTERED and case.fast_track
    assert Clock.objects.get(dispute=case.dispute, rule="registration").status == "met"
    trial = Clock.objects.get(dispute=case.dispute, rule="simple_trial", status="open")
    assert trial.due_on == periods.compute("simple_trial", start=timezone.localdate()).due
    second = services.register_case(actor=world.clerk, origin=ORIGIN, case_id=filed_case(world).pk,
                                    track=TrackChoice(procedure=Procedure.ORDINARY))
    assert second.number == f"（{year}）宁0202民初2号"


@pytest.mark.django_db
def test_fast_track_is_not_for_ordinary_procedure(world):
    case = filed_case(world)
    with pytest.raises(InvalidInput) as exc:
        services.register_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                               track=TrackChoice(procedure=Procedure.ORDINARY, fast_track=True))
    assert "fast_track" in exc.value.errors
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED and case.number == ""


@pytest.mark.django_db
def test_small_claims_exclusion_is_refused_with_its_article(world):
    case = filed_case(world, amount="1000")
    with pytest.raises(InvalidInput, match="第一百六十六条"):
        services.register_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                               track=TrackChoice(procedure=Procedure.SMALL_CLAIMS, exclusions=("counterclaim",)))


@pytest.mark.django_db
def test_refusal_is_a_reasoned_ruling_and_closes_the_dispute(world):
    case = filed_case(world)
    with pytest.raises(InvalidInput):
        services.refuse_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk, reason="")
    case = services.refuse_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                reason="起诉不符合《中华人民共和国民事诉讼法》第一百二十二条规定的条件")
    assert case.status == CaseStatus.REFUSED and "第一百二十二条" in case.refusal_reason
    assert Dispute.objects.get(pk=case.dispute_id).status == "closed"


@pytest.mark.django_db
def test_another_courts_clerk_gets_not_found(world):
    case = filed_case(world)
    with pytest.raises(NotFound):
        services.register_case(actor=world.other_clerk, origin=ORIGIN, case_id=case.pk,
                               track=TrackChoice(procedure=Procedure.SIMPLE))
    with pytest.raises(NotFound):
        services.request_materials(actor=world.other_clerk, origin=ORIGIN, case_id=case.pk, items=["借条"])
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FILED


@pytest.mark.django_db
def test_sweep_marks_a_late_registration_overdue(world):
    from suyuan.disputes.clocks import sweep

    case = filed_case(world)
    clock = Clock.objects.get(dispute=case.dispute, rule="registration", status="open")
    later = timezone.now() + timedelta(days=(clock.due_on - timezone.localdate()).days + 2)
    sweep(now=later)
    clock.refresh_from_db()
    assert clock.status == "overdue"


@pytest.mark.django_db
def test_withdrawal_by_the_plaintiff_closes_case_and_dispute(world):
    case = filed_case(world)
    case = services.withdraw_case(actor=world.party_user, origin=ORIGIN, case_id=case.pk, reason="已和解")
    assert case.status == CaseStatus.WITHDRAWN
    assert Dispute.objects.get(pk=case.dispute_id).status == "closed"
    assert not Clock.objects.filter(dispute=case.dispute, status="open").exists()
