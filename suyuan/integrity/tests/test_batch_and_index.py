"""A bank's card-debt batch forms a group around the filing institution; the similar-case index
keeps one graph vector per distinct text and expands ties into every dispute sharing it."""

from __future__ import annotations

import numpy as np
import pytest

from suyuan.integrity.index import DistinctVectors, VectorIndex
from suyuan.integrity.models import DisputeGroup
from suyuan.integrity.tasks import process_arrival
from suyuan.integrity.text import vector

from .conftest import company, person, record


def card_debt(world, bank, i):  # type: ignore[no-untyped-def]
    return record(world, bank, person(f"持卡人{i}", phone=f"1390000{i:04d}"), category="finance", amount="12000",
                  description="被申请人申领申请人信用卡后透支消费，逾期未还，经多次催收无果。",
                  claims=[("请求判令被申请人偿还透支本金12000元", "12000")])


@pytest.mark.django_db
def test_a_bank_batch_is_grouped_around_the_bank_but_a_serial_private_lender_is_not(world):
    bank = company("石嘴山示范银行股份有限公司")
    disputes, results = [], []
    for i in range(4):  # arriving one by one
        disputes.append(card_debt(world, bank, i))
        results.append(process_arrival.call(disputes[-1].pk))
    assert results[0]["group"] is None and results[1]["group"] is None  # one or two are not yet a group
    assert results[2]["group"] == results[3]["group"] is not None
    group = DisputeGroup.objects.get()
    assert (group.side, group.party.name, group.members.count()) == ("applicant", bank.name, 4)
    assert "成批申请" in disputes[0].events.get(kind="integrity.group_joined").summary

    lender = person("钱放贷")
    for i in range(3):
        d = record(world, lender, person(f"借款人{i}", phone=f"1380000001{i}"), amount="20000",
                   description="被申请人向申请人借款20000元，至今未还。",
                   claims=[("请求被申请人归还借款20000元", "20000")])
        process_arrival.call(d.pk)
    assert DisputeGroup.objects.count() == 1


def test_identical_vectors_share_one_graph_node_and_are_all_found(tmp_path):
    same = vector("被申请人申领申请人信用卡后透支消费，逾期未还，经多次催收无果。")
    other = vector("双方系邻居，被申请人在两家之间砌墙占用申请人院落通道，多次协商未果。")
    index = DistinctVectors()
    index.add([1, 2, 3, 4], np.stack([same, same, other, same]))
    assert (len(index), index.distinct, len(index.graph)) == (4, 2, 2)
    hits = index.search(same, 3)
    assert hits.keys.tolist() == [4, 2, 1]  # the most recent first among equals
    assert np.allclose(hits.similarities, 1.0, atol=1e-2)
    assert index.search(same, 10).keys.tolist() == [4, 2, 1, 3]

    index.add([3], same[None, :])  # dispute 3 re-worded: its old vector leaves the graph
    assert (index.distinct, len(index.graph)) == (1, 1)
    assert sorted(index.search(same, 10).keys.tolist()) == [1, 2, 3, 4]

    disk = VectorIndex(tmp_path)
    disk.add([10, 11], np.stack([same, other]))
    disk.add([12], same[None, :])
    again = VectorIndex(tmp_path)  # another process, after a restart
    assert len(again) == 3 and again.missing([10, 11, 12, 13]) == [13]
    assert again.search(same, 2).keys.tolist() == [12, 10]


def test_arrivals_go_to_the_delta_and_are_merged_into_the_graph_in_batches(tmp_path):
    texts = [
        "被申请人申领申请人信用卡后透支消费，逾期未还，经多次催收无果。",
        "双方系邻居，被申请人在两家之间砌墙占用申请人院落通道，多次协商未果。",
        "申请人在被申请人工地务工三个月，被申请人拖欠工资至今未付。",
        "被申请人驾驶车辆与申请人发生碰撞，致申请人受伤住院。",
    ]
    vecs = np.stack([vector(t) for t in texts])
    writer = VectorIndex(tmp_path, merge_at=3)
    web = VectorIndex(tmp_path)  # a reader in another process: same files, its own cache
    writer.add([1], vecs[0:1])
    writer.add([2], vecs[1:2])
    assert not writer.path.exists()  # nothing merged yet: only the small delta file was written
    assert web.search(vecs[1], 1).keys.tolist() == [2] and len(web) == 2

    writer.add([3], vecs[2:3])  # the third arrival reaches merge_at: the delta goes into the graph
    snapshot = web.reader()
    assert snapshot is not None and snapshot.graph is not None
    assert (len(snapshot.graph), len(snapshot.delta)) == (3, 0)

    writer.add([4], vecs[3:4])
    writer.add([1], vecs[3:4])  # dispute 1 re-worded after the merge: the delta's words win
    hits = web.search(vecs[3], 2)
    assert hits.keys.tolist() == [1, 4]  # both identical to the query, the later edit first
    assert 1 not in web.search(vecs[0], 4).keys.tolist()[:1]  # the old words no longer find it
    assert len(web) == 4 and web.missing([1, 2, 3, 4, 5]) == [5]

    restarted = VectorIndex(tmp_path)
    assert restarted.merge() == 4
    snapshot = restarted.reader()
    assert snapshot is not None and snapshot.graph is not None
    assert (len(snapshot.graph), len(snapshot.delta)) == (4, 0)
    assert restarted.search(vecs[3], 2).keys.tolist() == [1, 4]


def test_an_index_built_offline_is_installed_whole_and_replaces_the_delta(tmp_path):
    same = vector("被申请人申领申请人信用卡后透支消费，逾期未还，经多次催收无果。")
    other = vector("双方系邻居，被申请人在两家之间砌墙占用申请人院落通道，多次协商未果。")
    disk = VectorIndex(tmp_path)
    disk.add([1], other[None, :])  # in the delta
    built = DistinctVectors()
    built.add([5, 6, 7], np.stack([same, other, same]))
    assert disk.install(built) == 3
    web = VectorIndex(tmp_path)
    assert web.search(same, 2).keys.tolist() == [7, 5]
    assert web.missing([1, 5, 6, 7]) == [1]  # the delta went with the old index: sync adds it back


@pytest.mark.django_db
def test_a_batch_import_is_checked_in_one_task_after_the_job(world, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from suyuan.accounts.context import COMMAND
    from suyuan.disputes.importing import create_import_job, run_import
    from suyuan.integrity.index import shared_index
    from suyuan.integrity.tasks import process_import
    from suyuan.testing.imports import bank_row, csv_bytes, make_bank

    bank = make_bank()
    content = csv_bytes([bank_row(bank, n) for n in range(4)])
    job = create_import_job(actor=bank, name="cards.csv", content=content, store=False)
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(actor=bank, origin=COMMAND, job=job, content=content)
    paths = [r.task_path for r in DBTaskResult.objects.all()]
    assert sum(p.endswith("integrity.tasks.process_import") for p in paths) == 1
    assert not any(p.endswith("integrity.tasks.process_arrival") for p in paths)

    result = process_import.call(job.pk)
    group = DisputeGroup.objects.get()
    assert (result["disputes"], result["groups"], result["indexed"]) == (4, [group.pk], 4)
    assert (group.party.name, group.members.count()) == (bank.party.name, 4)
    assert shared_index().missing(list(job.disputes.values_list("pk", flat=True))) == []
