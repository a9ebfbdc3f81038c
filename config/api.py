"""The JSON API, version 1: one NinjaAPI, one router per app, every error mapped here to HTTP.

Errors always have the same shape, ``{"detail": "<Chinese message>", "errors": {field: [messages]}}``:
domain errors keep their status (400, 403, 404, 409; 422 for a reused Idempotency-Key),
a body or query of the wrong type is 422,
a missing or bad credential 401.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from suyuan.accounts.api import API_AUTH
from suyuan.accounts.api import router as auth_router
from suyuan.common.errors import DomainError, NotFound
from suyuan.disputes.api import router as disputes_router

# Swagger UI shows each response's description next to its status code: say it in Chinese.
RESPONSE_DESCRIPTIONS = {
    "200": "成功",
    "201": "已登记",
    "400": "输入有误（逐项说明见 errors）",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "不存在，或无权查看",
    "409": "冲突（如记录已被他人修改）",
    "422": "数据格式错误，或幂等键已用于不同的请求内容（逐项说明见 errors）",
    "429": "登录失败次数过多，账户已锁定",
}


class SuyuanAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    response["description"] = RESPONSE_DESCRIPTIONS.get(str(code), response["description"])
        return schema


api = SuyuanAPI(
    title="诉源 Suyuan API",
    version="1",
    description=(
        "纠纷登记、查询与时间线接口。\n\n"
        "认证：浏览器使用登录会话（写操作需带 CSRF 令牌）；程序先调用 `POST /api/v1/auth/token` 换取令牌，"
        "再在请求头中携带 `Authorization: Bearer <令牌>`。\n\n"
        "错误响应统一为 `{\"detail\": 说明, \"errors\": {字段: [提示]}}`：400 输入有误，401 未认证，"
        "403 无权操作，404 不存在或无权查看，409 冲突，422 数据格式错误，429 登录失败次数过多。"
    ),
    urls_namespace="api-v1",
    auth=API_AUTH,
    # Swagger UI from ninja's own static files: the docs work on a network without the internet.
    docs=Swagger(settings={"persistAuthorization": True, "displayRequestDuration": True}),
)
api.add_router("/auth", auth_router)
api.add_router("/disputes", disputes_router)


def _error(request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status_code, exc.message, exc.errors)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, NotFound().message)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "未登录或令牌无效：请先登录，或在请求头中提供有效的 Bearer 令牌。")
    response["WWW-Authenticate"] = 'Bearer realm="suyuan"'
    return response


BODY_NOT_JSON = "请求内容不是有效的 JSON。"
HTTP_MESSAGES = {
    400: "请求有误。",
    401: "未登录或令牌无效。",
    403: "您无权执行此操作。",
    404: NotFound().message,
    405: "不支持该请求方法。",
    429: "请求过于频繁，请稍后再试。",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and "parse request body" in exc.message:
        return _error(request, 400, BODY_NOT_JSON, {"body": [BODY_NOT_JSON]})
    return _error(request, exc.status_code, HTTP_MESSAGES.get(exc.status_code, "请求无法处理。"))


# Pydantic error types → what a clerk reading the response should be told.
VALIDATION_MESSAGES = {
    "missing": "此项必填。",
    "string_type": "应为文本。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
    "float_type": "应为数字。",
    "float_parsing": "应为数字。",
    "decimal_type": "应为数字（单位：元）。",
    "decimal_parsing": "应为数字（单位：元）。",
    "decimal_max_places": "最多保留两位小数。",
    "finite_number": "应为有限的数字。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "date_type": "应为日期（YYYY-MM-DD）。",
    "date_parsing": "应为日期（YYYY-MM-DD）。",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）。",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不含时间。",
    "datetime_type": "应为日期时间。",
    "datetime_parsing": "应为日期时间。",
    "list_type": "应为列表。",
    "dict_type": "应为对象。",
    "model_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "enum": "取值无效。",
    "literal_error": "取值无效。",
    "json_invalid": "请求内容不是有效的 JSON。",
    "json_type": "请求内容不是有效的 JSON。",
    "greater_than_equal": "数值过小。",
    "less_than_equal": "数值过大。",
    "string_too_long": "内容过长。",
    "string_too_short": "内容过短。",
    "too_long": "条目过多。",
    "too_short": "条目过少。",
    "extra_forbidden": "不支持该字段。",
}

# The first items of a location name the parameter source (and the body argument), not the field.
_LOCATION_ROOTS = {"body": 2, "query": 1, "path": 1, "header": 1, "cookie": 1, "form": 1, "file": 1}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in _LOCATION_ROOTS:
        parts = parts[_LOCATION_ROOTS[parts[0]] :]
    return ".".join(str(p) for p in parts) or "body"


def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    message = VALIDATION_MESSAGES.get(kind, "格式不正确。")
    ctx = error.get("ctx") or {}
    if kind in {"enum", "literal_error"} and ctx.get("expected"):
        message = f"取值无效，可选值：{ctx['expected']}。"
    elif kind == "string_too_long" and "max_length" in ctx:
        message = f"内容过长（不超过 {ctx['max_length']} 个字符）。"
    elif kind == "too_long" and "max_length" in ctx:
        message = f"条目过多（不超过 {ctx['max_length']} 项）。"
    elif kind == "greater_than_equal" and "ge" in ctx:
        message = f"应不小于 {ctx['ge']}。"
    elif kind == "less_than_equal" and "le" in ctx:
        message = f"应不大于 {ctx['le']}。"
    return message


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        if error.get("type") in {"json_invalid", "json_type"}:
            errors.setdefault("body", []).append(VALIDATION_MESSAGES["json_invalid"])
            continue
        field = _field_name(error.get("loc", ()))
        message = _validation_message(error)
        if message not in errors.get(field, []):
            errors.setdefault(field, []).append(message)
    return _error(request, 422, "提交的数据格式有误，请按提示修改。", errors)
