"""Bad input over the API: a Chinese message per field, the right status, nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from suyuan.disputes.models import Dispute
from suyuan.disputes.tests.test_api import URL, bearer, body_of, post
from suyuan.parties.models import Party
from suyuan.testing.disputes import grid_input


@pytest.fixture
def send(world, client):  # type: ignore[no-untyped-def]
    auth = bearer(world.grid_worker)
    body = body_of(grid_input(world.grid.code))

    def _send(changes: dict[str, Any] | None = None, raw: str | None = None):  # type: ignore[no-untyped-def]
        response = post(client, auth, raw if raw is not None else {**body, **(changes or {})})
        assert Dispute.objects.count() == 0
        assert Party.objects.filter(name="李四").count() == 0  # no half-written parties either
        return response.status_code, response.json()

    return _send


def test_invalid_id_number_and_negative_amount_are_400_with_every_field(send, world):
    body = body_of(grid_input(world.grid.code))
    body["parties"][0]["id_number"] = "640202198503120011"  # wrong check digit
    status, out = send({"parties": body["parties"], "amount": "-5"})
    assert status == 400
    assert out["detail"] == "提交的信息有误，请按提示修改。"
    assert "校验位" in " ".join(out["errors"]["parties.0.id_number"])
    assert out["errors"]["amount"] == ["标的额不能为负数。"]


def test_missing_authority_and_short_description_are_400(send):
    status, out = send({"authority_kind": None, "description": "太短"})
    assert status == 400
    assert "authority_kind" in out["errors"]
    assert "description" in out["errors"]


def test_a_future_date_is_400(send):
    status, out = send({"occurred_on": "2999-01-01"})
    assert status == 400
    assert out["errors"]["occurred_on"] == ["纠纷发生日期不能晚于今天。"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "一万二"}, "amount", "应为数字（单位：元）。"),
        ({"amount": [1]}, "amount", "应为数字（单位：元）。"),
        ({"description": 123}, "description", "应为文本。"),
        ({"parties": "陈当事"}, "parties", "应为列表。"),
        ({"occurred_on": "2025/03/01"}, "occurred_on", "应为日期（YYYY-MM-DD）。"),
        ({"region_code": None}, "region_code", "应为文本。"),
        ({"claims": [{"amount": "1"}]}, "claims.0.text", "此项必填。"),
    ],
)
def test_wrong_types_are_422_in_chinese(send, changes, field, message):
    status, out = send(changes)
    assert status == 422
    assert out["detail"] == "提交的数据格式有误，请按提示修改。"
    assert out["errors"][field] == [message]


def test_missing_and_unknown_choices_are_422(send, world):
    body = body_of(grid_input(world.grid.code))
    del body["category"]
    status, out = send(raw=json.dumps({**body, "channel": "fax"}))
    assert status == 422
    assert out["errors"]["category"] == ["此项必填。"]
    assert out["errors"]["channel"][0].startswith("取值无效，可选值：")


def test_a_body_that_is_not_json_is_400(send):
    status, out = send(raw="{not json")
    assert status == 400
    assert out["errors"] == {"body": ["请求内容不是有效的 JSON。"]}


def test_bad_list_parameters_are_422(world, client):
    response = client.get(URL, {"limit": 1000, "offset": -1, "date_from": "昨天"}, **bearer(world.clerk))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["limit"] == ["应不大于 100。"]
    assert errors["offset"] == ["应不小于 0。"]
    assert errors["date_from"] == ["应为日期（YYYY-MM-DD）。"]


def test_without_credentials_is_401_in_chinese(world, client):
    for response in (client.get(URL), client.post(URL, data="{}", content_type="application/json")):
        assert response.status_code == 401
        assert response.json()["detail"].startswith("未登录或令牌无效")
        assert response["WWW-Authenticate"].startswith("Bearer")
    response = client.get(URL, HTTP_AUTHORIZATION="Bearer sy_not-a-real-token")
    assert response.status_code == 401
