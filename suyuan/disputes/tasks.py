"""Background work of the disputes app (django.tasks; the database backend runs it in ``db_worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.tasks import task

from suyuan.accounts.context import Origin
from suyuan.common.errors import DomainError

from .choices import ImportStatus
from .importing import run_import
from .models import ImportJob

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: int, ip: str = "") -> dict[str, Any]:
    """Run an uploaded batch import. Safe to run twice: recorded rows come back as duplicates."""
    job = ImportJob.objects.select_related("uploaded_by", "uploaded_by__party").filter(pk=job_id).first()
    if job is None or job.status == ImportStatus.DONE:
        # At-least-once delivery: a finished job is not imported again.
        return {"job": job_id, "skipped": True}
    origin = Origin(via="worker", ip=ip)
    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        run_import(actor=job.uploaded_by, origin=origin, job=job, content=content)
    except DomainError:
        pass  # The job is marked failed with the reason the user sees on the job page.
    except Exception:
        logger.exception("Import job %s failed", job_id)
        with transaction.atomic():
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportStatus.FAILED,
                message="导入过程中发生系统错误，请联系管理员。已登记的行不会重复登记，可重新上传同一文件。",
            )
        raise
    job.refresh_from_db()
    return {
        "job": job_id,
        "status": job.status,
        "created": job.created,
        "duplicates": job.duplicates,
        "rejected": job.rejected,
    }


@task()
def sweep_periods() -> dict[str, Any]:
    """The periodic sweep of legal periods and retention (``manage.py periodic``), one runner at a time."""
    from suyuan.common.locks import single_runner

    from . import retention
    from .clocks import sweep

    with single_runner("disputes.sweep") as mine:
        if not mine:
            return {"skipped": True}
        report = sweep()
        purged = retention.purge()
    return {"reminded": report.reminded, "overdue": report.overdue, "escalated": report.escalated,
            "failed": len(report.failed), "purged_import_files": purged.import_files,
            "purged_idempotency_records": purged.idempotency_records, **report.steps}
