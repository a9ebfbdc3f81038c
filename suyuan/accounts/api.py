"""API authentication: the browser's session cookie (with CSRF) and bearer tokens for programs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from suyuan.common.errors import NotPermitted

from .choices import Role
from .context import Origin
from .models import ApiToken, User
from .second_factor import check_api_code
from .selectors import user_for_token
from .services import issue_api_token

CSRF_FAILED_MESSAGE = "CSRF 校验失败，请刷新页面后重试；程序调用请使用 Bearer 令牌。"
BAD_CREDENTIALS_MESSAGE = "用户名或密码错误。"


class BearerToken(HttpBearer):
    """``Authorization: Bearer sy_...`` as issued by ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token.strip()) if token.strip() else None
        if user is not None:
            request.user = user
        return user


class SessionCookie(APIKeyCookie):
    """The signed-in browser session. Unsafe methods need the CSRF token, as on the pages.

    Unlike ninja's ``django_auth`` this checks CSRF only once a session user is present, so an
    anonymous call is answered 401 (not 403) and a bearer-token call is never asked for CSRF.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise NotPermitted(CSRF_FAILED_MESSAGE)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


# Bearer first: a program that sends a token must not be asked for a browser's CSRF token.
API_AUTH = [BearerToken(), SessionCookie()]

router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, description="用户名")
    password: str = Field(..., min_length=1, max_length=256, description="密码")
    name: str = Field("API", max_length=100, description="令牌用途（如：某银行批量立案系统）")
    otp: str = Field("", max_length=12, description="动态口令（法官、系统管理员、安全管理员、安全审计员必填）")


class TokenOut(Schema):
    token: str = Field(..., description="令牌，仅返回一次，请妥善保存")
    token_type: str = Field("Bearer", description="令牌类型")
    expires_at: datetime = Field(..., description="到期时间")


class ErrorOut(Schema):
    detail: str = Field(..., description="错误说明")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="逐项错误说明（字段名 → 提示）")


class OrganisationOut(Schema):
    id: int
    name: str = Field(..., description="单位名称")
    kind: str = Field(..., description="单位类型代码")
    kind_label: str = Field(..., description="单位类型")
    court_code: str = Field("", description="法院代码（法院单位）")


class MeOut(Schema):
    username: str
    full_name: str = Field(..., description="姓名")
    role: Role = Field(..., description="角色代码")
    role_label: str = Field(..., description="角色")
    organisation: OrganisationOut | None = Field(None, description="所属单位；当事人为空")


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="签发接口令牌",
    description=(
        "用用户名和密码换取 Bearer 令牌（有效期 30 天）；法官、管理员和审计员还须提供当前动态口令（otp）。"
        "连续 5 次密码错误后账户将被锁定一段时间，"
        "期间本接口返回 429。"
    ),
)
def issue_token(request: HttpRequest, payload: TokenIn, response: HttpResponse) -> Any:
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # We answer the lockout ourselves, in JSON; clearing the flag keeps AxesMiddleware from
        # replacing this answer with its HTML lockout page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        cool_off = get_cool_off(request)
        if cool_off is None:
            return Status(429, {"detail": "登录失败次数过多，账户已被锁定，请联系管理员解锁。"})
        minutes = max(1, round(cool_off.total_seconds() / 60))
        response["Retry-After"] = str(int(cool_off.total_seconds()))
        return Status(429, {"detail": f"登录失败次数过多，账户已被锁定，请 {minutes} 分钟后再试或联系管理员。"})
    if user is None or not user.is_active:
        return Status(401, {"detail": BAD_CREDENTIALS_MESSAGE})
    refusal = check_api_code(user, payload.otp)
    if refusal is not None:
        return Status(401, {"detail": refusal, "errors": {"otp": [refusal]}})
    raw = issue_api_token(user=user, origin=Origin.from_request(request, via="api"), name=payload.name.strip() or "API")
    token = ApiToken.objects.get(token_hash=ApiToken.hash(raw))
    return TokenOut(token=raw, token_type="Bearer", expires_at=token.expires_at)  # noqa: S106 - the scheme name


@router.get(
    "/me", response={200: MeOut, 400: ErrorOut, 401: ErrorOut}, summary="当前用户",
    description="返回当前用户的角色和所属单位。",
)
def me(request: HttpRequest) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    org = user.organisation
    return MeOut(
        username=user.username,
        full_name=user.display_name,
        role=Role(user.role),
        role_label=Role(user.role).label,
        organisation=(
            OrganisationOut(
                id=org.pk, name=org.name, kind=org.kind, kind_label=org.get_kind_display(),
                court_code=org.court_code,
            )
            if org is not None
            else None
        ),
    )
