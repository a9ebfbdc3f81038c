"""Video meetings for online mediation sessions, behind an adapter (DESIGN §4: adapters for everything outside).

``settings.SUYUAN_VIDEO_MEETING_ADAPTER`` names the class (dotted path); the default is the local
implementation, which needs no network: it issues a unique meeting URL on this server and records
the room in ``LocalMeeting``. A production adapter (a court's video platform) implements the same
``create_meeting``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from .models import LocalMeeting

DEFAULT_ADAPTER = "suyuan.mediation.adapters.LocalVideoMeetingAdapter"


@dataclass(frozen=True)
class Meeting:
    url: str
    ref: str
    provider: str


class VideoMeetingAdapter(Protocol):
    provider: str

    def create_meeting(self, *, topic: str, starts_at: datetime) -> Meeting:
        """Book a room and return its join URL; called inside the session's transaction."""
        ...


class LocalVideoMeetingAdapter:
    """A meeting room on this server (``/mediation/meetings/<ref>/``), for development and tests."""

    provider = "local"

    def create_meeting(self, *, topic: str, starts_at: datetime) -> Meeting:
        ref = "SY-" + secrets.token_hex(8)
        url = reverse("mediation:meeting", args=[ref])
        LocalMeeting.objects.create(ref=ref, url=url, topic=topic[:200], starts_at=starts_at)
        return Meeting(url=url, ref=ref, provider=self.provider)


def video_meetings() -> VideoMeetingAdapter:
    cls = import_string(getattr(settings, "SUYUAN_VIDEO_MEETING_ADAPTER", DEFAULT_ADAPTER))
    adapter: VideoMeetingAdapter = cls()
    return adapter
