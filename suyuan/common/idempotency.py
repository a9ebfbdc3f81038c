"""Idempotent API writes: a client that retries with the same ``Idempotency-Key`` gets the first answer.

A key belongs to one user. The first request with a key runs the work and stores its status and
body in ``IdempotencyRecord`` in the same transaction as the work, so either both are committed
or neither is. A replay with the same body gets the stored answer without doing the work again;
the same key with another body (or for another endpoint) is refused with 422 (``KeyReused``), as
the IETF draft "The Idempotency-Key HTTP Header Field" asks: the request is well-formed but cannot
be processed under that key.

Concurrency: the record row is inserted *before* the work. Two requests racing on one key meet at
the unique constraint (user, key): on PostgreSQL the second insert waits for the first
transaction and then fails, on SQLite the IMMEDIATE transaction mode queues the second writer at
BEGIN. Either way the loser never runs the work; it reads the winner's committed answer.

Only successful work is stored. A domain error rolls the transaction back, record included, so
a retry after fixing nothing fails the same way and a retry after a transient error can succeed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction

from .errors import Conflict, DomainError, InvalidInput
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
REUSED_KEY_MESSAGE = "该幂等键已用于不同的请求内容：重试请原样发送首次请求的内容，新的请求请使用新的幂等键。"


class KeyReused(DomainError):
    """The ``Idempotency-Key`` was already used for a different request (another body or endpoint)."""

    status_code = 422


@dataclass(frozen=True)
class Outcome:
    """The answer to an idempotent write: fresh (``replayed=False``) or stored."""

    status_code: int
    body: Any
    replayed: bool = False


class _LostRaceError(Exception):
    """Another request with the same key committed first."""


def request_hash(endpoint: str, payload: Any) -> str:
    """A digest of what was asked: the endpoint and the parsed body, key order ignored."""
    blob = json.dumps(
        {"endpoint": endpoint, "payload": payload}, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def clean_key(raw: str | None) -> str:
    """Return the key, or ``""`` when the client sent none; refuse keys we could not store."""
    key = (raw or "").strip()
    if len(key) > MAX_KEY_LENGTH:
        message = f"幂等键过长（不超过 {MAX_KEY_LENGTH} 个字符）。"
        raise InvalidInput(message, errors={HEADER: [message]})
    if key and not key.isprintable():
        message = "幂等键只能包含可打印字符。"
        raise InvalidInput(message, errors={HEADER: [message]})
    return key


def run_idempotent(
    *,
    user: AbstractBaseUser,
    key: str | None,
    endpoint: str,
    payload: Any,
    work: Callable[[], tuple[int, Any]],
) -> Outcome:
    """Run ``work`` (returning status and a JSON-serialisable body) at most once per user and key.

    Without a key the work simply runs. ``payload`` must be JSON-serialisable (the parsed body).
    """
    key = clean_key(key)
    if not key:
        status_code, body = work()
        return Outcome(status_code, body)
    digest = request_hash(endpoint, payload)
    stored = IdempotencyRecord.objects.filter(user_id=user.pk, key=key).first()
    if stored is not None:
        return _replay(stored, digest)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user_id=user.pk, key=key, endpoint=endpoint[:200], request_hash=digest,
                        status_code=0, response_body={},
                    )
            except IntegrityError as exc:
                raise _LostRaceError from exc
            status_code, body = work()
            record.status_code = status_code
            record.response_body = body
            record.save(update_fields=["status_code", "response_body"])
            return Outcome(status_code, body)
    except _LostRaceError:
        stored = IdempotencyRecord.objects.filter(user_id=user.pk, key=key).first()
        if stored is None:  # pragma: no cover - the winner's row is committed before we fail
            raise Conflict("该请求正在处理中，请稍后重试。") from None
        return _replay(stored, digest)


def _replay(stored: IdempotencyRecord, digest: str) -> Outcome:
    if stored.request_hash != digest:
        raise KeyReused(REUSED_KEY_MESSAGE, errors={HEADER: [REUSED_KEY_MESSAGE]})
    return Outcome(stored.status_code, stored.response_body, replayed=True)
