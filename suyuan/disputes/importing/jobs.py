"""Running an import job (command and worker), starting one from an upload, and its report."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import DomainError, InvalidInput, NotFound, NotPermitted
from suyuan.common.heap import batch_heap
from suyuan.common.masking import scrub
from suyuan.common.spreadsheets import safe_row
from suyuan.common.tasking import enqueue_with_transaction

from ..choices import ImportStatus
from ..models import Dispute, ImportJob
from ..recording_bulk import record_disputes
from ..services import DisputeInput, Recorded, batch_intake, record_dispute
from .rows import ActorRules, check_can_import, flatten_errors, row_to_input, source_ref_for
from .sheet import SheetRow, file_error, read_sheet

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 100  # rows between two progress writes: often enough for a bar, cheap enough for 10k rows
# Rows committed together. Each row still has its own savepoint (a bad row leaves nothing behind),
# but the commit and the on-commit work (task enqueues, the notices wake-up) happen once per chunk.
# Short enough that SQLite's single write lock is not held for long (about a second at most).
CHUNK_ROWS = 100


ProgressCallback = Callable[[ImportJob], None]
ImportFinished = Callable[[ImportJob], None]
_FINISHED: list[ImportFinished] = []


def register_import_finished(hook: ImportFinished) -> None:
    """Let a higher app act on a finished job's disputes in bulk (triage proposes for all of them in
    one pass). Hooks run in the importing process after the job is saved as done; they should only
    enqueue work, and a failing hook is logged, never fails the import."""
    if hook not in _FINISHED:
        _FINISHED.append(hook)


@dataclass
class _Tally:
    processed: int = 0
    created: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def reject(self, number: int, reasons: list[str]) -> None:
        self.rejected += 1
        self.errors.append({"row": number, "reasons": reasons})


def _row_input(actor: User, rules: ActorRules, row: SheetRow) -> DisputeInput | None:
    if row.problem:
        return None
    data = row_to_input(row)
    rules.check(row, data)
    # A row already known to be wrong gets no source_ref: record_dispute would otherwise answer a
    # matching earlier dispute ("duplicate") before it looks at this row's errors.
    if not data.extra_errors:
        data.source_ref = source_ref_for(actor, row)
    return data


def _import_chunk(
    actor: User,
    origin: Origin,
    job: ImportJob,
    rules: ActorRules,
    rows: list[SheetRow],
    tally: _Tally,
    *,
    bulk: bool,
    timings: dict[str, float] | None,
) -> None:
    """Import rows inside the caller's transaction. The references already on file are looked up
    for the whole chunk at once; a row whose reference is on file (or was recorded by an earlier
    row of this chunk) is a duplicate, as record_dispute would answer before validating it.

    The rows go through ``record_disputes`` (validated one by one, written with a few multi-row
    statements) in a savepoint; should another writer have recorded one of them meanwhile (a
    unique index fails), the chunk is rolled back and its rows recorded one by one instead."""
    inputs = [_row_input(actor, rules, row) for row in rows]
    refs = {data.source_ref for data in inputs if data is not None and data.source_ref}
    on_file = set(
        Dispute.objects.filter(source_ref__in=refs).exclude(source_ref="").values_list("source_ref", flat=True)
    )
    if not bulk:
        _import_chunk_by_row(actor, origin, job, rows, inputs, on_file, tally)
        return
    todo = [data for data in inputs if data is not None and data.source_ref not in on_file]
    try:
        with transaction.atomic():
            outcomes = iter(record_disputes(
                actor=actor, origin=origin, inputs=todo, import_job=job, audit=False, timings=timings
            ))
    except IntegrityError:
        logger.info("import job %s: a chunk met a concurrent writer; recording its rows one by one", job.pk)
        _import_chunk_by_row(actor, origin, job, rows, inputs, on_file, tally)
        return
    for row, data in zip(rows, inputs, strict=True):
        tally.processed += 1
        if data is None:
            tally.reject(row.number, [row.problem])
        elif data.source_ref in on_file:
            tally.duplicates += 1
        else:
            _count(tally, row, data, next(outcomes))


def _count(tally: _Tally, row: SheetRow, data: DisputeInput, outcome: Recorded | DomainError) -> None:
    if isinstance(outcome, InvalidInput):
        errors = dict(outcome.errors)
        # This format's own, more specific message wins over the service's generic one.
        errors.update(data.extra_errors)
        tally.reject(row.number, flatten_errors(errors) or [outcome.message])
    elif isinstance(outcome, DomainError):
        tally.reject(row.number, [outcome.message])
    elif outcome.created:
        tally.created += 1
    else:
        tally.duplicates += 1


def _import_chunk_by_row(
    actor: User,
    origin: Origin,
    job: ImportJob,
    rows: list[SheetRow],
    inputs: list[DisputeInput | None],
    on_file: set[str],
    tally: _Tally,
) -> None:
    """The same chunk through ``record_dispute``, row by row, each row in its own savepoint."""
    for row, data in zip(rows, inputs, strict=True):
        if data is not None and data.source_ref in on_file:
            tally.duplicates += 1
        else:
            recorded = _import_row(actor, origin, job, row, data, tally)
            if recorded and data is not None and data.source_ref:
                on_file.add(data.source_ref)  # a rejected row's reference stays open to a later row
        tally.processed += 1


def _import_row(
    actor: User, origin: Origin, job: ImportJob, row: SheetRow, data: DisputeInput | None, tally: _Tally
) -> bool:
    """Record one row; whether its dispute is on file now (created, or found recorded meanwhile)."""
    if data is None:
        tally.reject(row.number, [row.problem])
        return False
    try:
        # A savepoint per row (the caller holds the chunk's transaction): whatever goes wrong in a
        # row (reads included) is undone alone.
        with transaction.atomic():
            recorded: Recorded | DomainError = record_dispute(
                actor=actor, origin=origin, data=data, import_job=job, audit=False, source_ref_checked=True
            )
    except DomainError as exc:
        recorded = exc
    _count(tally, row, data, recorded)
    return isinstance(recorded, Recorded)


def _save_progress(job: ImportJob, tally: _Tally) -> None:
    job.processed, job.created, job.duplicates, job.rejected = (
        tally.processed,
        tally.created,
        tally.duplicates,
        tally.rejected,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        processed=tally.processed, created=tally.created, duplicates=tally.duplicates, rejected=tally.rejected
    )


def _finish(actor: User, origin: Origin, job: ImportJob, *, status: str, message: str) -> None:
    job.status = status
    job.message = message[:500]
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(
            update_fields=[
                "status",
                "message",
                "finished_at",
                "total",
                "processed",
                "created",
                "duplicates",
                "rejected",
                "errors",
            ]
        )
        # The one audit entry of the job: counts only (no row content, so no personal data).
        record_audit(
            actor=actor,
            action=AuditAction.IMPORT,
            origin=origin,
            target_type="import_job",
            target_id=job.pk,
            detail={
                "status": status,
                "total": job.total,
                "created": job.created,
                "duplicates": job.duplicates,
                "rejected": job.rejected,
                "sha256": job.sha256,
            },
        )


def run_import(
    *,
    actor: User,
    origin: Origin,
    job: ImportJob,
    content: bytes,
    every: int = PROGRESS_EVERY,
    on_progress: ProgressCallback | None = None,
    bulk: bool = True,
    timings: dict[str, float] | None = None,
) -> ImportJob:
    """Import every row of ``content`` into ``job``; write progress every ``every`` rows.

    ``bulk=False`` records every row through ``record_dispute`` (the reference the bulk path is
    tested against); ``timings`` accumulates the bulk path's seconds checking and writing.

    Rows are independent: a bad row is reported and the rest go in. An unreadable file or a wrong
    header fails the whole job (``InvalidInput``, after the job is marked failed and audited).
    Running a job again is harmless: rows already recorded count as duplicates.
    """
    try:
        check_can_import(actor)
    except NotPermitted as exc:
        # The account may have changed between the upload and the worker picking the job up.
        _finish(actor, origin, job, status=ImportStatus.FAILED, message=exc.message)
        raise
    job.status = ImportStatus.RUNNING
    job.errors, job.message = [], ""
    job.total = job.processed = job.created = job.duplicates = job.rejected = 0
    job.save(update_fields=["status", "errors", "message", "total", "processed", "created", "duplicates", "rejected"])
    try:
        rows = read_sheet(content, job.original_name)
    except InvalidInput as exc:
        _finish(actor, origin, job, status=ImportStatus.FAILED, message=exc.message)
        raise
    job.total = len(rows)
    ImportJob.objects.filter(pk=job.pk).update(total=job.total)
    rules = ActorRules(actor)
    tally = _Tally()
    every = max(1, every)
    start = 0
    # Look-ups that are the same for every row (the place's court, the institution itself) are
    # remembered for this job only; the collector leaves the process's older objects alone.
    with batch_intake(), batch_heap():
        while start < len(rows):
            # A chunk ends at the next progress point or after CHUNK_ROWS rows, whichever is first.
            stop = min(len(rows), (start // every + 1) * every, start + CHUNK_ROWS)
            progress_due = stop % every == 0 and stop < job.total
            with transaction.atomic():
                _import_chunk(actor, origin, job, rules, rows[start:stop], tally, bulk=bulk, timings=timings)
                if progress_due:
                    # In the chunk's transaction: the counts a reader sees match the rows committed.
                    _save_progress(job, tally)
            if progress_due and on_progress is not None:
                on_progress(job)
            start = stop
    _save_progress(job, tally)
    job.errors = tally.errors
    message = f"共 {job.total} 行：新登记 {tally.created} 件，重复 {tally.duplicates} 行，退回 {tally.rejected} 行。"
    _finish(actor, origin, job, status=ImportStatus.DONE, message=message)
    for hook in _FINISHED:
        try:
            hook(job)
        except Exception:  # the rows are in: a follow-up's failure must not turn the job into a failure
            logger.exception("import-finished hook %s failed for job %s", getattr(hook, "__name__", hook), job.pk)
    if on_progress is not None:
        on_progress(job)
    return job


def create_import_job(*, actor: User, name: str, content: bytes, store: bool) -> ImportJob:
    """A queued job for ``content``; the web stores the file for the worker, the command does not."""
    check_can_import(actor)
    job = ImportJob(
        uploaded_by=actor,
        original_name=name[-200:],
        sha256=hashlib.sha256(content).hexdigest(),
        status=ImportStatus.QUEUED,
    )
    if store:
        extension = name.rsplit(".", 1)[-1].lower()
        # A random stored name: the user's file name is kept in ``original_name`` only.
        job.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    job.save()
    return job


# ---------------------------------------------------------------------------------------------
# The upload page's entry point
# ---------------------------------------------------------------------------------------------

ACCEPTED_EXTENSIONS = ("xlsx", "csv")
# Headers of files that are certainly not CSV text: ZIP (xlsx, docx), OLE (xls, doc), PDF, images.
BINARY_MAGICS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def check_import_file(name: str, size: int, head: bytes) -> str:
    """Return the extension, or raise ``InvalidInput`` with a Chinese reason."""
    limit = settings.SUYUAN_IMPORT_MAX_BYTES
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xls":
        raise file_error("暂不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传。")
    if extension not in ACCEPTED_EXTENSIONS:
        raise file_error("不支持的文件类型，请上传按模板填写的 XLSX 或 CSV 文件。")
    if size <= 0:
        raise file_error("文件为空。")
    if size > limit:
        raise file_error(f"文件过大（{size / 1048576:.1f} MB），不得超过 {limit // 1048576} MB，请分批导入。")
    if extension == "xlsx" and not head.startswith(b"PK\x03\x04"):
        raise file_error("文件内容不是 XLSX 格式，请确认文件未被改名。")
    if extension == "csv" and (head.startswith(BINARY_MAGICS) or b"\x00" in head):
        raise file_error("文件内容不是文本格式的 CSV，请确认文件未被改名。")
    return extension


def start_import(*, actor: User, origin: Origin, upload: UploadedFile | None) -> ImportJob:
    """Check and store an uploaded file, create its job and queue it for the worker."""
    from ..tasks import run_import_job  # the task module imports this one

    check_can_import(actor)
    if upload is None:
        raise file_error("请选择要导入的文件。")
    name = (upload.name or "").strip()
    size = upload.size or 0
    head = upload.read(8192)
    upload.seek(0)
    check_import_file(name, size, head)
    content = upload.read()
    with transaction.atomic():
        job = create_import_job(actor=actor, name=name, content=content, store=True)
        # The database task backend writes the task row in this transaction: the job and its task
        # commit together, so a job is never left queued without a task (nor the reverse). A broker
        # (RQ) gets the task once the job has committed (suyuan.common.tasking).
        enqueue_with_transaction(run_import_job, job.pk, origin.ip)
    return job


# ---------------------------------------------------------------------------------------------
# Reads: a user's own jobs, the error report
# ---------------------------------------------------------------------------------------------


def own_import_jobs(user: User) -> QuerySet[ImportJob]:
    """A user sees only the jobs they started, whatever their role."""
    return ImportJob.objects.filter(uploaded_by=user).order_by("-created_at", "-pk")


def get_own_import_job(user: User, job_id: int) -> ImportJob:
    job = own_import_jobs(user).filter(pk=job_id).first()
    if job is None:
        raise NotFound("未找到该导入任务，或您无权查看。")
    return job


REPORT_HEADERS = ("行号", "错误原因")


def report_rows(job: ImportJob) -> list[tuple[int, str]]:
    """Row number and reasons only: the report never repeats the row's personal data."""
    return [(int(e["row"]), "；".join(scrub(r) for r in e.get("reasons", []))) for e in job.errors]


def report_csv(job: ImportJob) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_HEADERS)
    writer.writerows(safe_row(row) for row in report_rows(job))
    # With a BOM, Excel opens UTF-8 Chinese text correctly.
    return buffer.getvalue().encode("utf-8-sig")


def report_xlsx(job: ImportJob) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "未导入的行"
    sheet.append(REPORT_HEADERS)
    for number, reasons in report_rows(job):
        sheet.append(safe_row([number, reasons]))
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
