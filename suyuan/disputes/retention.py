"""Retention: personal data kept only as long as its purpose needs (product rules, in settings).

* An uploaded import file (every row's names, ID numbers and phones) is needed until the worker
  has read it; the job keeps its counts, its per-row reasons (row numbers, no personal data) and
  the file's SHA-256. The file is deleted ``SUYUAN_IMPORT_FILE_RETENTION_DAYS`` after the job ends.
* An ``Idempotency-Key`` record (the stored response, which may quote a party's particulars) is
  needed for client retries; it is deleted after ``SUYUAN_IDEMPOTENCY_RETENTION_HOURS``.

Run by ``manage.py sweep`` (every minute in the demo); safe to run at any time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from suyuan.common.models import IdempotencyRecord

from .models import ImportJob


@dataclass(frozen=True)
class Purged:
    import_files: int
    idempotency_records: int


def purge(now: datetime | None = None) -> Purged:
    now = now or timezone.now()
    files = 0
    cutoff = now - timedelta(days=settings.SUYUAN_IMPORT_FILE_RETENTION_DAYS)
    for job in ImportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)  # the storage first: a crash in between leaves a name, not a file
        ImportJob.objects.filter(pk=job.pk).update(file="")
        files += 1
    keys_before = now - timedelta(hours=settings.SUYUAN_IDEMPOTENCY_RETENTION_HOURS)
    records, _ = IdempotencyRecord.objects.filter(created_at__lt=keys_before).delete()
    return Purged(files, records)
