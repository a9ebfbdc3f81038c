"""Who a timeline event concerns, and through which channels each of them hears of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.phones import clean_phone
from suyuan.disputes.models import DisputeEvent
from suyuan.parties.models import Party

from .choices import NoticeChannel
from .models import NoticePreference

PARTIES, MEDIATOR, RECORDER = "parties", "mediator", "recorder"

# Who hears of each event kind. Parties hear of every step of their dispute; the mediator of what
# they must act on; the recorder (grid worker, window clerk) of what they started and must check.
# A workflow step not listed goes to all three; an unknown intake kind to the parties.
AUDIENCE: dict[str, frozenset[str]] = {
    "recorded": frozenset({PARTIES}),
    "evidence_added": frozenset({MEDIATOR, RECORDER}),
    "details_updated": frozenset({PARTIES, MEDIATOR}),
    "duplicate_suspected": frozenset({RECORDER}),
    "triage_decided": frozenset({PARTIES, MEDIATOR}),
    # A reminder is for whoever still has to act in time; once overdue, the staff must act.
    "clock.reminder": frozenset({PARTIES, MEDIATOR}),
    "clock.overdue": frozenset({MEDIATOR, RECORDER}),
    "clock.extend": frozenset({PARTIES, MEDIATOR}),
    # The integrity app's review hints are for the court (its pages and the timeline), not pushed:
    # a duplicate-suit or group hint is not a decision, and an SMS to every respondent of a bank's
    # batch would only alarm. The mediator hears what bears on the mediation they run.
    "integrity.duplicate_found": frozenset(),
    "integrity.duplicate_decided": frozenset(),
    "integrity.group_joined": frozenset(),
    "integrity.group_linked": frozenset({MEDIATOR}),
    "integrity.demonstration_marked": frozenset({MEDIATOR}),
    "integrity.demonstration_outcome": frozenset({MEDIATOR}),
    # Assistance tasks (locate a debtor, check property on site) are not announced to the parties.
    **{f"assist_task.{a}": frozenset() for a in ("assigned", "accept", "return", "report", "send_back", "close",
                                                  "cancel")},
}
# Clocks the court keeps for its own work (a grid worker's task to locate a debtor, the end of a
# freeze): their reminders and overdue notices go to staff only, so a debtor is not tipped off.
# Stage apps register their rule names from ``AppConfig.ready``.
_STAFF_ONLY_CLOCKS: set[str] = set()


def register_staff_only_clock(rule: str) -> None:
    _STAFF_ONLY_CLOCKS.add(rule)


def register_audience(kind: str, wanted: frozenset[str]) -> None:
    """A higher app's event kind with its own audience (e.g. ``frozenset()``: it writes its own
    targeted notices, as a complaint must not be announced to the other party)."""
    AUDIENCE[kind] = wanted


WORKFLOW_AUDIENCE = frozenset({PARTIES, MEDIATOR, RECORDER})
DEFAULT_AUDIENCE = frozenset({PARTIES})
# Without a saved preference, SMS goes to those who are not at a desk all day.
SMS_BY_DEFAULT = frozenset({Role.PARTY, Role.MEDIATOR, Role.GRID_WORKER})


def audience(kind: str, *, rule: str = "") -> frozenset[str]:
    if kind in AUDIENCE:
        wanted = AUDIENCE[kind]
        if kind.startswith("clock.") and rule in _STAFF_ONLY_CLOCKS:
            return wanted - {PARTIES}
        return wanted
    return WORKFLOW_AUDIENCE if "." in kind else DEFAULT_AUDIENCE


@dataclass
class Recipient:
    """A user (inbox and their chosen channels) or a party without an account (SMS only)."""

    user: User | None = None
    party: Party | None = None
    channels: list[tuple[str, str]] = field(default_factory=list)  # (channel, address)

    @property
    def key(self) -> str:
        return f"u{self.user.pk}" if self.user is not None else f"p{self.party.pk}"  # type: ignore[union-attr]


def mobile_or_blank(value: str) -> str:
    try:
        return clean_phone(value, mobile_only=True) if value else ""
    except ValueError:
        return ""


def channels_for_user(
    user: User, *, phone: str = "", preferences: dict[int, NoticePreference | None] | None = None
) -> list[tuple[str, str]]:
    """``preferences``: the users' preferences already read (a batch of events), filled as met."""
    if preferences is not None and user.pk in preferences:
        preference = preferences[user.pk]
    else:
        preference = NoticePreference.objects.filter(user=user).first()
        if preferences is not None:
            preferences[user.pk] = preference
    wants_sms = preference.sms if preference is not None else user.role in SMS_BY_DEFAULT
    wants_email = preference.email if preference is not None else False
    channels: list[tuple[str, str]] = [(NoticeChannel.INBOX, "")]
    mobile = mobile_or_blank(user.phone or phone)
    if wants_sms and mobile:
        channels.append((NoticeChannel.SMS, mobile))
    if wants_email and user.email:
        channels.append((NoticeChannel.EMAIL, user.email))
    return channels


def recipients_of(
    event: DisputeEvent, *, preferences: dict[int, NoticePreference | None] | None = None
) -> list[Recipient]:
    """Everyone the event concerns except the person who caused it, each once."""
    dispute = event.dispute
    wanted = audience(event.kind, rule=str((event.data or {}).get("rule", "")))
    found: dict[str, Recipient] = {}

    def add_user(user: User | None, *, phone: str = "") -> None:
        if user is None or not user.is_active or user.pk == event.actor_id:
            return
        key = f"u{user.pk}"
        if key not in found:
            found[key] = Recipient(user=user, channels=channels_for_user(user, phone=phone, preferences=preferences))

    if PARTIES in wanted:
        # The intake keeps the parties it has just written on the dispute (with their accounts).
        rows = getattr(dispute, "_prefetched_objects_cache", {}).get("dispute_parties")
        if rows is None:
            rows = dispute.dispute_parties.select_related("party", "party__user")
        for row in rows:
            party = row.party
            user = getattr(party, "user", None)
            if user is not None:
                add_user(user, phone=party.phone)
            elif (mobile := mobile_or_blank(party.phone)) and f"p{party.pk}" not in found:
                found[f"p{party.pk}"] = Recipient(party=party, channels=[(NoticeChannel.SMS, mobile)])
    if MEDIATOR in wanted and dispute.mediator_id:
        mediator = dispute.mediator
        add_user(mediator.user if mediator is not None else None, phone=mediator.phone if mediator else "")
    if RECORDER in wanted and dispute.recorded_by.role != Role.PARTY:
        add_user(dispute.recorded_by)
    return list(found.values())
