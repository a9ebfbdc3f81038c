"""Use cases of the grid-worker assistance tasks (网格员+执行): assign, accept, return, report, close.

The due date defaults to the product setting ``SUYUAN_ASSIST_DUE_DAYS`` (a working arrangement
between the court and the grid, not a legal period); the officer may set another. Its clock runs
in ``disputes.clocks`` so the sweep reminds before it and marks it overdue after.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import COURT_ROLES, AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Clock, Dispute
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import apply
from suyuan.network.choices import RegionLevel
from suyuan.network.models import GridWorker, Region
from suyuan.parties.models import Party

from .choices import AssistKind
from .lifecycle import ASSIST_TASK
from .models import AssistPhoto, AssistTask
from .photos import check_photo

RULE = "assistance_task"
CLOCK_CITATION = "网格协助任务办理期限（平台设置 SUYUAN_ASSIST_DUE_DAYS，非法定期间）"


def _refuse(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def _open_clock(task: AssistTask, start: date) -> None:
    ref = f"assist:{task.pk}"
    Clock.objects.filter(dispute=task.dispute, rule=RULE, object_ref=ref, status=ClockStatus.OPEN).update(
        status=ClockStatus.CANCELLED, closed_at=timezone.now())
    Clock.objects.create(dispute=task.dispute, rule=RULE, subject="法院委托协助事项办理期限", object_ref=ref,
                         regime="平台设置", citation=CLOCK_CITATION, started_on=start, due_on=task.due_on)


def grid_of(dispute: Dispute, grid_id: int | None) -> Region:
    """The chosen grid, or the dispute's own when it was recorded at grid level; within the court's area."""
    if grid_id:
        grid = Region.objects.filter(pk=grid_id, level=RegionLevel.GRID).first()
    else:
        grid = dispute.region if dispute.region.level == RegionLevel.GRID else None
    if grid is None:
        raise _refuse("请选择当事人所在的网格。", "grid")
    court_path = dispute.court.region.path
    if not grid.path.startswith(court_path):
        raise _refuse(f"网格“{grid.name}”不在{dispute.court.name}辖区内。", "grid")
    return grid


def assign_task(*, actor: User, origin: Origin, dispute_id: int, holder: str, party_id: int, kind: str,
                instructions: str, grid_id: int | None = None, due_on: date | None = None) -> AssistTask:
    if actor.role not in COURT_ROLES:
        raise NotPermitted("只有法院工作人员可以向网格员派发协助任务。")
    dispute = visible_disputes(actor).select_related("region", "court__region").filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    court = actor.organisation.court() if actor.organisation else None
    if court is None or court.pk != dispute.court_id:
        raise NotFound()
    if kind not in AssistKind.values:
        raise _refuse(f"请选择协助事项（{'、'.join(str(label) for label in AssistKind.labels)}）。", "kind")
    party: Party | None = Party.objects.filter(pk=party_id, dispute_roles__dispute=dispute).first()
    if party is None:
        raise _refuse("协助对象必须是本案当事人。", "party")
    instructions = (instructions or "").strip()
    if not instructions or len(instructions) > 500:
        raise _refuse("请填写协助要求（500 字以内）。", "instructions")
    today = timezone.localdate()
    due = due_on or today + timedelta(days=settings.SUYUAN_ASSIST_DUE_DAYS)
    if due <= today:
        raise _refuse("办理期限应晚于今天。", "due_on")
    grid = grid_of(dispute, grid_id)
    worker = GridWorker.objects.filter(grids=grid).select_related("user").order_by("pk").first()
    if worker is None:
        raise _refuse(f"网格“{grid.name}”尚未登记网格员，无法派发。", "grid")
    with transaction.atomic():
        task = AssistTask.objects.create(
            dispute=dispute, holder=holder, court=court, party=party, grid=grid, grid_worker=worker, kind=kind,
            instructions=instructions, due_on=due, assigned_by=actor,
        )
        _open_clock(task, today)
        append_event(
            dispute=dispute, kind="assist_task.assigned", title="派发网格协助任务", actor=actor, origin=origin,
            summary=f"向{grid.name}网格员{worker.user.full_name}派发“{task.get_kind_display()}”协助任务，"
                    f"办理期限 {due:%Y年%m月%d日}",
            data={"task": task.pk, "holder": holder, "kind": kind, "grid": grid.code, "due": due.isoformat()},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="assist_task",
                     target_id=task.pk, detail={"dispute": dispute.number, "holder": holder, "kind": kind})
    return task


def accept_task(*, actor: User, origin: Origin, task_id: int) -> AssistTask:
    return apply(ASSIST_TASK, task_id, "accept", actor=actor, origin=origin)


def return_task(*, actor: User, origin: Origin, task_id: int, reason: str) -> AssistTask:
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise _refuse("请填写退回理由（300 字以内），如当事人不在本网格。", "reason")

    def effect(task: AssistTask) -> None:
        task.return_reason = reason

    with transaction.atomic():
        task = apply(ASSIST_TASK, task_id, "return", actor=actor, origin=origin, effect=effect,
                     summary=f"网格员退回协助任务：{reason}")
        stop_clock(dispute=task.dispute, rule=RULE, object_ref=f"assist:{task.pk}", outcome=ClockStatus.CANCELLED)
    return task


def report_task(*, actor: User, origin: Origin, task_id: int, report: str, location_note: str = "",
                photos: Sequence[UploadedFile] = ()) -> AssistTask:
    """The grid worker reports back; photos are checked (type, size, count) before anything is written."""
    report = (report or "").strip()
    if not report or len(report) > 2000:
        raise _refuse("请填写反馈情况（2000 字以内）。", "report")
    location_note = (location_note or "").strip()
    if len(location_note) > 200:
        raise _refuse("位置说明不得超过 200 字。", "location_note")
    if len(photos) > settings.SUYUAN_ASSIST_MAX_PHOTOS:
        raise _refuse(f"每次最多上传 {settings.SUYUAN_ASSIST_MAX_PHOTOS} 张照片。", "photos")
    checked = []
    for upload in photos:
        head = upload.read(16)
        upload.seek(0)
        try:
            checked.append((upload, check_photo(upload.name or "", upload.size or 0, head)))
        except ValueError as exc:
            raise _refuse(str(exc), "photos") from exc
    saved: list[AssistPhoto] = []

    def effect(task: AssistTask) -> None:
        task.report, task.location_note, task.reported_at = report, location_note, timezone.now()

    try:
        with transaction.atomic():
            task = apply(ASSIST_TASK, task_id, "report", actor=actor, origin=origin, effect=effect,
                         summary=f"网格员反馈：{report[:100]}" + (f"（位置：{location_note}）" if location_note else "")
                         + (f"，附现场照片 {len(checked)} 张" if checked else ""))
            for upload, (content_type, extension) in checked:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                photo = AssistPhoto(task=task, content_type=content_type, size=upload.size or 0,
                                    sha256=digest.hexdigest())
                photo.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
                saved.append(photo)
                photo.save()
            stop_clock(dispute=task.dispute, rule=RULE, object_ref=f"assist:{task.pk}")
    except Exception:
        for photo in saved:  # nothing half-written: stored files of a rolled-back report go too
            photo.file.storage.delete(photo.file.name or "")
        raise
    return task


def send_back_task(*, actor: User, origin: Origin, task_id: int, reason: str) -> AssistTask:
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise _refuse("请说明需要补充的内容（300 字以内）。", "reason")
    today = timezone.localdate()

    def effect(task: AssistTask) -> None:
        task.due_on = max(task.due_on, today + timedelta(days=settings.SUYUAN_ASSIST_DUE_DAYS))

    with transaction.atomic():
        task = apply(ASSIST_TASK, task_id, "send_back", actor=actor, origin=origin, effect=effect,
                     summary=f"退回网格员补充反馈：{reason}")
        _open_clock(task, today)
    return task


def close_task(*, actor: User, origin: Origin, task_id: int) -> AssistTask:
    def effect(task: AssistTask) -> None:
        task.closed_at = timezone.now()

    return apply(ASSIST_TASK, task_id, "close", actor=actor, origin=origin, effect=effect)


def cancel_task(*, actor: User, origin: Origin, task_id: int) -> AssistTask:
    def effect(task: AssistTask) -> None:
        task.closed_at = timezone.now()

    with transaction.atomic():
        task = apply(ASSIST_TASK, task_id, "cancel", actor=actor, origin=origin, effect=effect)
        stop_clock(dispute=task.dispute, rule=RULE, object_ref=f"assist:{task.pk}", outcome=ClockStatus.CANCELLED)
    return task


def worker_role_check(actor: User) -> None:
    if actor.role != Role.GRID_WORKER:
        raise NotPermitted("该页面供网格员反馈协助任务使用。")
