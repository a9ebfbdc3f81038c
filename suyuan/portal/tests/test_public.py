"""The public process page: number + code, no personal data, no enumeration, guessing stopped, audited."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.disputes.services import record_dispute
from suyuan.notices.models import SmsMessage
from suyuan.portal.models import AccessCode, PublicLookup
from suyuan.portal.services import NOT_FOUND, TOO_MANY
from suyuan.testing.disputes import grid_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    return record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute


def _issue(client, world, dispute) -> str:
    client.force_login(world.party_user)
    page = client.post(reverse("portal:access_code", args=[dispute.number])).content.decode()
    client.logout()
    return re.search(r'class="code">(\d{6})<', page).group(1)


def test_the_code_is_shown_once_sent_by_sms_and_stored_hashed(
    client, world, dispute, django_capture_on_commit_callbacks
):
    client.force_login(world.party_user)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("portal:access_code", args=[dispute.number])).content.decode()
    code = re.search(r'class="code">(\d{6})<', page).group(1)
    row = AccessCode.objects.get(dispute=dispute)
    assert code not in row.code_hash and row.code_hash.count("$") >= 2
    sms = SmsMessage.objects.get(phone="13900000088")
    assert code in sms.text and dispute.number in sms.text
    assert AuditEntry.objects.filter(target_type="public_access_code", target_id=dispute.number).exists()
    # A second issue replaces the first: the old code stops working.
    client.post(reverse("portal:access_code", args=[dispute.number]))
    assert AccessCode.objects.filter(dispute=dispute).count() == 1
    client.logout()
    page = client.post(reverse("portal:public"), {"number": dispute.number, "code": code}).content.decode()
    assert NOT_FOUND in page


def test_only_a_party_of_the_dispute_gets_a_code(client, world, dispute):
    client.force_login(world.grid_worker)
    assert client.post(reverse("portal:access_code", args=[dispute.number])).status_code == 403
    assert not AccessCode.objects.exists()


def test_the_public_page_shows_process_nodes_and_no_personal_data(client, world, dispute):
    code = _issue(client, world, dispute)
    response = client.post(reverse("portal:public"), {"number": dispute.number, "code": code})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="public-nodes"' in page and "纠纷登记" in page and dispute.number in page
    party = world.party_user.party
    respondent = dispute.dispute_parties.get(role="respondent").party
    for personal in (party.name, party.id_number, party.phone, party.address, respondent.name, respondent.id_number,
                     respondent.phone, "12000", "王网格", world.grid_worker.display_name):
        assert personal not in page, personal
    assert PublicLookup.objects.filter(number=dispute.number, succeeded=True).count() == 1


def test_a_wrong_code_reads_exactly_like_an_unknown_number(client, world, dispute):
    _issue(client, world, dispute)
    wrong = client.post(reverse("portal:public"), {"number": dispute.number, "code": "000000"})
    unknown = client.post(reverse("portal:public"), {"number": "SY-2026-999999", "code": "000000"})
    assert wrong.status_code == unknown.status_code == 400
    def error(r):
        return re.search(r'id="public-error">([^<]*)<', r.content.decode()).group(1)

    assert error(wrong) == error(unknown) == NOT_FOUND
    assert "SY-2026-999999" not in NOT_FOUND


@override_settings(SUYUAN_PUBLIC_LOOKUP_MAX_PER_NUMBER=3, SUYUAN_PUBLIC_LOOKUP_MAX_PER_ADDRESS=100)
def test_guessing_one_number_is_stopped_even_with_the_right_code_after(client, world, dispute):
    code = _issue(client, world, dispute)
    for guess in ("111111", "222222", "333333"):
        client.post(reverse("portal:public"), {"number": dispute.number, "code": guess})
    refused = client.post(reverse("portal:public"), {"number": dispute.number, "code": code})
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    assert "纠纷登记" not in refused.content.decode()
    # An unknown number is limited the same way, so the limit does not reveal which numbers exist.
    for guess in ("111111", "222222", "333333"):
        client.post(reverse("portal:public"), {"number": "SY-2026-999999", "code": guess})
    assert client.post(reverse("portal:public"), {"number": "SY-2026-999999", "code": "1"}).status_code == 429
    assert PublicLookup.objects.filter(refused=True).count() == 2


@override_settings(SUYUAN_PUBLIC_LOOKUP_MAX_PER_NUMBER=100, SUYUAN_PUBLIC_LOOKUP_MAX_PER_ADDRESS=3)
def test_guessing_many_numbers_from_one_address_is_stopped(client, world, dispute):
    code = _issue(client, world, dispute)
    for n in range(3):
        client.post(reverse("portal:public"), {"number": f"SY-2026-00000{n}", "code": "123456"})
    assert client.post(reverse("portal:public"), {"number": dispute.number, "code": code}).status_code == 429


def test_empty_input_gets_a_chinese_message_not_an_error(client):
    response = client.post(reverse("portal:public"), {"number": "", "code": ""})
    assert response.status_code == 400 and "请输入纠纷编号和查询码" in response.content.decode()
    assert client.get(reverse("portal:public")).status_code == 200
