"""Retention: an import's uploaded file and old Idempotency-Key records are deleted on schedule."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from suyuan.common.models import IdempotencyRecord
from suyuan.disputes import retention
from suyuan.disputes.importing import create_import_job
from suyuan.disputes.models import ImportJob
from suyuan.testing.imports import bank_row, csv_bytes, make_bank

pytestmark = pytest.mark.django_db


def test_old_import_files_and_idempotency_records_are_purged_and_nothing_else(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    bank = make_bank()
    content = csv_bytes([bank_row(bank, 1)])
    old, recent, running = (create_import_job(actor=bank, name=f"{n}.csv", content=content, store=True)
                            for n in ("old", "recent", "running"))
    now = timezone.now()
    ImportJob.objects.filter(pk=old.pk).update(status="done", finished_at=now - timedelta(days=31))
    ImportJob.objects.filter(pk=recent.pk).update(status="done", finished_at=now - timedelta(days=29))
    old_name = old.file.name
    assert old.file.storage.exists(old_name)
    stale = IdempotencyRecord.objects.create(user=bank, key="a", endpoint="/api/v1/disputes/", request_hash="x",
                                             status_code=201, response_body={"number": "SY-2026-000001"})
    fresh = IdempotencyRecord.objects.create(user=bank, key="b", endpoint="/api/v1/disputes/", request_hash="y",
                                             status_code=201, response_body={})
    IdempotencyRecord.objects.filter(pk=stale.pk).update(created_at=now - timedelta(hours=25))

    out = StringIO()
    call_command("sweep", stdout=out)
    assert "purged_import_files=1 purged_idempotency_records=1" in out.getvalue()
    old.refresh_from_db()
    assert old.file.name == "" and not old.file.storage.exists(old_name)
    assert old.sha256 and old.status == "done"  # the job's record stays, without the personal data
    assert ImportJob.objects.get(pk=recent.pk).file.name and ImportJob.objects.get(pk=running.pk).file.name
    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert retention.purge() == retention.Purged(0, 0)  # again: nothing left to do
