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
