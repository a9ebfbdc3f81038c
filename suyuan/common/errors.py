"""Domain errors: plain exceptions carrying a message a user can read (Simplified Chinese).

Services raise them; ``suyuan.common.middleware`` (pages) and ``suyuan.common.api`` (JSON) are the
one place that maps them to HTTP status codes.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class. ``message`` is shown to the user as is."""

    status_code = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DomainError):
    """Input failed validation at the boundary; ``errors`` maps field names to messages."""

    status_code = 400


class NotPermitted(DomainError):
    """The actor's role or scope does not allow this read or write."""

    status_code = 403

    def __init__(self, message: str = "您无权执行此操作。", **kwargs: object) -> None:
        super().__init__(message)


class NotFound(DomainError):
    """The object does not exist, or is outside the actor's scope (we do not say which)."""

    status_code = 404

    def __init__(self, message: str = "未找到该记录，或您无权查看。", **kwargs: object) -> None:
        super().__init__(message)


class Conflict(DomainError):
    """Someone else changed the object first, or the request repeats a conflicting one."""

    status_code = 409
