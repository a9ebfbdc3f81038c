"""The signed-in actor of a request, for the views of every app."""

from __future__ import annotations

from django.http import HttpRequest

from suyuan.common.errors import NotPermitted

from .choices import CASE_ROLES
from .models import User


def request_user(request: HttpRequest) -> User:
    """The request's user (the view is behind ``login_required`` or the role middleware)."""
    user = request.user
    assert isinstance(user, User)
    return user


def case_user(request: HttpRequest, what: str = "案件内容") -> User:
    """The request's user, who must hold a role that reads case content: the system, security and
    audit administrators do not (三员分立), whatever their scope."""
    user = request_user(request)
    if user.role not in CASE_ROLES:
        raise NotPermitted(f"系统管理、安全管理和审计岗位不查看{what}（三员分立）。")
    return user
