"""The OpenAPI document and the interactive docs, which must work without the internet."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_openapi_document_lists_every_operation_with_chinese_summaries(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) >= {
        "/api/v1/auth/token",
        "/api/v1/auth/me",
        "/api/v1/disputes",
        "/api/v1/disputes/{number}",
        "/api/v1/disputes/{number}/timeline",
    }
    assert set(doc["paths"]["/api/v1/disputes"]) == {"get", "post"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert CJK.search(operation["summary"]), (method, path)
            for code, response in operation["responses"].items():
                assert CJK.search(response["description"]), (method, path, code)
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    create = doc["paths"]["/api/v1/disputes"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert "201" in create["responses"]


def test_docs_page_uses_only_local_assets(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        # The files are shipped with the package, found by the static files finders.
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "cdn" not in html.lower()
    assert not re.search(r"https?://", html)
    assert "/api/v1/openapi.json" in html
