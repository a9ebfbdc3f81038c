"""Uploaded files on the S3-compatible store (several web hosts share it): evidence is stored and
streamed back through the storage API, an import file is read by the worker from the store, and
nothing lands on the local disk."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from suyuan.disputes.choices import ImportStatus
from suyuan.disputes.models import Evidence, ImportJob
from suyuan.testing import s3
from suyuan.testing.imports import bank_row, csv_bytes, make_bank
from suyuan.testing.worker import run_worker

from .test_pages import PDF
from .test_pages import dispute as dispute

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_s3(s3_url):
    with override_settings(STORAGES=s3.storages(s3_url)):
        yield s3_url


def _local_files() -> list[str]:
    return [str(p) for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_evidence_is_stored_in_the_bucket_and_streamed_back(client, world, dispute, on_s3):
    before = set(s3.keys(on_s3))
    local = _local_files()
    client.force_login(world.grid_worker)
    upload = SimpleUploadedFile("借条.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("disputes:evidence_upload", args=[dispute.number]),
                           {"file": upload, "description": "借条原件扫描"})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert set(s3.keys(on_s3)) - before == {evidence.file.name}
    body = s3.client(on_s3).get_object(Bucket=s3.BUCKET, Key=evidence.file.name)["Body"].read()
    assert body == PDF
    assert _local_files() == local  # nothing on this host's disk
    client.force_login(world.clerk)
    download = client.get(reverse("disputes:evidence_download", args=[dispute.number, evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(world.other_clerk)  # scope is checked before the store is asked
    assert client.get(reverse("disputes:evidence_download", args=[dispute.number, evidence.pk])).status_code == 404


def test_the_worker_reads_an_import_file_from_the_bucket(client, world, on_s3, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    bank = make_bank()
    client.force_login(bank)
    content = csv_bytes([bank_row(bank, 1), bank_row(bank, 2)])
    response = client.post(reverse("disputes:import"),
                           {"file": SimpleUploadedFile("claims.csv", content, "text/csv")})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.file.name in s3.keys(on_s3)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportStatus.DONE, 2)
