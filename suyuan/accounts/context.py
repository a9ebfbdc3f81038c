"""Who is acting and from where: passed to every service so events and audit rows say so."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an act came from: ``via`` is web / api / command / worker; ``ip`` when known."""

    via: str = "command"
    ip: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, *, via: str = "web") -> Origin:
        # Behind a reverse proxy REMOTE_ADDR is the proxy; the deployment guide sets the proxy to
        # overwrite (not append) X-Real-IP, which is then trusted.
        ip = request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or ""
        return cls(via=via, ip=ip[:64])


COMMAND = Origin(via="command")
WORKER = Origin(via="worker")
