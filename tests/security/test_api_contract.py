"""Regression tests for what the API fuzzer (test_api_fuzz.py) found: the OpenAPI document must
declare every status an operation can answer, so clients (and the fuzzer) can rely on it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _operations(client):  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_with_input_documents_400_and_422(client):
    for name, operation in _operations(client):
        if "requestBody" in operation:
            assert {"400", "422"} <= set(operation["responses"]), name
        elif operation.get("parameters"):
            assert "422" in operation["responses"], name


def test_every_authenticated_operation_documents_401(client):
    for name, operation in _operations(client):
        if operation.get("security"):
            assert "401" in operation["responses"], name


def test_amounts_are_documented_as_decimal_strings_or_numbers(client):
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for name in ("ClaimIn", "DisputeCreate"):
        variants = schemas[name]["properties"]["amount"]["anyOf"]
        strings = [v for v in variants if v.get("type") == "string"]
        assert strings and all("pattern" in v for v in strings), (name, variants)


def test_an_amount_string_outside_the_pattern_is_a_422_and_inside_it_parses(client, world):
    from suyuan.accounts.context import Origin
    from suyuan.accounts.services import issue_api_token

    token = issue_api_token(user=world.grid_worker, origin=Origin(via="test"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"channel": "grid_worker", "category": "debt", "description": "x", "region_code": "",
            "parties": [], "claims": [{"text": "t", "amount": "十元"}]}
    response = client.post("/api/v1/disputes", body, content_type="application/json", **auth)
    assert response.status_code == 422
    assert "claims.0.amount" in response.json()["errors"]
    body["claims"][0]["amount"] = "-0012.345"
    response = client.post("/api/v1/disputes", body, content_type="application/json", **auth)
    assert response.status_code == 400  # parsed; the service then explains sign and cents in Chinese
    assert "claims" in response.json()["errors"] or "amount" in str(response.json()["errors"])


def test_filters_a_search_form_sends_empty_are_documented_as_such(client, world):
    from suyuan.accounts.context import Origin
    from suyuan.accounts.services import issue_api_token

    doc = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in doc["paths"]["/api/v1/disputes"]["get"]["parameters"]}
    for name in ("status", "category", "channel", "date_from", "date_to"):
        variants = params[name]["schema"]["anyOf"]
        assert {"type": "string", "enum": [""]} in variants, (name, variants)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=world.clerk, origin=Origin(via='test'))}"}
    assert client.get("/api/v1/disputes?channel=&status=&date_from=", **auth).status_code == 200
    assert client.get("/api/v1/disputes?channel=fax", **auth).status_code == 422


@pytest.mark.parametrize("where", ["query", "path", "body", "page"])
def test_a_nul_character_is_a_400_in_chinese_not_a_database_error(client, world, where):
    from suyuan.accounts.context import Origin
    from suyuan.accounts.services import issue_api_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=world.clerk, origin=Origin(via='test'))}"}
    if where == "query":
        response = client.get("/api/v1/disputes?q=%E5%BC%A0%00", **auth)
    elif where == "path":
        response = client.get("/api/v1/disputes/SY-2026-%00/timeline", **auth)
    elif where == "body":
        response = client.post("/api/v1/disputes", '{"description": "a\\u0000b"}', content_type="application/json",
                               **auth)
    else:
        client.force_login(world.clerk)
        response = client.get("/disputes/list/?q=%00")
    assert response.status_code == 400
    text = response.json()["detail"] if where != "page" else response.content.decode()
    assert "空字符" in text


def test_percent_zero_zero_as_text_in_a_json_body_is_not_a_nul(client, world):
    from suyuan.accounts.context import Origin
    from suyuan.accounts.services import issue_api_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=world.clerk, origin=Origin(via='test'))}"}
    response = client.post("/api/v1/disputes", '{"description": "利率 100%00"}', content_type="application/json",
                           **auth)
    assert response.status_code == 422  # the schema's answer (fields missing), not the NUL refusal
    assert "空字符" not in response.json()["detail"]


def test_an_offset_beyond_any_page_is_a_422_not_a_database_error(client, world):
    from suyuan.accounts.context import Origin
    from suyuan.accounts.services import issue_api_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=world.clerk, origin=Origin(via='test'))}"}
    response = client.get(f"/api/v1/disputes?offset={2**63}", **auth)
    assert response.status_code == 422
    assert "offset" in response.json()["errors"]
    assert client.get("/api/v1/disputes?offset=1000000000", **auth).json()["items"] == []
