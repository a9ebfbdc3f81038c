"""The art. 247 check on real-looking pairs: a re-filing, a counter-suit negating a settlement,
the same parties on another matter, and strangers with the same story."""

from __future__ import annotations

import pytest

from suyuan.common.errors import Conflict, NotFound, NotPermitted
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.integrity import services
from suyuan.integrity.choices import FindingStatus, IntegrityEvent
from suyuan.integrity.models import DuplicateFinding
from suyuan.integrity.tasks import process_arrival

from .conftest import ORIGIN, person, record

LOAN = "2025年3月被申请人以资金周转为由向申请人借款50000元，约定6个月内归还，到期后申请人多次催要，被申请人至今未还。"
LOAN_AGAIN = "被申请人于2025年3月因资金周转向申请人借款50000元，约定半年内归还，到期经多次催要，被申请人至今未归还。"
FENCE = "双方系邻居，被申请人在两家之间砌墙占用申请人院落通道，多次协商未果。"

LOAN_CLAIM = {"claims": [("请求被申请人归还借款50000元", "50000")], "amount": "50000"}

pytestmark = pytest.mark.django_db


def test_a_refiled_loan_claim_meets_every_condition_with_its_evidence(world):
    zhang, li = person("张建国"), person("李明")
    first = record(world, zhang, li, description=LOAN, **LOAN_CLAIM)
    later = record(world, zhang, li, description=LOAN_AGAIN,
                   claims=[("请求判令被申请人归还借款本金50000元", "50000")], amount="50000")
    matches = services.duplicate_matches(later)
    assert [m.earlier.number for m in matches] == [first.number]
    m = matches[0]
    assert m.meets_test
    assert [c.code for c in m.conditions] == ["same_parties", "same_subject", "same_claims"]
    assert sorted(m.shared_parties) == ["张建国", "李明"]
    assert m.claim_matches[0].earlier == "请求被申请人归还借款50000元"
    assert m.claim_matches[0].similarity >= 0.8


def test_a_respondent_suing_back_to_undo_a_settlement_is_flagged_as_negating(world):
    zhang, li = person("张建国"), person("李明")
    first = record(world, zhang, li, description=LOAN, **LOAN_CLAIM)
    Dispute.objects.filter(pk=first.pk).update(status="settled")
    later = record(world, li, zhang,
                   description="双方曾就借款50000元达成调解协议，李明认为借款已经归还，调解协议系受胁迫签订。",
                   claims=[("请求确认双方签订的调解协议无效", None)])
    m = services.duplicate_matches(later)[0]
    assert m.roles_reversed
    assert any(cm.negates for cm in m.claim_matches)
    assert {c.code: c.met for c in m.conditions}["same_claims"] is True


def test_same_parties_on_another_matter_is_shown_but_does_not_meet_the_test(world):
    zhang, li = person("张建国"), person("李明")
    record(world, zhang, li, description=LOAN, **LOAN_CLAIM)
    later = record(world, zhang, li, category="neighbour", description=FENCE,
                   claims=[("请求被申请人拆除围墙、恢复通道", None)])
    (m,) = services.duplicate_matches(later)
    assert not m.meets_test
    met = {c.code: c.met for c in m.conditions}
    assert met == {"same_parties": True, "same_subject": False, "same_claims": False}


def test_strangers_with_the_same_story_are_not_compared(world):
    record(world, person("张建国"), person("李明"), description=LOAN,
           **LOAN_CLAIM)
    later = record(world, person("王芳"), person("赵强"), description=LOAN,
                   **LOAN_CLAIM)
    assert services.duplicate_matches(later) == []


def test_intake_task_keeps_the_finding_and_the_clerk_decides_once(world):
    zhang, li = person("张建国"), person("李明")
    first = record(world, zhang, li, description=LOAN, **LOAN_CLAIM)
    later = record(world, zhang, li, description=LOAN_AGAIN, claims=[("请求被申请人归还借款50000元", "50000")],
                   amount="50000")
    result = process_arrival.call(later.pk)
    assert result["duplicates"] == 1
    process_arrival.call(later.pk)  # at-least-once delivery: no second event
    events = DisputeEvent.objects.filter(dispute=later, kind=IntegrityEvent.DUPLICATE_FOUND)
    assert events.count() == 1 and first.number in events.get().summary
    finding = services.decide_duplicate(actor=world.clerk, origin=ORIGIN, number=later.number,
                                        earlier_number=first.number, duplicate=True, note="同一借款再次起诉")
    assert finding.status == FindingStatus.DUPLICATE and finding.evidence["claims"]
    assert DisputeEvent.objects.filter(dispute=later, kind=IntegrityEvent.DUPLICATE_DECIDED).count() == 1
    with pytest.raises(Conflict):
        services.decide_duplicate(actor=world.judge, origin=ORIGIN, number=later.number,
                                  earlier_number=first.number, duplicate=False)
    assert DuplicateFinding.objects.get(pk=finding.pk).decided_by == world.clerk


def test_only_the_disputes_court_decides(world):
    zhang, li = person("张建国"), person("李明")
    first = record(world, zhang, li, description=LOAN, **LOAN_CLAIM)
    later = record(world, zhang, li, description=LOAN, **LOAN_CLAIM)
    with pytest.raises(NotFound):
        services.decide_duplicate(actor=world.other_clerk, origin=ORIGIN, number=later.number,
                                  earlier_number=first.number, duplicate=True)
    with pytest.raises(NotPermitted):
        services.decide_duplicate(actor=world.grid_worker, origin=ORIGIN, number=later.number,
                                  earlier_number=first.number, duplicate=True)
