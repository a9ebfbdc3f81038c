"""The disputes API (v1): record, list, read, timeline, scope and masking, over real HTTP."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry, User
from suyuan.accounts.services import issue_api_token
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import DisputeInput, record_dispute
from suyuan.testing.disputes import grid_input

URL = "/api/v1/disputes"
NOT_FOUND = {"detail": "未找到该记录，或您无权查看。", "errors": {}}
MASKED_ID = re.compile(r"^640202\*{8}\d{3}[\dX]$")


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, origin=Origin(via='test'))}"}


def body_of(data: DisputeInput) -> dict[str, Any]:
    """The JSON a client would send for ``data`` (as built by ``suyuan.testing.disputes``)."""
    return {
        "channel": data.channel,
        "category": data.category,
        "description": data.description,
        "region_code": data.region_code,
        "amount": str(data.amount) if data.amount is not None else None,
        "occurred_on": data.occurred_on.isoformat() if data.occurred_on else None,
        "parties": [{"role": role, **dataclasses.asdict(p)} for role, p in data.parties],
        "claims": [{"text": c.text, "amount": str(c.amount) if c.amount is not None else None} for c in data.claims],
        "authority_kind": data.authority_kind or None,
        "authority_note": data.authority_note,
        "source_ref": data.source_ref,
    }


def post(client: Client, auth: dict[str, str], body: Any, **headers: str):  # type: ignore[no-untyped-def]
    raw = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post(URL, data=raw, content_type="application/json", **auth, **headers)


def test_grid_worker_records_a_dispute_through_the_api(world, client):
    auth = bearer(world.grid_worker)
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    response = post(client, auth, {**body_of(data), "occurred_on": "2025-03-01"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["number"].startswith("SY-")
    assert out["court"] == {"court_code": "宁0202", "name": world.dawukou_court.name}
    assert out["amount"] == "12000.00"
    assert out["occurred_on"] == "2025-03-01"
    assert out["authority_kind"] == "written"
    assert out["claims"][0]["text"] == "请求被申请人归还借款 12000 元"
    assert [p["role"] for p in out["parties"]] == ["applicant", "respondent"]
    # The creator's answer is masked, like every answer to a role without full access.
    assert all(p["masked"] for p in out["parties"])
    assert MASKED_ID.match(out["parties"][0]["identity"])
    dispute = Dispute.objects.get()
    assert dispute.number == out["number"]
    assert dispute.recorded_by == world.grid_worker
    event = dispute.events.get()
    assert (event.via, event.ip) == ("api", "10.1.2.3")
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=dispute.number).count() == 1


def _record(world, **kwargs: Any) -> Dispute:  # type: ignore[no-untyped-def]
    data = grid_input(world.grid.code, **kwargs)
    return record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute


def test_list_counts_up_to_the_cap_or_past_the_requested_page(world, client, settings):
    """A court's 300,000 disputes are not counted on every call (issue 16, P5): ``total`` is exact up to
    ``SUYUAN_LIST_COUNT_CAP`` or ``offset + limit``, whichever is further, and a flagged lower bound beyond."""
    settings.SUYUAN_LIST_COUNT_CAP = 2
    for i in range(5):
        _record(world, respondent_name=f"被申请人{i}")

    def page(**query: int) -> tuple[int, bool, int]:
        body = client.get(URL, query, **bearer(world.clerk)).json()
        return body["total"], body["total_capped"], len(body["items"])

    assert page(limit=1) == (2, True, 1)  # more than 2: a lower bound, and more pages
    assert page(limit=2, offset=1) == (3, True, 2)  # counted one past the page: still more
    assert page(limit=2, offset=3) == (5, False, 2)  # the page reaches the end: exact
    assert page(limit=10) == (5, False, 5)
    settings.SUYUAN_LIST_COUNT_CAP = 1000
    assert page(limit=1) == (5, False, 1)


def test_list_is_masked_and_paginated(world, client):
    first = _record(world, applicant_id=world.party_user.party.id_number)
    _record(world, amount="500", applicant_name="王五", respondent_name="赵六")
    response = client.get(URL, {"limit": 1}, **bearer(world.clerk))
    assert response.status_code == 200
    page = response.json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 0, 1)
    assert page["total_capped"] is False
    response = client.get(URL, {"limit": 1, "offset": 1, "sort": "-created_at"}, **bearer(world.clerk))
    assert response.json()["items"][0]["number"] == first.number
    # A clerk may see full data on the detail page, but a list is always masked.
    applicant = response.json()["items"][0]["parties"][0]
    assert applicant["name"] == "陈当事"
    assert MASKED_ID.match(applicant["identity"]), applicant
    assert applicant["identity"].endswith(world.party_user.party.id_number[-4:])
    assert applicant["phone"] == "139****0088"
    assert applicant["masked"] is True
    assert world.party_user.party.id_number not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.READ_PERSONAL_DATA).exists()


def test_list_query_count_does_not_grow_with_the_page(world, client, django_assert_max_num_queries):
    auth = bearer(world.clerk)
    _record(world)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL, **auth).status_code == 200
    for i in range(4):
        _record(world, amount=str(100 + i), applicant_name=f"甲{i}", respondent_name=f"乙{i}")
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(URL, **auth).json()["items"]) == 5


def test_list_filters_and_sorting(world, client):
    small = _record(world, amount="500", applicant_name="王五", respondent_name="赵六")
    large = _record(world, amount="90000")
    auth = bearer(world.clerk)

    def numbers(**params: Any) -> list[str]:
        response = client.get(URL, params, **auth)
        assert response.status_code == 200, response.content
        return [item["number"] for item in response.json()["items"]]

    assert numbers(sort="amount") == [small.number, large.number]
    assert numbers(sort="-amount") == [large.number, small.number]
    assert numbers(q=small.number) == [small.number]
    assert numbers(q="赵六") == [small.number]
    assert numbers(category="debt", channel="grid_worker", status="recorded", region_code="640202") == numbers(
        sort="-created_at"
    )
    assert numbers(category="family") == []
    assert numbers(region_code="640205") == []
    assert numbers(date_from="2999-01-01") == []
    assert len(numbers(date_to="2999-01-01", category="")) == 2  # an empty form field means "any"


def test_clerk_reads_full_personal_data_and_it_is_audited(world, client):
    dispute = _record(world, applicant_id=world.party_user.party.id_number)
    before = AuditEntry.objects.filter(action=AuditAction.READ_PERSONAL_DATA).count()
    response = client.get(f"{URL}/{dispute.number}", **bearer(world.clerk))
    assert response.status_code == 200
    applicant = response.json()["parties"][0]
    assert applicant["identity"] == world.party_user.party.id_number
    assert applicant["phone"] == "13900000088"
    assert applicant["masked"] is False
    audit = AuditEntry.objects.filter(action=AuditAction.READ_PERSONAL_DATA).order_by("-seq")
    assert audit.count() == before + 1
    entry = audit.first()
    assert (entry.actor, entry.target_id, entry.detail["via"]) == (world.clerk, dispute.number, "api")


def test_grid_worker_reads_masked_and_nothing_is_audited(world, client):
    dispute = _record(world)
    response = client.get(f"{URL}/{dispute.number}", **bearer(world.grid_worker))
    assert response.status_code == 200
    out = response.json()
    assert out["description"].startswith("2025年3月")
    assert all(p["masked"] for p in out["parties"])
    assert out["parties"][0]["phone"] == "139****0088"
    assert not AuditEntry.objects.filter(action=AuditAction.READ_PERSONAL_DATA).exists()


def test_timeline(world, client):
    dispute = _record(world)
    response = client.get(f"{URL}/{dispute.number}/timeline", **bearer(world.clerk))
    assert response.status_code == 200
    (event,) = response.json()
    assert event["seq"] == 1
    assert event["kind"] == "recorded"
    assert event["kind_label"] == "纠纷登记"
    assert event["actor_label"] == "王网格"
    assert event["actor_role"] == "grid_worker"
    assert event["via"] == "test"
    assert "管辖法院" in event["summary"]
    assert set(event) == {"seq", "kind", "kind_label", "at", "actor_label", "actor_role", "via", "summary"}


@pytest.mark.parametrize("who", ["other_clerk", "other_grid_worker", "sysadmin", "auditor"])
def test_out_of_scope_is_indistinguishable_from_unknown(world, client, who):
    dispute = _record(world)
    auth = bearer(getattr(world, who))
    for path in (f"{URL}/{dispute.number}", f"{URL}/{dispute.number}/timeline", f"{URL}/SY-1999-999999"):
        response = client.get(path, **auth)
        assert response.status_code == 404, path
        assert response.json() == NOT_FOUND
    listing = client.get(URL, **auth).json()
    assert listing["total"] == 0
    assert listing["items"] == []


def test_party_sees_only_their_own_disputes_and_their_own_data(world, client):
    own = _record(world, applicant_id=world.party_user.party.id_number)
    other = _record(world, applicant_name="王五", respondent_name="赵六")
    auth = bearer(world.party_user)
    listing = client.get(URL, **auth).json()
    assert [item["number"] for item in listing["items"]] == [own.number]
    assert client.get(f"{URL}/{other.number}", **auth).status_code == 404
    parties = client.get(f"{URL}/{own.number}", **auth).json()["parties"]
    applicant, respondent = parties
    assert applicant["identity"] == world.party_user.party.id_number
    assert applicant["masked"] is False
    assert respondent["masked"] is True
    assert MASKED_ID.match(respondent["identity"])


def test_a_role_without_the_channel_is_refused(world, client):
    response = post(client, bearer(world.sysadmin), body_of(grid_input(world.grid.code)))
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色不能通过该渠道登记纠纷。"
    assert Dispute.objects.count() == 0


def test_a_known_source_ref_returns_the_existing_dispute_only_to_someone_who_sees_it(world, client):
    data = grid_input(world.grid.code)
    data.source_ref = "BANK-2026-0001"
    first = post(client, bearer(world.grid_worker), body_of(data))
    assert first.status_code == 201
    again = post(client, bearer(world.grid_worker), body_of(data))
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    other = grid_input(world.other_grid.code)
    other.source_ref = "BANK-2026-0001"
    refused = post(client, bearer(world.other_grid_worker), body_of(other))
    assert refused.status_code == 409
    assert first.json()["number"] not in refused.content.decode()
    assert Dispute.objects.count() == 1
