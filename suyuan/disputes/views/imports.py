"""Batch filing pages: upload, template download, job progress, per-row error report."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from suyuan.accounts.context import Origin
from suyuan.accounts.http import request_user
from suyuan.common.errors import InvalidInput, NotFound

from .. import importing
from ..choices import ImportStatus
from ..models import ImportJob

TEMPLATE_DIR = settings.BASE_DIR / "docs" / "templates"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


_user = request_user


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    importing.check_can_import(user)
    error = ""
    if request.method == "POST":
        try:
            job = importing.start_import(
                actor=user, origin=Origin.from_request(request), upload=request.FILES.get("file")
            )
        except InvalidInput as exc:
            error = exc.message
        else:
            return redirect("disputes:import_job", job_id=job.pk)
    context = {
        "error": error,
        "jobs": importing.own_import_jobs(user)[:10],
        "headers": importing.HEADERS,
        "max_mb": settings.SUYUAN_IMPORT_MAX_BYTES // 1048576,
    }
    return render(request, "disputes/import.html", context, status=400 if error else 200)


@login_required
@require_GET
def import_template(request: HttpRequest, fmt: str) -> FileResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    path = TEMPLATE_DIR / f"batch_import_template.{fmt}"
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"纠纷批量导入模板.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )


@login_required
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = importing.get_own_import_job(_user(request), job_id)
    finished = job.status in {ImportStatus.DONE, ImportStatus.FAILED}
    return render(request, "disputes/import_job.html", {"job": job, "finished": finished})


def _status(job: ImportJob) -> dict[str, object]:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "total": job.total,
        "processed": job.processed,
        "created": job.created,
        "duplicates": job.duplicates,
        "rejected": job.rejected,
        "message": job.message,
    }


@login_required
@require_GET
def import_status(request: HttpRequest, job_id: int) -> JsonResponse:
    try:
        job = importing.get_own_import_job(_user(request), job_id)
    except NotFound as exc:
        return JsonResponse({"detail": exc.message}, status=404)
    return JsonResponse(_status(job), headers={"Cache-Control": "no-store"})


@login_required
@require_GET
def import_report(request: HttpRequest, job_id: int, fmt: str) -> HttpResponse:
    job = importing.get_own_import_job(_user(request), job_id)
    if fmt not in CONTENT_TYPES:
        raise Http404
    body = importing.report_csv(job) if fmt == "csv" else importing.report_xlsx(job)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.{fmt}"'
    return response
