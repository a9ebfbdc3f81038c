"""Dispute pages through the Django test client: intake, scope, masking, evidence, conflicts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.disputes.choices import EventKind
from suyuan.disputes.models import Dispute, DisputeEvent, Evidence
from suyuan.disputes.services import record_dispute
from suyuan.parties.models import Party
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import make_id_number

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def dispute(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    return record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute


def _form(world, **overrides):
    data = {
        "channel": "grid_worker",
        "category": "debt",
        "region_code": world.grid.code,
        "applicant_kind": "natural",
        "applicant_name": "陈当事",
        "applicant_identity": world.party_user.party.id_number,
        "applicant_phone": "13900000088",
        "respondent_kind": "natural",
        "respondent_name": "李四",
        "respondent_identity": make_id_number(birth="19900215"),
        "respondent_phone": "",
        "claims": "请求被申请人归还借款 12000 元\n请求被申请人承担利息",
        "amount": "12000",
        "description": "2025年3月被申请人向申请人借款一万二千元，约定半年归还，至今未还。",
        "authority_kind": "written",
        "authority_note": "授权书已签字",
    }
    data.update(overrides)
    return data


def test_grid_worker_records_through_the_page(client, world):
    client.force_login(world.grid_worker)
    response = client.post(reverse("disputes:create"), _form(world))
    dispute = Dispute.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("disputes:detail", args=[dispute.number])
    assert dispute.claims.count() == 2
    page = client.get(response.url).content.decode()
    assert dispute.number in page
    assert "纠纷登记" in page  # the timeline


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_identity", "640202198503120011", "校验位"),
        ("amount", "-100", "不能为负数"),
        ("amount", "一万", "应为数字"),
        ("authority_kind", "", "授权方式"),
        ("region_code", "", "这个字段是必填项"),
    ],
)
def test_bad_input_gets_chinese_errors_and_writes_nothing(client, world, field, value, message):
    client.force_login(world.grid_worker)
    parties_before = Party.objects.count()
    response = client.post(reverse("disputes:create"), _form(world, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Dispute.objects.count() == 0
    assert DisputeEvent.objects.count() == 0
    assert Party.objects.count() == parties_before


def test_party_self_service_uses_their_own_identity(client, world):
    client.force_login(world.party_user)
    form = _form(world, channel="self_service", region_code="640202001000", applicant_name="冒名",
                 applicant_identity=make_id_number(), risk_acknowledged="on")
    response = client.post(reverse("disputes:create"), form)
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    applicant = dispute.dispute_parties.get(role="applicant").party
    assert applicant == world.party_user.party  # disabled fields cannot be overridden


def test_scope_through_pages(client, world, dispute):
    url = reverse("disputes:detail", args=[dispute.number])
    for user, status in [
        (world.clerk, 200), (world.judge, 200), (world.party_user, 200), (world.grid_worker, 200),
        (world.centre_staff, 200), (world.leader, 200),
        (world.other_clerk, 404), (world.other_grid_worker, 404), (world.mediator_user, 404),
        (world.org_admin, 404), (world.sysadmin, 403), (world.auditor, 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username


def test_out_of_scope_write_is_refused(client, world, dispute):
    client.force_login(world.other_clerk)
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("disputes:evidence_upload", args=[dispute.number]), {"file": upload})
    assert response.status_code == 404
    assert Evidence.objects.count() == 0


def test_lists_mask_and_reveal_is_audited(client, world, dispute):
    party = dispute.dispute_parties.get(role="applicant").party
    client.force_login(world.clerk)
    page = client.get(reverse("disputes:detail", args=[dispute.number])).content.decode()
    assert party.id_number not in page
    assert party.masked_identity in page
    assert party.phone not in page
    revealed = client.post(reverse("disputes:reveal", args=[dispute.number])).content.decode()
    assert party.id_number in revealed
    assert AuditEntry.objects.filter(actor=world.clerk, action=AuditAction.READ_PERSONAL_DATA,
                                     target_id=dispute.number).exists()


def test_reveal_is_refused_to_roles_without_need(client, world, dispute):
    client.force_login(world.centre_staff)
    response = client.post(reverse("disputes:reveal", args=[dispute.number]))
    assert response.status_code == 403
    assert "无需查看" in response.content.decode()


def test_party_sees_own_data_but_not_the_other_sides(client, world, dispute):
    client.force_login(world.party_user)
    page = client.get(reverse("disputes:detail", args=[dispute.number])).content.decode()
    own = world.party_user.party
    other = dispute.dispute_parties.get(role="respondent").party
    assert own.id_number in page
    assert other.id_number not in page


def test_export_is_masked_and_audited(client, world, dispute):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(world.clerk)
    response = client.get(reverse("disputes:export"))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][0] == dispute.number
    text = str(rows)
    assert "13900000088" not in text
    assert "139****0088" in text
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=world.clerk).exists()


def test_evidence_upload_and_download(client, world, dispute):
    client.force_login(world.grid_worker)
    upload = SimpleUploadedFile("借条.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("disputes:evidence_upload", args=[dispute.number]),
                           {"file": upload, "description": "借条原件扫描"})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "借条.pdf"
    assert "借条" not in evidence.file.name  # stored under a random name
    assert dispute.events.filter(kind=EventKind.EVIDENCE_ADDED).exists()
    client.force_login(world.clerk)
    download = client.get(reverse("disputes:evidence_download", args=[dispute.number, evidence.pk]))
    assert b"".join(download.streaming_content) == PDF
    client.force_login(world.other_clerk)
    assert client.get(reverse("disputes:evidence_download", args=[dispute.number, evidence.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("fake.pdf", b"<html>not a pdf</html>", "内容与扩展名不符"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(client, world, dispute, name, content, message):
    client.force_login(world.grid_worker)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("disputes:evidence_upload", args=[dispute.number]), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Evidence.objects.count() == 0


def test_oversized_evidence_is_refused(client, world, dispute, settings):
    settings.SUYUAN_EVIDENCE_MAX_BYTES = 1024
    client.force_login(world.grid_worker)
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    response = client.post(reverse("disputes:evidence_upload", args=[dispute.number]), {"file": upload})
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_stale_edit_is_a_conflict_not_an_overwrite(client, world, dispute):
    url = reverse("disputes:edit", args=[dispute.number])
    client.force_login(world.clerk)
    first = {"version": 1, "category": "debt", "amount": "13000", "description": dispute.description + "（补充一）"}
    assert client.post(url, first).status_code == 302
    stale = {"version": 1, "category": "debt", "amount": "9000", "description": dispute.description + "（补充二）"}
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    dispute.refresh_from_db()
    assert str(dispute.amount) == "13000.00"
    assert dispute.events.filter(kind=EventKind.DETAILS_UPDATED).count() == 1


def test_clerk_reviews_a_same_person_flag_and_nothing_is_merged(client, world):
    from suyuan.parties.models import PartyMatchFlag

    first = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=first)
    # The same respondent name and phone with another ID number: flagged, not merged.
    second = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number, amount="500")
    second.parties[1][1].phone = first.parties[1][1].phone
    record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=second)
    flag = PartyMatchFlag.objects.get()
    assert flag.party_id != flag.candidate_id
    client.force_login(world.other_clerk)
    assert "暂无待核实" in client.get(reverse("disputes:party_flags")).content.decode()
    assert client.post(reverse("disputes:party_flags"), {"flag": flag.pk, "decision": "same"}).status_code == 404
    client.force_login(world.clerk)
    page = client.get(reverse("disputes:party_flags")).content.decode()
    assert "李四" in page
    response = client.post(reverse("disputes:party_flags"), {"flag": flag.pk, "decision": "different"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == "different"
    assert flag.resolved_by == world.clerk
    assert Party.objects.filter(name="李四").count() == 2
    assert AuditEntry.objects.filter(target_type="party_match_flag", actor=world.clerk).exists()


def test_workbench_queues_show_deadlines_due_soon_and_overdue(client, world, dispute, settings):
    from datetime import timedelta

    from django.utils import timezone

    from suyuan.disputes import clocks

    today = timezone.localdate()
    clocks.start_clock(dispute=dispute, rule="fee_payment", start=today - timedelta(days=6), subject="交纳诉讼费期限")
    client.force_login(world.clerk)
    page = client.get(reverse("disputes:workbench") + "?queue=due_soon").content.decode()
    due = dispute.clocks.get().due_on  # today + 1, later if a holiday intervenes
    soon = due <= today + timedelta(days=settings.SUYUAN_REMINDER_DAYS + 1)
    assert (dispute.number in page) is soon
    overdue_page = client.get(reverse("disputes:workbench") + "?queue=overdue").content.decode()
    assert dispute.number not in overdue_page
    client.force_login(world.other_clerk)
    assert dispute.number not in client.get(reverse("disputes:workbench") + "?queue=due_soon").content.decode()


def test_workbench_overdue_queue(client, world, dispute):
    from datetime import date

    from suyuan.disputes import clocks

    clocks.start_clock(dispute=dispute, rule="fee_payment", start=date(2026, 1, 5), subject="交纳诉讼费期限")
    client.force_login(world.clerk)
    page = client.get(reverse("disputes:workbench") + "?queue=overdue").content.decode()
    assert dispute.number in page
    assert "交纳诉讼费期限" in page


def test_grid_worker_adds_a_follow_up_note(client, world, dispute):
    client.force_login(world.grid_worker)
    response = client.post(reverse("disputes:follow_up", args=[dispute.number]), {"text": "已上门走访，双方同意调解"})
    assert response.status_code == 302
    event = dispute.events.get(kind=EventKind.FOLLOW_UP)
    assert event.summary == "已上门走访，双方同意调解"
    assert client.post(reverse("disputes:follow_up", args=[dispute.number]), {"text": "x"}).status_code == 400
    client.force_login(world.party_user)
    assert client.post(reverse("disputes:follow_up", args=[dispute.number]), {"text": "我来记一笔"}).status_code == 403
    client.force_login(world.other_grid_worker)
    assert client.post(reverse("disputes:follow_up", args=[dispute.number]), {"text": "越权记录"}).status_code == 404
    assert dispute.events.filter(kind=EventKind.FOLLOW_UP).count() == 1


def test_party_sees_a_progress_tracker_with_next_step_and_contact(client, world, dispute):
    from suyuan.disputes.choices import DisputeStatus

    client.force_login(world.party_user)
    page = client.get(reverse("disputes:detail", args=[dispute.number])).content.decode()
    assert 'aria-current="step">登记</li>' in page
    assert "大武口区人民法院诉讼服务中心" in page
    Dispute.objects.filter(pk=dispute.pk).update(status=DisputeStatus.SETTLED)
    page = client.get(reverse("disputes:detail", args=[dispute.number])).content.decode()
    assert 'aria-current="step">达成协议</li>' in page
    assert "调解协议生效后30日内" in page  # from the rules (民事诉讼法 第二百零五条), not a literal


def test_party_must_acknowledge_the_risk_notice(client, world):
    client.force_login(world.party_user)
    form = _form(world, channel="self_service", region_code="640202001000")
    page = client.post(reverse("disputes:create"), form).content.decode()
    assert "请阅读诉讼风险告知并勾选确认" in page
    assert Dispute.objects.count() == 0
    client.post(reverse("disputes:create"), {**form, "risk_acknowledged": "on"})
    event = Dispute.objects.get().events.get(kind=EventKind.RECORDED)
    assert event.data["risk_notice_acknowledged"] is True


def test_fee_estimate_comes_from_the_rules(client, world):
    client.force_login(world.party_user)
    data = client.get(reverse("disputes:fee_estimate"), {"amount": "12000"}).json()
    assert data["full"] == "100.00"
    assert "第十三条" in data["citation"]
    assert client.get(reverse("disputes:fee_estimate"), {"amount": "-1"}).status_code == 400
