"""移送管辖: an upheld objection moves the case once its ruling is effective (unappealed, or affirmed)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse

from suyuan.accounts.choices import Role
from suyuan.common.errors import NotPermitted
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import sweep
from suyuan.disputes.models import Clock
from suyuan.litigation import objections, transfers
from suyuan.litigation.casework import case_ref
from suyuan.litigation.choices import CaseStatus
from suyuan.litigation.models import Case
from suyuan.litigation.objection_choices import ObjectionStatus
from suyuan.litigation.selectors import visible_cases
from suyuan.rules import periods
from suyuan.testing.factories import make_user

from .helpers import ORIGIN, registered_case
from .test_objections import defendant, objection, served

pytestmark = pytest.mark.django_db


def _upheld(world):
    case = registered_case(world)
    served(world, case)
    obj = objection(world, case)
    return case, objections.rule_on_objection(actor=world.judge, origin=ORIGIN, objection_id=obj.pk, upheld=True,
                                              reasons="被告住所地在惠农区", transfer_to_id=world.huinong_court.pk)


def _after(day):
    return datetime.combine(day + timedelta(days=1), time(1), tzinfo=periods.CHINA)


def _ruling_clock(obj):
    return Clock.objects.get(rule=transfers.RULING_APPEAL_RULE, object_ref=transfers.objection_ref(obj))


def test_the_case_moves_only_when_the_unappealed_ruling_takes_effect(world):
    case, obj = _upheld(world)
    clock = _ruling_clock(obj)
    assert clock.status == ClockStatus.OPEN and "第一百七十一条第二款" in clock.citation
    trial = Clock.objects.get(object_ref=case_ref(case), status=ClockStatus.OPEN)
    sweep(now=_after(clock.due_on - timedelta(days=1)))
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED  # still within the appeal period: nothing moves
    sweep(now=_after(clock.due_on))
    case.refresh_from_db()
    obj.refresh_from_db()
    assert obj.status == ObjectionStatus.TRANSFERRED and case.status == CaseStatus.TRANSFERRED
    received = Case.objects.get(dispute=case.dispute, court=world.huinong_court)
    assert received.status == CaseStatus.REGISTERED and received.number and received.number != case.number
    assert world.huinong_court.court_code in received.number and received.procedure == case.procedure
    trial.refresh_from_db()
    assert trial.status == ClockStatus.CANCELLED  # the transferring court's period ends with its case
    assert Clock.objects.get(object_ref=case_ref(received), status=ClockStatus.OPEN).rule == trial.rule
    case.dispute.refresh_from_db()
    assert case.dispute.court == world.huinong_court
    kinds = set(case.dispute.events.values_list("kind", flat=True))
    assert {"jurisdiction_objection.take_effect", "case.transfer_out", "case.receive_transfer",
            "dispute.court_changed"} <= kinds
    # The receiving court sees both cases (the earlier one is its file); the first court keeps its own.
    assert set(visible_cases(world.other_clerk).filter(dispute=case.dispute)) == {case, received}
    assert set(visible_cases(world.clerk).filter(dispute=case.dispute)) == {case}


def test_an_appeal_holds_the_transfer_until_the_appellate_court_decides(world):
    case, obj = _upheld(world)
    party = make_user(Role.PARTY, party=defendant(case), username="defendant1")
    transfers.appeal_ruling(actor=party, origin=ORIGIN, objection_id=obj.pk)
    clock = _ruling_clock(obj)
    assert clock.status == ClockStatus.MET
    sweep(now=_after(clock.due_on + timedelta(days=5)))
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    with pytest.raises(NotPermitted):
        transfers.record_appeal_decision(actor=party, origin=ORIGIN, objection_id=obj.pk, affirmed=True)
    transfers.record_appeal_decision(actor=world.clerk, origin=ORIGIN, objection_id=obj.pk, affirmed=True,
                                     note="（2025）宁02民辖终1号")
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED
    assert Case.objects.filter(dispute=case.dispute, court=world.huinong_court, status=CaseStatus.REGISTERED).exists()


def test_a_reversed_ruling_keeps_the_case_here(world):
    case, obj = _upheld(world)
    transfers.appeal_ruling(actor=world.clerk, origin=ORIGIN, objection_id=obj.pk)
    done = transfers.record_appeal_decision(actor=world.clerk, origin=ORIGIN, objection_id=obj.pk, affirmed=False)
    case.refresh_from_db()
    assert done.status == ObjectionStatus.REVERSED and case.status == CaseStatus.REGISTERED
    assert not Case.objects.filter(dispute=case.dispute, court=world.huinong_court).exists()


def test_a_case_withdrawn_meanwhile_is_not_moved(world):
    from suyuan.disputes.workflow import apply
    from suyuan.litigation.lifecycle import CASE

    case, obj = _upheld(world)
    apply(CASE, case, "withdraw", actor=world.clerk, origin=ORIGIN)
    sweep(now=_after(_ruling_clock(obj).due_on))
    obj.refresh_from_db()
    assert obj.status == ObjectionStatus.UPHELD
    assert case.dispute.events.filter(kind="jurisdiction_objection.moot").exists()
    assert not Case.objects.filter(dispute=case.dispute, court=world.huinong_court).exists()


def test_the_case_page_offers_the_appeal_and_shows_the_period(world, client):
    case, obj = _upheld(world)
    party = make_user(Role.PARTY, party=defendant(case), username="defendant1")
    client.force_login(party)
    page = client.get(reverse("litigation:case", args=[case.pk])).content.decode()
    assert "对裁定提起上诉" in page and "裁定上诉期至" in page
    response = client.post(reverse("litigation:objection_step", args=[obj.pk]), {"step": "appeal"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == ObjectionStatus.APPEALED
    client.force_login(world.clerk)
    page = client.get(reverse("litigation:case", args=[case.pk])).content.decode()
    assert "上级法院维持裁定，移送案件" in page
    # Another court's clerk cannot reach the objection at all.
    client.force_login(world.other_clerk)  # the receiving court, before anything has moved
    assert client.post(reverse("litigation:objection_step", args=[obj.pk]),
                       {"step": "affirm_on_appeal"}).status_code == 404
