"""The JSON API, version 1: one NinjaAPI, one router per app, domain errors mapped here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from suyuan.common.errors import DomainError

api = NinjaAPI(
    title="诉源 Suyuan API",
    version="1",
    description="纠纷登记、查询与时间线接口。认证：会话（浏览器）或 Bearer 令牌（POST /api/v1/auth/token）。",
    urls_namespace="api-v1",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "errors": exc.errors}, status=exc.status_code
    )
