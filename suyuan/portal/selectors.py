"""Reads of the portal, always through the party's own scope (``disputes.selectors.visible_disputes``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import NotFound
from suyuan.common.masking import scrub
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.models import Clock, Dispute, DisputeEvent, DisputeParty, Evidence
from suyuan.disputes.party_actions import PartyAction, party_actions
from suyuan.disputes.progress import Progress, progress_of
from suyuan.disputes.selectors import get_visible_dispute, timeline, visible_disputes
from suyuan.disputes.stage_rows import load_stage_rows
from suyuan.documents.models import Document
from suyuan.documents.selectors import documents_of
from suyuan.notices.models import Notification
from suyuan.notices.selectors import inbox

from .actions import OWN_PARTY_ROWS
from .glossary import Term, terms_in
from .models import AccessCode

# Timeline events that are process nodes the public page may show (by title and date only). Assets,
# credit measures, preservation and grid-worker tasks are left out: they could warn a debtor.
PUBLIC_KINDS = ("recorded", "dispute.", "referral.accept", "referral.open_session", "agreement.take_effect",
                "case.filed", "case.register", "case.start_trial", "case.refer_to_mediation", "case.judge",
                "case.settle", "case.withdraw", "case.refuse", "confirmation.", "enforcement.registered",
                "enforcement.complete", "enforcement.end_round")


def my_disputes(user: User) -> QuerySet[Dispute]:
    """A party's own disputes (as a party or as the one who recorded them), newest first."""
    if user.role != Role.PARTY:
        return Dispute.objects.none()
    return visible_disputes(user).select_related(
        "court", "handling_organisation", "mediator").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class Card:
    dispute: Dispute
    progress: Progress
    actions: list[PartyAction]

    @property
    def next_action(self) -> PartyAction | None:
        return self.actions[0] if self.actions else None


# Cards per page of 我的纠纷: each card asks every stage app for the party's actions, so the page is
# bounded by this, not by how many disputes the party has (a bank's account may have thousands).
CARDS_PER_PAGE = 10


def cards(user: User, *, today: date | None = None, page: str | int | None = None) -> tuple[list[Card], Page]:
    # The page's timelines and open clocks in two queries for all its cards, not two per card; the
    # party's own rows on them (``actions.OWN_PARTY_ROWS``) in one, and which stage tables hold rows
    # on them in one more (``disputes.stage_rows``): a card's actions then ask only the stages it has.
    disputes = my_disputes(user).prefetch_related(
        Prefetch("events", queryset=DisputeEvent.objects.only("dispute_id", "seq", "kind", "at")),
        Prefetch("clocks", queryset=Clock.objects.filter(status=ClockStatus.OPEN)),
        Prefetch("dispute_parties", to_attr=OWN_PARTY_ROWS, queryset=DisputeParty.objects.filter(
            party_id=user.party_id) if user.party_id is not None else DisputeParty.objects.none()),
    )
    shown = Paginator(disputes, CARDS_PER_PAGE).get_page(page)
    load_stage_rows(shown.object_list)
    return [Card(d, progress_of(d, today=today, events=d.events.all(), clocks=d.clocks.all()), party_actions(user, d))
            for d in shown], shown


@dataclass(frozen=True)
class Overview:
    card: Card
    documents: list[Document]
    evidence: list[Evidence]
    messages: list[Notification]
    events: list[DisputeEvent]
    glossary: list[Term]
    has_code: bool


def overview(user: User, number: str) -> Overview:
    """The party's page of one dispute; NotFound (404) for anything not their own."""
    if user.role != Role.PARTY:
        raise NotFound()
    dispute = get_visible_dispute(user, number)
    load_stage_rows([dispute])  # read-only page: the actions ask only the stages with rows on it
    card = Card(dispute, progress_of(dispute), party_actions(user, dispute))
    texts = [card.progress.next_text, *(a.title + a.explanation for a in card.actions),
             *(s.label for s in card.progress.steps)]
    return Overview(
        card=card,
        documents=list(documents_of(dispute)),
        evidence=list(dispute.evidence.all()),
        messages=list(inbox(user).filter(dispute=dispute)[:10]),
        events=list(timeline(dispute).order_by("-seq")[:30]),
        glossary=terms_in(*texts),
        has_code=user.party_id is not None
        and AccessCode.objects.filter(dispute=dispute, party_id=user.party_id).exists(),
    )


@dataclass(frozen=True)
class PublicNode:
    title: str
    on: date


@dataclass(frozen=True)
class PublicView:
    """What the public page shows: no names, ID numbers, phones, addresses, amounts or free text."""

    number: str
    category: str
    court: str
    stage: str
    progress: Progress
    nodes: list[PublicNode]


def public_view(dispute: Dispute) -> PublicView:
    nodes = [
        PublicNode(scrub(e.kind_label), timezone.localdate(e.at))
        for e in timeline(dispute) if e.kind.startswith(PUBLIC_KINDS) and e.kind_label
    ]
    progress = progress_of(dispute)
    return PublicView(number=dispute.number, category=dispute.get_category_display(), court=dispute.court.name,
                      stage=progress.stage, progress=progress, nodes=nodes)
