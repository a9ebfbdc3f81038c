"""The mediator roster: Excel import (row errors, idempotence, scope), export masking, sharing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.network import roster_sheets, services
from suyuan.network.choices import MediatorKind, MediatorStatus
from suyuan.network.models import Mediator
from suyuan.network.selectors import roster_for

WEB = Origin(via="web")
HEADER = ["姓名", "手机号", "调解员类型", "擅长类别", "服务区域", "同时承办上限", "状态", "备注"]
GOOD = [
    ["张秀英", "13995110001", "人民调解员", "婚姻家庭、邻里纠纷", "640202001000", 8, "在册可派", "退休教师"],
    ["马建华", 13995110002, "律师", "合同纠纷，借贷债务", "长胜街道", "12", "", ""],
]


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_good_rows_go_in_and_bad_rows_are_reported_with_reasons(world):
    bad = [
        ["王五", "1234", "人民调解员", "", "", 5, "", ""],  # row 4: phone
        ["赵六", "13995110004", "仲裁员", "", "", 5, "", ""],  # row 5: kind
        ["钱七", "13995110005", "人民调解员", "打架斗殴", "", 5, "", ""],  # row 6: category
        ["孙八", "13995110006", "人民调解员", "", "", 0, "", ""],  # row 7: capacity
        ["周九", "13995110007", "人民调解员", "", "999999999999", 5, "休假", ""],  # row 8: region and status
        ["张秀英", "13995110001", "人民调解员", "", "", 5, "", ""],  # row 9: repeats row 2
        ["", "13995110009", "人民调解员", "", "", 5, "", ""],  # row 10: no name
    ]
    result = roster_sheets.import_roster(
        actor=world.org_admin, origin=WEB, organisation=world.committee, fileobj=xlsx(GOOD + bad)
    )
    assert (result.total, result.created, len(result.errors)) == (9, 2, 7)
    reasons = {e.row: " ".join(e.messages) for e in result.errors}
    assert "有效的中国大陆号码" in reasons[4] or "格式不正确" in reasons[4]
    assert "调解员类型无效" in reasons[5]
    assert "擅长类别“打架斗殴”无效" in reasons[6]
    assert "不能小于 1" in reasons[7]
    assert "服务区域“999999999999”不存在" in reasons[8] and "状态无效" in reasons[8]
    assert "与第 2 行重复" in reasons[9]
    assert "请填写姓名" in reasons[10]

    lawyer = Mediator.objects.get(name="马建华")
    assert lawyer.phone == "13995110002"  # an Excel number cell, not "13995110002.0"
    assert lawyer.kind == MediatorKind.LAWYER
    assert lawyer.specialties == ["debt", "contract"]
    assert [r.code for r in lawyer.regions.all()] == ["640202001000"]
    assert list(lawyer.organisations.all()) == [world.committee]
    assert lawyer.capacity == 12 and lawyer.status == MediatorStatus.ACTIVE
    assert not Mediator.objects.filter(name__in=["王五", "赵六", "钱七", "孙八", "周九"]).exists()
    entry = AuditEntry.objects.filter(action=AuditAction.IMPORT).get()
    assert entry.detail["created"] == 2 and entry.detail["rejected"] == 7


def test_reimport_updates_instead_of_duplicating(world):
    roster_sheets.import_roster(actor=world.org_admin, origin=WEB, organisation=world.committee, fileobj=xlsx(GOOD))
    before = Mediator.objects.count()
    again = roster_sheets.import_roster(
        actor=world.org_admin, origin=WEB, organisation=world.committee, fileobj=xlsx(GOOD)
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = [GOOD[0][:5] + [15, "暂停接案", "病假"], GOOD[1]]
    third = roster_sheets.import_roster(
        actor=world.org_admin, origin=WEB, organisation=world.committee, fileobj=xlsx(changed)
    )
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert Mediator.objects.count() == before
    teacher = Mediator.objects.get(name="张秀英")
    assert (teacher.capacity, teacher.status, teacher.note) == (15, MediatorStatus.PAUSED, "病假")


def test_an_exported_sheet_imports_back_unchanged(world):
    roster_sheets.import_roster(actor=world.org_admin, origin=WEB, organisation=world.committee, fileobj=xlsx(GOOD))
    content = roster_sheets.export_roster(actor=world.org_admin, origin=WEB)
    result = roster_sheets.import_roster(
        actor=world.org_admin, origin=WEB, organisation=world.committee, fileobj=io.BytesIO(content)
    )
    assert result.errors == []
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == Mediator.objects.count() == 3  # the world's mediator and the two above


def test_an_org_admin_cannot_import_into_another_organisations_roster(world):
    for other in (world.dawukou_court, world.dawukou_centre):
        with pytest.raises(NotPermitted):
            roster_sheets.import_roster(actor=world.org_admin, origin=WEB, organisation=other, fileobj=xlsx(GOOD))
    with pytest.raises(NotPermitted):
        roster_sheets.import_roster(actor=world.other_clerk, origin=WEB, organisation=world.dawukou_court,
                               fileobj=xlsx(GOOD))
    for reader in (world.judge, world.leader, world.centre_staff, world.party_user, world.grid_worker):
        with pytest.raises(NotPermitted):
            roster_sheets.import_roster(actor=reader, origin=WEB, organisation=world.committee, fileobj=xlsx(GOOD))
    assert not Mediator.objects.filter(name="张秀英").exists()
    result = roster_sheets.import_roster(actor=world.clerk, origin=WEB, organisation=world.dawukou_court,
                                    fileobj=xlsx(GOOD))
    assert result.created == 2


def test_files_that_are_not_a_roster_are_refused_whole(world):
    with pytest.raises(InvalidInput, match="xlsx"):
        roster_sheets.import_roster(actor=world.org_admin, origin=WEB, organisation=world.committee,
                               fileobj=io.BytesIO(b"name,phone\n"))
    with pytest.raises(InvalidInput, match="手机号"):
        roster_sheets.import_roster(actor=world.org_admin, origin=WEB, organisation=world.committee,
                               fileobj=xlsx([["张三"]], header=["姓名", "电话"]))


def _court_mediator(name: str, phone: str, organisation) -> Mediator:  # type: ignore[no-untyped-def]
    mediator = Mediator.objects.create(name=name, phone=phone, kind=MediatorKind.INVITED, specialties=["debt"])
    mediator.organisations.add(organisation)
    return mediator


def test_courts_share_the_roster_up_and_down_but_not_sideways(world):
    upper = _court_mediator("上级特邀", "13995110011", world.intermediate_court)
    own = _court_mediator("本院特邀", "13995110012", world.dawukou_court)
    sibling = _court_mediator("惠农特邀", "13995110013", world.huinong_court)
    assert set(roster_for(world.clerk)) == {upper, own}  # a basic court sees the court above
    assert set(roster_for(world.leader)) >= {upper, own, sibling}  # the intermediate court sees below
    assert set(roster_for(world.other_clerk)) == {upper, sibling}
    assert set(roster_for(world.org_admin)) == {world.mediator}
    assert not roster_for(world.party_user).exists()
    assert not roster_for(world.grid_worker).exists()


def _phones(content: bytes) -> dict[str, str]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:8]) == HEADER
    return {row[0]: row[1] for row in rows[1:]}


def test_export_masks_phones_unless_the_actor_keeps_that_roster(world):
    _court_mediator("上级特邀", "13995110011", world.intermediate_court)
    _court_mediator("本院特邀", "13995110012", world.dawukou_court)
    clerk_view = _phones(roster_sheets.export_roster(actor=world.clerk, origin=WEB))
    assert clerk_view == {"上级特邀": "139****0011", "本院特邀": "13995110012"}
    judge_view = _phones(roster_sheets.export_roster(actor=world.judge, origin=WEB))
    assert judge_view == {"上级特邀": "139****0011", "本院特邀": "139****0012"}
    admin_view = _phones(roster_sheets.export_roster(actor=world.org_admin, origin=WEB))
    assert admin_view == {"李调解": "13900000099"}
    entries = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("seq")
    assert [e.detail["unmasked_phones"] for e in entries] == [1, 0, 1]
    with pytest.raises(NotPermitted):
        roster_sheets.export_roster(actor=world.grid_worker, origin=WEB)


def test_status_changes_are_scoped_and_audited(world):
    services.change_mediator_status(
        actor=world.org_admin, origin=WEB, mediator_id=world.mediator.pk, status=MediatorStatus.PAUSED
    )
    world.mediator.refresh_from_db()
    assert world.mediator.status == MediatorStatus.PAUSED
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, target_type="mediator").count() == 1
    with pytest.raises(NotPermitted):  # a centre sees the committee's roster but does not keep it
        services.change_mediator_status(
            actor=world.centre_staff, origin=WEB, mediator_id=world.mediator.pk, status=MediatorStatus.ACTIVE
        )


def test_create_and_update_validate_every_field(world):
    with pytest.raises(InvalidInput) as caught:
        services.create_mediator(
            actor=world.org_admin, origin=WEB, organisation=world.committee,
            data=services.MediatorInput(name="", phone="0952-1234567", kind="judge", specialties=["x"], capacity=0),
        )
    assert set(caught.value.errors) == {"name", "phone", "kind", "specialties", "capacity"}
    created = services.create_mediator(
        actor=world.org_admin, origin=WEB, organisation=world.committee,
        data=services.MediatorInput(name="新调解员", phone="139 9511 0020", kind=MediatorKind.PEOPLES,
                                    specialties=["family"], region_codes=["640202001000"], capacity="6"),
    )
    assert (created.phone, created.capacity) == ("13995110020", 6)
    updated = services.update_mediator(
        actor=world.org_admin, origin=WEB, mediator_id=created.pk,
        data=services.MediatorInput(name="新调解员", phone="13995110020", kind=MediatorKind.PEOPLES, capacity=9),
    )
    assert updated.capacity == 9 and list(updated.regions.all()) == []
