"""Risk signals with their sources, groups growing as a batch arrives, demonstration push,
similar-case search with reasons, similar_eval's last line, and scope."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from suyuan.common.errors import NotFound
from suyuan.disputes.models import DisputeEvent
from suyuan.integrity import risk, selectors, services
from suyuan.integrity.choices import IntegrityEvent
from suyuan.integrity.models import DisputeGroup
from suyuan.integrity.tasks import process_arrival

from .conftest import ORIGIN, company, person, record

pytestmark = pytest.mark.django_db


def test_close_relation_large_cash_loan_and_admission_raise_an_explained_level(world):
    husband = person("马国强", phone="13912345678", address="宁夏石嘴山市大武口区朝阳西街8号")
    wife = person("马丽", phone="13912345678", address="宁夏石嘴山市大武口区朝阳西街8号")
    d = record(world, husband, wife, amount="800000",
               description="申请人与被申请人系亲属，2024年申请人以现金方式向被申请人出借800000元，"
                           "被申请人对借款事实无异议，同意偿还。",
               claims=[("请求被申请人归还借款800000元", "800000")])
    report = risk.assess(d)
    codes = {s.code for s in report.signals}
    assert {"close_relation", "claim_vs_means", "no_real_contest", "high_risk_cause"} <= codes
    assert report.level == "high"
    relation = next(s for s in report.signals if s.code == "close_relation")
    assert "联系电话相同" in relation.explanation and "法发〔2016〕13号" in relation.source
    assert "不作为不予登记" in report.notice


def test_an_ordinary_neighbour_quarrel_shows_no_signal(world):
    d = record(world, person("王芳"), person("赵强", phone="13800000009"), category="neighbour",
               description="双方系邻居，被申请人在楼道长期堆放杂物，影响通行，经社区劝解未果。",
               claims=[("请求被申请人清理楼道杂物", None)])
    report = risk.assess(d)
    assert report.signals == [] and report.level == "low"


def test_a_serial_lender_is_flagged(world):
    lender = person("钱放贷")
    for i in range(3):
        d = record(world, lender, person(f"借款人{i}", phone=f"1380000001{i}"), amount="20000",
                   description=f"2025年{i + 1}月被申请人向申请人借款20000元，约定3个月内归还，至今未还。",
                   claims=[("请求被申请人归还借款20000元", "20000")])
    serial = next(s for s in risk.assess(d).signals if s.code == "serial_claimant")
    assert "3 件" in serial.explanation


def wage_claim(world, builder, i):  # type: ignore[no-untyped-def]
    return record(world, person(f"工人{i}", phone=f"1370000{i:04d}"), builder, category="labour", amount="18000",
                  description=f"申请人自2025年{i % 12 + 1}月起在被申请人处从事建筑工地钢筋工作，"
                              "被申请人拖欠工资共计18000元，经多次催要未果。",
                  claims=[("请求被申请人支付拖欠的工资18000元", "18000")])


def test_a_group_forms_and_grows_as_a_batch_arrives_and_the_outcome_reaches_parallel_disputes(world):
    builder = company("平罗县恒泰建筑工程有限公司")
    first = [wage_claim(world, builder, i) for i in range(2)]
    for d in first:
        process_arrival.call(d.pk)
    assert not DisputeGroup.objects.exists()  # two are not yet a group
    third = wage_claim(world, builder, 2)
    assert process_arrival.call(third.pk)["group"] is not None
    group = DisputeGroup.objects.get()
    assert group.members.count() == 3
    more = [wage_claim(world, builder, i) for i in range(3, 6)]
    for d in more:
        process_arrival.call(d.pk)
    assert group.members.count() == 6 and DisputeGroup.objects.count() == 1
    numbers = [d.number for d in [*first, third, *more]]
    services.mark_demonstration(actor=world.clerk, origin=ORIGIN, group_id=group.pk, number=numbers[0])
    assert services.link_parallel(actor=world.clerk, origin=ORIGIN, group_id=group.pk, numbers=numbers[1:4]) == 3
    pushed = services.push_demonstration_outcome(
        actor=world.clerk, origin=ORIGIN, group_id=group.pk,
        outcome="示范案件调解结果：被申请人按实际出勤天数于30日内一次性支付拖欠工资。",
    )
    assert pushed == 3
    events = DisputeEvent.objects.filter(kind=IntegrityEvent.DEMONSTRATION_OUTCOME)
    assert sorted(e.dispute.number for e in events) == sorted(numbers[1:4])
    assert all(numbers[0] in e.summary for e in events)
    with pytest.raises(NotFound):
        services.push_demonstration_outcome(actor=world.other_clerk, origin=ORIGIN, group_id=group.pk,
                                            outcome="另一法院不能推送本组结果的处理意见。")


def test_similar_search_returns_earlier_disputes_with_reasons_and_survives_a_restart(world):
    builder = company("平罗县恒泰建筑工程有限公司")
    wages = [wage_claim(world, builder, i) for i in range(3)]
    fence = record(world, person("王芳"), person("赵强", phone="13800000009"), category="neighbour",
                   description="双方系邻居，被申请人在两家之间砌墙占用申请人院落通道，多次协商未果。",
                   claims=[("请求被申请人拆除围墙、恢复通道", None)])
    out = StringIO()
    call_command("integrity_index", stdout=out)  # bulk catch-up: all four straight into the graph
    assert "补录 4 件，共 4 件" in out.getvalue()
    assert services.sync_index() == 0  # nothing left to add
    from suyuan.integrity import index as index_module

    index_module._shared.clear()  # a new process: the index comes back from its file
    query, results = selectors.similar_cases(world.judge, number=wages[2].number)
    assert query == wages[2]
    assert {r.dispute for r in results[:2]} == set(wages[:2])
    assert fence not in [r.dispute for r in results[:2]]
    assert any("拖欠工资" in r for r in results[0].reasons[0:1]) and "同为劳动争议" in results[0].reasons
    _, free = selectors.similar_cases(world.judge, text="邻居砌墙占用院落通道")
    assert free[0].dispute == fence
    _, other_court = selectors.similar_cases(world.other_clerk, text="邻居砌墙占用院落通道")
    assert other_court == []


def test_similar_eval_last_line(tmp_path):
    rows = [
        {"A": "被告向原告借款十万元，约定月利率2%，逾期未还。", "B": "被告借款十万元，约定月利率2%，到期未还款。",
         "C": "原告与被告签订房屋租赁合同，被告拖欠租金。", "label": "B"},
        {"A": "保证人对借款承担连带保证责任。", "B": "双方离婚后就子女抚养发生争议。",
         "C": "借款由保证人提供连带责任保证，借款人未还款。", "label": "C"},
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = StringIO()
    call_command("similar_eval", data=str(path), stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    n, acc = last.split()
    assert n == "n=2" and acc.startswith("accuracy=") and 0.0 <= float(acc.split("=")[1]) <= 1.0


def test_pages_are_scoped_to_the_court(client, world):
    zhang, li = person("张建国"), person("李明")
    record(world, zhang, li, description="2025年3月被申请人向申请人借款50000元，至今未还。",
           claims=[("请求被申请人归还借款50000元", "50000")], amount="50000")
    later = record(world, zhang, li, description="2025年3月被申请人向申请人借款50000元，至今未还。",
                   claims=[("请求被申请人归还借款50000元", "50000")], amount="50000")
    client.force_login(world.clerk)
    page = client.get(reverse("integrity:check", args=[later.number]))
    assert page.status_code == 200 and "疑似重复起诉" in page.content.decode()
    assert client.get(reverse("integrity:groups")).status_code == 200
    assert client.get(reverse("integrity:similar"), {"text": "借款"}).status_code == 200
    client.force_login(world.other_clerk)
    assert client.get(reverse("integrity:check", args=[later.number])).status_code == 404
    client.force_login(world.clerk)
    response = client.post(reverse("integrity:decide", args=[later.number]),
                           {"earlier": "SY-0000-000000", "decision": "duplicate"})
    assert response.status_code == 404
