"""The party's home is the portal: only their own disputes, only what a party can use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import make_id_number, make_party, make_user

pytestmark = pytest.mark.django_db


def _record(world, applicant_id: str, **kwargs):
    data = grid_input(world.grid.code, applicant_id=applicant_id, **kwargs)
    return record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute


@pytest.fixture
def mine(world):
    return _record(world, world.party_user.party.id_number)


@pytest.fixture
def theirs(world):
    return _record(world, make_id_number(birth="19880808"), applicant_name="王其他")


def test_a_party_lands_on_their_portal_not_the_staff_workbench(client, world, mine):
    client.force_login(world.party_user)
    assert client.get("/").url == reverse("portal:home")
    assert client.get(reverse("disputes:workbench")).url == reverse("portal:home")
    page = client.get(reverse("portal:home")).content.decode()
    assert "我的纠纷" in page and mine.number in page
    for staff_only in ("即将到期", "已超期", "批量导入", "工作台", "纠纷查询"):
        assert staff_only not in page, staff_only


def test_the_portal_lists_only_the_partys_own_disputes(client, world, mine, theirs):
    client.force_login(world.party_user)
    page = client.get(reverse("portal:home")).content.decode()
    assert mine.number in page
    assert theirs.number not in page and "王其他" not in page
    assert client.get(reverse("portal:dispute", args=[theirs.number])).status_code == 404
    assert client.get(reverse("portal:dispute", args=[mine.number])).status_code == 200


def test_staff_are_sent_to_their_own_pages(client, world, mine):
    client.force_login(world.clerk)
    assert client.get(reverse("portal:home")).url == reverse("disputes:workbench")
    assert client.get(reverse("portal:dispute", args=[mine.number])).url == reverse("disputes:detail",
                                                                                    args=[mine.number])


def test_an_institution_party_keeps_the_import_link_a_person_does_not(client, world):
    client.force_login(world.party_user)
    assert "批量导入" not in client.get(reverse("portal:home")).content.decode()
    bank = make_party("石嘴山示范银行股份有限公司", kind="legal")
    client.force_login(make_user(Role.PARTY, party=bank, username="bank1", full_name=bank.name))
    assert "批量导入" in client.get(reverse("portal:home")).content.decode()


def test_self_service_intake_speaks_to_the_party(client, world):
    from suyuan.disputes.tests.test_pages import _form

    client.force_login(world.party_user)
    form = _form(world, channel="self_service", region_code="640202001000")
    response = client.post(reverse("disputes:create"), {**form, "risk_acknowledged": "on"}, follow=True)
    page = response.content.decode()
    assert "您的纠纷已登记" in page
    assert "请告知当事人" not in page


def test_the_dispute_page_is_in_sections_with_a_summary_on_top(client, world, mine):
    client.force_login(world.party_user)
    page = client.get(reverse("portal:dispute", args=[mine.number])).content.decode()
    order = [page.index(marker) for marker in ('id="summary-heading"', 'id="todo"', 'id="progress"',
                                               'id="documents"', 'id="messages"', 'id="history"')]
    assert order == sorted(order)
    assert "谁在办理" in page
    assert "告诉我们您是否同意调解" in page  # the mediation consent the party still owes
