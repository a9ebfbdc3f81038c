"""Batch import through the upload page and the worker (database queue and RQ); job pages; own jobs only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.models import AuditEntry
from suyuan.disputes.choices import ImportStatus
from suyuan.disputes.models import Dispute, ImportJob
from suyuan.disputes.tasks import run_import_job
from suyuan.testing import worker
from suyuan.testing.imports import bank_row, csv_bytes, make_bank, xlsx_bytes

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def bank(world):
    return make_bank()


@pytest.fixture
def run_worker(monkeypatch, task_backend):
    """Run the worker in this process (``db_worker --batch``, or a burst of RQ's worker on Redis).

    The tests are transactional, so the upload's on-commit enqueue (RQ) happens as in production.
    The db worker calls ``close_old_connections`` between tasks; the test's connection is kept.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return worker.run_worker


def _upload(client, content: bytes, name: str = "claims.csv", content_type: str = "text/csv"):
    return client.post(reverse("disputes:import"), {"file": SimpleUploadedFile(name, content, content_type)})


@pytest.mark.django_db(transaction=True)
def test_upload_is_imported_by_the_worker_and_reported(client, world, bank, run_worker):
    bad_id = "640202199001010011"
    rows = [bank_row(bank, 1), bank_row(bank, 2), bank_row(bank, 3, 被申请人证件号码=bad_id)]
    client.force_login(bank)
    page = client.get(reverse("disputes:import"))
    assert page.status_code == 200
    assert "批量导入纠纷" in page.content.decode()

    response = _upload(client, csv_bytes(rows, encoding="gb18030"))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("disputes:import_job", args=[job.pk])
    assert job.status == ImportStatus.QUEUED
    assert job.file.name  # stored for the worker under a random name
    assert "claims" not in job.file.name
    assert worker.task_statuses() == ["READY"]
    waiting = client.get(response.url).content.decode()
    assert "<progress" in waiting
    assert reverse("disputes:import_status", args=[job.pk]) in waiting

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.total, job.created, job.duplicates, job.rejected) == (ImportStatus.DONE, 3, 2, 0, 1)
    assert set(worker.task_statuses()) == {"SUCCESSFUL"}  # the import and the checks it queued
    assert Dispute.objects.filter(import_job=job).count() == 2
    audit = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert audit.detail["via"] == "worker"
    assert audit.ip == "127.0.0.1"  # the uploader's address travels with the task

    status = client.get(reverse("disputes:import_status", args=[job.pk])).json()
    assert {k: status[k] for k in ("status", "total", "processed", "created", "duplicates", "rejected")} == {
        "status": "done",
        "total": 3,
        "processed": 3,
        "created": 2,
        "duplicates": 0,
        "rejected": 1,
    }
    done = client.get(reverse("disputes:import_job", args=[job.pk])).content.decode()
    assert reverse("disputes:import_report", args=[job.pk, "xlsx"]) in done
    assert "<td>4</td>" in done  # the rejected row, by its spreadsheet number, with its reason
    assert "校验位" in done
    assert bad_id not in done

    report = client.get(reverse("disputes:import_report", args=[job.pk, "csv"]))
    text = report.content.decode("utf-8-sig")
    assert report["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "行号,错误原因"
    assert text.splitlines()[1].startswith("4,")
    assert "校验位" in text
    assert bad_id not in text
    xlsx = client.get(reverse("disputes:import_report", args=[job.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=1).value == 4
    assert bad_id not in str(list(sheet.values))


@pytest.mark.django_db(transaction=True)
def test_a_job_run_twice_by_the_worker_is_not_imported_twice(client, world, bank, run_worker):
    client.force_login(bank)
    content = xlsx_bytes([bank_row(bank, 1)])
    _upload(client, content, name="claims.xlsx", content_type=XLSX)
    run_worker()
    job = ImportJob.objects.get()
    assert job.created == 1
    # At-least-once delivery may hand the same job over again.
    run_import_job.enqueue(job.pk)
    run_worker()
    job.refresh_from_db()
    assert (job.created, job.duplicates) == (1, 0)
    assert Dispute.objects.count() == 1
    # Uploading the same file again is a new job whose rows are all duplicates.
    _upload(client, content, name="claims.xlsx", content_type=XLSX)
    run_worker()
    latest = ImportJob.objects.order_by("-pk").first()
    assert (latest.created, latest.duplicates) == (0, 1)


def test_users_see_only_their_own_jobs(client, world, bank):
    other_bank = make_bank("另一家银行股份有限公司", username="bank2")
    client.force_login(bank)
    _upload(client, csv_bytes([bank_row(bank, 1)]))
    job = ImportJob.objects.get()

    client.force_login(other_bank)
    for url in (
        reverse("disputes:import_job", args=[job.pk]),
        reverse("disputes:import_report", args=[job.pk, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "未找到" in response.content.decode()
    status = client.get(reverse("disputes:import_status", args=[job.pk]))
    assert status.status_code == 404
    assert job.original_name not in client.get(reverse("disputes:import")).content.decode()

    client.force_login(world.clerk)
    assert client.get(reverse("disputes:import_job", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("claims.txt", b"a,b\n", "不支持的文件类型"),
        ("claims.xls", b"\xd0\xcf\x11\xe0 old excel", "旧版 Excel"),
        ("claims.xlsx", "机构内部编号,纠纷类别\n".encode(), "不是 XLSX"),
        ("claims.csv", b"PK\x03\x04 a zip renamed", "不是文本格式"),
        ("claims.csv", b"", "文件为空"),
    ],
)
def test_upload_checks_extension_and_content(client, world, bank, name, content, reason):
    client.force_login(bank)
    response = _upload(client, content, name=name)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not ImportJob.objects.exists()
    assert worker.task_statuses() == []


def test_upload_size_limit(client, world, bank, settings):
    settings.SUYUAN_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(bank)
    response = _upload(client, csv_bytes([bank_row(bank, n) for n in range(1, 5)]) + b" " * (1024 * 1024))
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_without_a_file(client, world, bank):
    client.force_login(bank)
    response = client.post(reverse("disputes:import"), {})
    assert response.status_code == 400
    assert "请选择要导入的文件" in response.content.decode()


@pytest.mark.parametrize("role", ["grid_worker", "party_user", "judge", "auditor"])
def test_roles_that_cannot_import_get_a_403_page(client, world, role):
    client.force_login(getattr(world, role))
    response = client.get(reverse("disputes:import"))
    assert response.status_code == 403
    assert "批量导入" in response.content.decode()
    response = _upload(client, b"x,y\n")
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_templates_are_downloadable(client, world):
    client.force_login(world.clerk)
    csv_file = client.get(reverse("disputes:import_template", args=["csv"]))
    assert csv_file.status_code == 200
    assert b"".join(csv_file.streaming_content).decode("utf-8-sig").startswith("机构内部编号,纠纷类别")
    xlsx_file = client.get(reverse("disputes:import_template", args=["xlsx"]))
    assert xlsx_file["Content-Type"] == XLSX
    assert "attachment" in xlsx_file["Content-Disposition"]
    assert load_workbook(io.BytesIO(b"".join(xlsx_file.streaming_content))).worksheets[0]["A1"].value == "机构内部编号"
    assert client.get(reverse("disputes:import_template", args=["pdf"])).status_code == 404


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(reverse("disputes:import"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
