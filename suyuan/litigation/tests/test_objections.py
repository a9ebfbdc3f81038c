"""Jurisdiction objections: the answer-period window, the ruling lifecycle and the abuse signal."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from suyuan.accounts.choices import Role
from suyuan.common.errors import Conflict, InvalidInput, NotPermitted
from suyuan.disputes.choices import PartyRole
from suyuan.disputes.workflow import SYSTEM
from suyuan.litigation import objections
from suyuan.litigation.models import ComplaintService, JurisdictionObjection
from suyuan.litigation.objection_choices import ObjectionStatus
from suyuan.litigation.objection_lifecycle import OBJECTION
from suyuan.testing import lifecycles
from suyuan.testing.factories import make_user

from .helpers import ORIGIN, registered_case

CHINA = ZoneInfo("Asia/Shanghai")


def defendant(case):
    return case.dispute.dispute_parties.get(role=PartyRole.RESPONDENT).party


def served(world, case, on=date(2025, 5, 26)):
    objections.record_complaint_service(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                        party_id=defendant(case).pk, received_on=on)


def objection(world, case, grounds="被告住所地在惠农区，本院无管辖权"):
    return objections.file_jurisdiction_objection(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                                  party_id=defendant(case).pk, grounds=grounds)


@pytest.mark.django_db
def test_objection_within_the_answer_period_is_recorded_with_its_due_date(world):
    case = registered_case(world)
    served(world, case)  # 2025-05-26 + 15 = 2025-06-10; today is 2025-06-03
    obj = objection(world, case)
    assert obj.status == ObjectionStatus.FILED
    assert obj.answer_due == date(2025, 6, 10)
    assert case.dispute.events.filter(kind="jurisdiction_objection.file").exists()
    assert case.dispute.events.filter(kind="case.complaint_served").exists()


@pytest.mark.django_db
def test_objection_on_the_last_day_is_accepted_and_the_day_after_refused(world, now):
    case = registered_case(world)
    served(world, case)
    now.set(datetime(2025, 6, 10, 17, 0, tzinfo=CHINA))
    assert objection(world, case).answer_due == date(2025, 6, 10)
    other = registered_case(world)
    served(world, other)
    now.set(datetime(2025, 6, 11, 9, 0, tzinfo=CHINA))
    with pytest.raises(InvalidInput, match="第一百三十条"):
        objection(world, other)


@pytest.mark.django_db
def test_late_objection_is_refused_naming_the_rule_and_nothing_is_written(world, now):
    case = registered_case(world)
    served(world, case, on=date(2025, 5, 1))
    events = case.dispute.events.count()
    with pytest.raises(InvalidInput) as exc:
        objection(world, case)
    assert "第一百三十条" in exc.value.message and "答辩期已于 2025-05-16 届满" in exc.value.message
    assert JurisdictionObjection.objects.count() == 0
    assert case.dispute.events.count() == events


@pytest.mark.django_db
def test_objection_without_recorded_service_tells_the_clerk_to_record_it_first(world):
    case = registered_case(world)
    with pytest.raises(InvalidInput, match="请书记员先登记送达"):
        objection(world, case)
    assert JurisdictionObjection.objects.count() == 0


@pytest.mark.django_db
def test_objection_needs_a_registered_case_and_a_defendant(world):
    from .helpers import filed_case

    case = filed_case(world)
    with pytest.raises(Conflict, match="已立案"):
        objection(world, case)
    case = registered_case(world)
    with pytest.raises(InvalidInput, match="不是本案被告"):
        objections.record_complaint_service(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                            party_id=world.party_user.party_id, received_on=date(2025, 6, 1))


@pytest.mark.django_db
def test_service_recorded_once_and_only_by_court_staff(world):
    case = registered_case(world)
    with pytest.raises(NotPermitted):
        objections.record_complaint_service(actor=world.party_user, origin=ORIGIN, case_id=case.pk,
                                            party_id=defendant(case).pk, received_on=date(2025, 6, 1))
    served(world, case)
    with pytest.raises(Conflict, match="不能重复登记"):
        served(world, case)
    assert ComplaintService.objects.count() == 1


@pytest.mark.django_db
def test_defendant_files_it_themselves_but_the_plaintiff_cannot(world):
    case = registered_case(world)
    served(world, case)
    with pytest.raises(InvalidInput, match="不是本案被告"):
        objections.file_jurisdiction_objection(actor=world.party_user, origin=ORIGIN, case_id=case.pk,
                                               party_id=None, grounds="无管辖权")
    user = make_user(Role.PARTY, party=defendant(case), username="defendant1")
    obj = objections.file_jurisdiction_objection(actor=user, origin=ORIGIN, case_id=case.pk, party_id=None,
                                                 grounds="无管辖权")
    assert obj.party_id == defendant(case).pk
    with pytest.raises(Conflict, match="待裁定"):
        objections.file_jurisdiction_objection(actor=user, origin=ORIGIN, case_id=case.pk, party_id=None,
                                               grounds="无管辖权")


@pytest.mark.django_db
def test_upheld_ruling_records_the_transfer_court_and_reasons(world):
    case = registered_case(world)
    served(world, case)
    obj = objection(world, case)
    with pytest.raises(InvalidInput, match="请选择移送法院"):
        objections.rule_on_objection(actor=world.judge, origin=ORIGIN, objection_id=obj.pk, upheld=True,
                                     reasons="被告住所地在惠农区")
    done = objections.rule_on_objection(actor=world.judge, origin=ORIGIN, objection_id=obj.pk, upheld=True,
                                        reasons="被告住所地在惠农区", transfer_to_id=world.huinong_court.pk)
    assert done.status == ObjectionStatus.UPHELD and done.transfer_to == world.huinong_court
    assert done.ruled_by == world.judge and done.ruling_reasons
    event = case.dispute.events.get(kind="jurisdiction_objection.uphold")
    assert "移送" in event.summary and world.huinong_court.name in event.summary


@pytest.mark.django_db
def test_rejection_needs_reasons_and_a_stale_version_conflicts(world):
    case = registered_case(world)
    served(world, case)
    obj = objection(world, case)
    with pytest.raises(InvalidInput, match="须写明理由"):
        objections.rule_on_objection(actor=world.judge, origin=ORIGIN, objection_id=obj.pk, upheld=False, reasons=" ")
    objections.rule_on_objection(actor=world.judge, origin=ORIGIN, objection_id=obj.pk, upheld=False,
                                 reasons="合同履行地在大武口区", expected_version=obj.version)
    with pytest.raises(Conflict):
        objections.rule_on_objection(actor=world.judge, origin=ORIGIN, objection_id=obj.pk, upheld=False,
                                     reasons="合同履行地在大武口区", expected_version=obj.version)


ROLES = [Role.PARTY, Role.CLERK, Role.JUDGE, Role.LEADER, SYSTEM]


@pytest.mark.django_db
@pytest.mark.parametrize("state", OBJECTION.states.values)
def test_every_objection_edge_from(world, state):
    case = registered_case(world)
    served(world, case)
    obj = objection(world, case)
    actors = {Role.PARTY: make_user(Role.PARTY, party=defendant(case), username="defendant1"),
              Role.CLERK: world.clerk, Role.JUDGE: world.judge, Role.LEADER: world.leader, SYSTEM: None}
    payload = {"reasons": "理由", "transfer_to": world.huinong_court}
    checked = lifecycles.walk_state(OBJECTION, obj, state, actors, payload=payload)
    assert checked == len(OBJECTION.actions()) * len(ROLES)


def _objection_in_new_case(world, now, when, party=None):
    now.set(when)
    case = registered_case(world)
    if party is not None:  # arranging: the same defendant in every dispute
        case.dispute.dispute_parties.filter(role=PartyRole.RESPONDENT).update(party=party)
    served(world, case, on=when.date())
    return case, objection(world, case)


@pytest.mark.django_db
def test_abuse_signal_for_objections_in_three_cases_within_twelve_months(world, now):
    first, _ = _objection_in_new_case(world, now, datetime(2024, 9, 2, 10, tzinfo=CHINA))
    party = defendant(first)
    second, _ = _objection_in_new_case(world, now, datetime(2025, 1, 6, 10, tzinfo=CHINA), party)
    assert objections.abuse_signals(actor=world.judge, case=second) == []
    third, _ = _objection_in_new_case(world, now, datetime(2025, 6, 3, 10, tzinfo=CHINA), party)
    signals = objections.abuse_signals(actor=world.judge, case=third)
    assert len(signals) == 1
    assert "3 件案件" in signals[0].reasons[0]
    assert [e.filed_on for e in signals[0].evidence] == [date(2024, 9, 2), date(2025, 1, 6), date(2025, 6, 3)]
    assert "第十三条" in signals[0].citation
    assert objections.abuse_signals(actor=world.clerk, case=third) == []  # shown to the judge


@pytest.mark.django_db
def test_abuse_signal_window_excludes_older_objections(world, now):
    first, _ = _objection_in_new_case(world, now, datetime(2024, 6, 2, 10, tzinfo=CHINA))
    party = defendant(first)
    _objection_in_new_case(world, now, datetime(2025, 1, 6, 10, tzinfo=CHINA), party)
    third, _ = _objection_in_new_case(world, now, datetime(2025, 6, 3, 10, tzinfo=CHINA), party)
    assert objections.abuse_signals(actor=world.judge, case=third) == []
    # One more inside the window makes three again.
    fourth, _ = _objection_in_new_case(world, now, datetime(2025, 6, 4, 10, tzinfo=CHINA), party)
    assert len(objections.abuse_signals(actor=world.judge, case=fourth)[0].evidence) == 3


@pytest.mark.django_db
def test_abuse_signal_for_a_second_objection_after_rejection_in_the_same_case(world):
    case = registered_case(world)
    served(world, case)
    obj = objection(world, case)
    objections.rule_on_objection(actor=world.judge, origin=ORIGIN, objection_id=obj.pk, upheld=False,
                                 reasons="合同履行地在大武口区")
    assert objections.abuse_signals(actor=world.judge, case=case) == []
    objection(world, case, grounds="再次主张无管辖权")
    signals = objections.abuse_signals(actor=world.judge, case=case)
    assert signals and "驳回后再次提出" in signals[0].reasons[-1]
    assert [e.outcome for e in signals[0].evidence] == ["异议不成立，裁定驳回", "待裁定"]
