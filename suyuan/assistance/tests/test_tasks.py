"""Grid-worker assistance: assignment to the grid's worker, scope, the report with photos, clocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.assistance import selectors, services
from suyuan.assistance.models import AssistPhoto, AssistTask
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.models import Clock

ORIGIN = Origin(via="test", ip="127.0.0.1")
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def dispute(world):
    from suyuan.disputes.services import record_dispute
    from suyuan.testing.disputes import grid_input

    return record_dispute(actor=world.grid_worker, origin=ORIGIN, data=grid_input(world.grid.code)).dispute


def _assign(world, dispute, **kwargs):
    respondent = dispute.dispute_parties.get(role="respondent").party
    kwargs.setdefault("kind", "locate")
    kwargs.setdefault("instructions", "请核实被执行人现居住地")
    return services.assign_task(actor=world.enforcer, origin=ORIGIN, dispute_id=dispute.pk, holder="enforcement:1",
                                party_id=respondent.pk, **kwargs)


@pytest.mark.django_db
@override_settings(SUYUAN_ASSIST_DUE_DAYS=5)
def test_assigned_to_the_worker_of_the_disputes_grid_with_the_default_due(world, dispute):
    task = _assign(world, dispute)
    assert task.grid == world.grid and task.grid_worker.user == world.grid_worker
    assert task.due_on == timezone.localdate() + timedelta(days=5)
    clock = Clock.objects.get(rule=services.RULE, object_ref=f"assist:{task.pk}")
    assert clock.due_on == task.due_on and clock.status == ClockStatus.OPEN
    # Not announced to the parties: a locate task must not tip the debtor off.
    event = dispute.events.get(kind="assist_task.assigned")
    from suyuan.notices.recipients import recipients_of
    assert recipients_of(event) == []


@pytest.mark.django_db
def test_officer_may_choose_the_due_date_but_not_a_past_one(world, dispute):
    due = timezone.localdate() + timedelta(days=20)
    assert _assign(world, dispute, due_on=due).due_on == due
    with pytest.raises(InvalidInput, match="办理期限"):
        _assign(world, dispute, due_on=timezone.localdate())


@pytest.mark.django_db
def test_refusals_on_assignment(world, dispute):
    with pytest.raises(InvalidInput, match="协助事项"):
        _assign(world, dispute, kind="arrest")
    with pytest.raises(InvalidInput, match="不在"):
        _assign(world, dispute, grid_id=world.other_grid.pk)  # 惠农 grid, outside 大武口 court
    with pytest.raises(NotPermitted):
        services.assign_task(actor=world.mediator_user, origin=ORIGIN, dispute_id=dispute.pk, holder="x",
                             party_id=1, kind="locate", instructions="x")
    assert not AssistTask.objects.exists()


@pytest.mark.django_db
def test_a_grid_worker_sees_only_their_grids_tasks(world, dispute):
    task = _assign(world, dispute)
    assert list(selectors.visible_tasks(world.grid_worker)) == [task]
    assert list(selectors.visible_tasks(world.other_grid_worker)) == []
    with pytest.raises(NotFound):
        services.accept_task(actor=world.other_grid_worker, origin=ORIGIN, task_id=task.pk)


@pytest.mark.django_db
def test_report_with_photos_reaches_the_officer(world, dispute):
    task = _assign(world, dispute)
    services.accept_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk)
    photos = [SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"), SimpleUploadedFile("b.png", PNG, "image/png")]
    task = services.report_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk, report="已找到本人",
                                location_note="长胜街道3号楼", photos=photos)
    assert task.status == "reported" and task.photos.count() == 2
    assert Clock.objects.get(object_ref=f"assist:{task.pk}").status == ClockStatus.MET
    assert [t.report for t in selectors.tasks_of(world.enforcer, "enforcement:1")] == ["已找到本人"]
    services.close_task(actor=world.enforcer, origin=ORIGIN, task_id=task.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("a.pdf", b"%PDF-1.7" + b"\x00" * 50, "application/pdf"), "不是 JPG、PNG、WebP 或 HEIC"),
    (SimpleUploadedFile("e.jpg", b"", "image/jpeg"), "空文件"),
])
def test_bad_photos_are_refused_in_chinese_and_nothing_is_written(world, dispute, upload, message):
    task = _assign(world, dispute)
    services.accept_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk)
    with pytest.raises(InvalidInput, match=message):
        services.report_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk, report="见到了", photos=[upload])
    task.refresh_from_db()
    assert task.status == "accepted" and not AssistPhoto.objects.exists()


@pytest.mark.django_db
@override_settings(SUYUAN_ASSIST_PHOTO_MAX_BYTES=100, SUYUAN_ASSIST_MAX_PHOTOS=1)
def test_size_and_count_limits(world, dispute):
    task = _assign(world, dispute)
    services.accept_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk)
    with pytest.raises(InvalidInput, match="超过"):
        services.report_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk, report="r",
                             photos=[SimpleUploadedFile("a.jpg", JPEG, "image/jpeg")])
    with pytest.raises(InvalidInput, match="最多上传 1 张"):
        services.report_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk, report="r",
                             photos=[SimpleUploadedFile("a.jpg", JPEG[:50]), SimpleUploadedFile("b.jpg", JPEG[:50])])


@pytest.mark.django_db
def test_overdue_through_the_sweep_and_send_back_restarts_the_clock(world, dispute):
    from datetime import datetime, time

    from suyuan.disputes.clocks import sweep
    from suyuan.rules.periods import CHINA

    task = _assign(world, dispute)
    sweep(now=datetime.combine(task.due_on + timedelta(days=1), time(1), tzinfo=CHINA))
    assert Clock.objects.get(object_ref=f"assist:{task.pk}").status == ClockStatus.OVERDUE
    services.accept_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk)
    services.report_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk, report="未见到")
    services.send_back_task(actor=world.enforcer, origin=ORIGIN, task_id=task.pk, reason="请再去一次")
    assert Clock.objects.filter(object_ref=f"assist:{task.pk}", status=ClockStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_phone_page_and_photo_scope(client, world, dispute):
    task = _assign(world, dispute)
    services.accept_task(actor=world.grid_worker, origin=ORIGIN, task_id=task.pk)
    client.force_login(world.grid_worker)
    response = client.post(reverse("assistance:act", args=[task.pk, "report"]),
                           {"report": "已见到", "location_note": "楼下", "photos": [
                               SimpleUploadedFile("a.jpg", JPEG, "image/jpeg")]}, follow=True)
    assert "反馈已提交" in response.content.decode()
    photo = AssistPhoto.objects.get()
    assert client.get(reverse("assistance:photo", args=[photo.pk])).status_code == 200
    client.force_login(world.other_grid_worker)
    assert client.get(reverse("assistance:photo", args=[photo.pk])).status_code == 404
    assert client.get(reverse("assistance:task", args=[task.pk])).status_code == 404


@pytest.mark.django_db
def test_reminders_of_a_task_reach_staff_but_never_the_parties(world, dispute):
    from datetime import datetime, time

    from suyuan.disputes.clocks import sweep
    from suyuan.notices.recipients import recipients_of
    from suyuan.rules.periods import CHINA

    task = _assign(world, dispute)
    parties = {row.party_id for row in dispute.dispute_parties.all()}
    sweep(now=datetime.combine(task.due_on - timedelta(days=1), time(1), tzinfo=CHINA))
    sweep(now=datetime.combine(task.due_on + timedelta(days=1), time(1), tzinfo=CHINA))
    events = list(dispute.events.filter(kind__in=["clock.reminder", "clock.overdue"], data__rule=services.RULE))
    assert {e.kind for e in events} == {"clock.reminder", "clock.overdue"}
    for event in events:
        for recipient in recipients_of(event):
            assert recipient.party is None or recipient.party.pk not in parties
            assert recipient.user is None or recipient.user.role != "party"
