"""Proposals made as disputes arrive: one task per intake, one pass per batch import."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from suyuan.accounts.context import COMMAND, Origin
from suyuan.common.bulk_rows import COPY_MIN_ROWS
from suyuan.disputes.importing import create_import_job, register_import_finished, run_import
from suyuan.disputes.importing import jobs as import_jobs
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.testing.imports import bank_row, csv_bytes, make_bank
from suyuan.triage.choices import Path, Track
from suyuan.triage.models import TriageProposal
from suyuan.triage.services import propose_triage, store_proposals
from suyuan.triage.tasks import PROPOSALS, propose_for_dispute, propose_for_import, propose_pending

pytestmark = pytest.mark.django_db


def enqueued(task_name: str) -> list[list]:
    return [r.args_kwargs["args"] for r in DBTaskResult.objects.all() if r.task_path.endswith(task_name)]


def test_a_batch_import_enqueues_one_bulk_task_that_proposes_for_every_new_dispute(
    world, django_capture_on_commit_callbacks
):
    bank = make_bank()
    # More than COPY_MIN_ROWS: on PostgreSQL the proposals go in by COPY (common.bulk_rows).
    n = COPY_MIN_ROWS + 2
    rows = [bank_row(bank, i) for i in range(n)]
    rows[1] |= {"纠纷类别": "借贷债务", "标的额": "300000",
                "事实与理由": "被申请人向申请人借款30万元用于经营，约定年利率6%，到期未还。"}
    rows[2] |= {"纠纷类别": "婚姻家庭", "标的额": "", "诉讼请求": "请求判决离婚",
                "事实与理由": "双方婚后感情不和，分居已满两年，子女随申请人生活。"}
    content = csv_bytes(rows)
    job = create_import_job(actor=bank, name="claims.csv", content=content, store=False)
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(actor=bank, origin=COMMAND, job=job, content=content)
    assert job.created == n
    assert enqueued("propose_for_import") == [[job.pk]]
    assert enqueued("propose_for_dispute") == []  # imported rows wait for the job's single pass

    assert propose_for_import.call(job.pk) == {"job": job.pk, "proposed": n}
    proposals = {p.dispute_id: p for p in TriageProposal.objects.all()}
    assert set(proposals) == set(job.disputes.values_list("pk", flat=True))
    for dispute in job.disputes.all():
        stored = proposals[dispute.pk]
        single = propose_triage(dispute)  # the page's path: the bulk path must agree with it
        assert stored.cause == single.causes[0].label
        assert stored.cause_confidence == pytest.approx(single.causes[0].confidence, rel=1e-4)
        assert (stored.track, stored.path, stored.complexity) == (single.track.track, single.track.path,
                                                                   single.track.score)
        assert stored.track in Track.values and stored.path in Path.values
        assert all(c["reasons"] for c in stored.detail["causes"]) and stored.detail["factors"]
    divorce = job.disputes.get(category="family")
    assert "离婚" in proposals[divorce.pk].cause

    assert propose_for_import.call(job.pk)["proposed"] == n  # again: replaced, not duplicated
    assert TriageProposal.objects.count() == n


def test_disputes_recorded_at_intake_wait_in_one_queue_with_one_wakeup(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        disputes = [record_dispute(actor=world.grid_worker, origin=Origin(via="test"),
                                   data=grid_input(world.grid.code)).dispute for _ in range(3)]
    assert enqueued("propose_pending") == [[]]  # one wake-up for the three, not a task each
    assert enqueued("propose_for_dispute") == []
    assert PROPOSALS.waiting() == 3
    assert propose_pending.call() == {"proposed": 3}
    assert PROPOSALS.waiting() == 0
    for dispute in disputes:
        assert TriageProposal.objects.get(dispute=dispute).cause == propose_triage(dispute).causes[0].label
    assert propose_for_dispute.call(disputes[0].pk)["proposed"] == 1  # the one-dispute task still works
    assert store_proposals([disputes[-1].pk + 999]) == 0  # a vanished dispute is skipped, not an error


def test_a_failing_follow_up_does_not_fail_the_import(world, monkeypatch):
    def broken(job):  # type: ignore[no-untyped-def]
        raise RuntimeError("follow-up failed")

    monkeypatch.setattr(import_jobs, "_FINISHED", list(import_jobs._FINISHED))
    register_import_finished(broken)
    bank = make_bank()
    content = csv_bytes([bank_row(bank, 1)])
    job = run_import(actor=bank, origin=COMMAND, job=create_import_job(actor=bank, name="a.csv", content=content,
                                                                        store=False), content=content)
    assert job.status == "done" and Dispute.objects.filter(import_job=job).count() == 1


def test_the_stored_proposal_shows_on_the_dispute_page_for_those_who_triage(client, world):
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="test"),
                             data=grid_input(world.grid.code)).dispute
    url = reverse("disputes:detail", args=[dispute.number])
    client.force_login(world.clerk)
    assert "系统建议尚未生成" in client.get(url).content.decode()
    store_proposals([dispute.pk])
    stored = TriageProposal.objects.get(dispute=dispute)
    page = client.get(url).content.decode()
    assert "繁简分流建议" in page and stored.cause in page and f"{stored.cause_confidence:.2f}" in page
    assert stored.get_track_display() in page and "确认或改判分流建议" in page
    client.force_login(world.grid_worker)  # recorded it, may see it, does not triage
    page = client.get(url)
    assert page.status_code == 200 and "繁简分流建议" not in page.content.decode()


def test_the_command_proposes_for_disputes_without_a_proposal(world):
    from io import StringIO

    from django.core.management import call_command

    first, second = (record_dispute(actor=world.grid_worker, origin=Origin(via="test"),
                                    data=grid_input(world.grid.code, applicant_id=None)).dispute for _ in range(2))
    store_proposals([first.pk])
    out = StringIO()
    call_command("triage_propose", stdout=out)
    assert "生成 1 件" in out.getvalue()
    assert set(TriageProposal.objects.values_list("dispute_id", flat=True)) == {first.pk, second.pk}
    call_command("triage_propose", "--all", stdout=out)
    assert "生成 2 件" in out.getvalue() and TriageProposal.objects.count() == 2


def test_the_bulk_path_reads_the_wage_table_once_per_province_and_day(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suyuan.rules.models import ProvincialWage

    table = ProvincialWage._meta.db_table
    disputes = [record_dispute(actor=world.grid_worker, origin=Origin(via="test"),
                               data=grid_input(world.grid.code, respondent_name=f"李{n}")).dispute for n in range(4)]
    with CaptureQueriesContext(connection) as queries:
        assert store_proposals([d.pk for d in disputes]) == 4
    assert sum(table in q["sql"] for q in queries.captured_queries) == 1
    with CaptureQueriesContext(connection) as queries:
        propose_triage(disputes[0])  # the page, outside a batch, reads it as before
    assert sum(table in q["sql"] for q in queries.captured_queries) == 1


def test_the_workbench_queue_shows_each_proposal_with_confidence_and_reasons_to_clerks(client, world):
    disputes = [record_dispute(actor=world.grid_worker, origin=Origin(via="test"),
                               data=grid_input(world.grid.code, respondent_name=f"王{n}")).dispute for n in range(2)]
    store_proposals([disputes[0].pk])
    stored = TriageProposal.objects.get(dispute=disputes[0])
    client.force_login(world.clerk)
    page = client.get("/disputes/?queue=new").content.decode()
    assert "<th>系统分流建议</th>" in page
    row = page[page.index(disputes[0].number):].split("</tr>")[0]
    assert f"{stored.cause}（置信度 {stored.cause_confidence:.2f}）" in row and stored.get_track_display() in row
    assert stored.detail["causes"][0]["reasons"][0] in row  # the reasons, folded under 理由
    other = page[page.index(disputes[1].number):].split("</tr>")[0]
    assert 'data-label="系统分流建议">—</td>' in other  # not proposed yet
    client.force_login(world.grid_worker)
    assert "系统分流建议" not in client.get("/disputes/?queue=mine").content.decode()
