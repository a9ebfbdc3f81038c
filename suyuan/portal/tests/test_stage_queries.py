"""The stage look-ups of the dispute page and the party's portal, asked only where a stage has rows
(``disputes.stage_rows``; issue 16, P5): one query answers for a page, what is shown is unchanged,
and the query count stays constant in the number of disputes at a later stage too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suyuan.disputes.models import Dispute
from suyuan.disputes.stage_rows import has_rows, load_stage_rows
from suyuan.documents.stage_rows import DOCUMENT_ROWS
from suyuan.mediation.choices import ConsentKind, ConsentVia
from suyuan.mediation.consent import record_consent
from suyuan.mediation.stage_rows import CONSENT_ROWS, REFERRAL_ROWS
from suyuan.mediation.tests.helpers import ORIGIN, accepted_referral, recorded_dispute, respondent_user
from suyuan.portal.selectors import cards

pytestmark = pytest.mark.django_db
ASK = ("consent", "告诉我们您是否同意调解")


def test_one_query_answers_a_page_of_disputes_and_other_instances_ask_as_before(world):
    referred = accepted_referral(world).dispute
    plain = recorded_dispute(world)
    page = list(Dispute.objects.filter(pk__in=[referred.pk, plain.pk]).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        load_stage_rows(page)
    assert len(queries) == 1
    assert has_rows(page[0], REFERRAL_ROWS)
    assert not has_rows(page[1], REFERRAL_ROWS) and not has_rows(page[1], DOCUMENT_ROWS)
    with CaptureQueriesContext(connection) as queries:
        load_stage_rows(page)  # already answered for these instances
    assert len(queries) == 0
    # An instance no page loaded answers True: its readers ask their tables as they always did.
    assert has_rows(plain, REFERRAL_ROWS)


def _actions(world) -> dict[int, list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    shown, _ = cards(world.party_user)
    return {c.dispute.pk: [(a.kind, a.title) for a in c.actions] for c in shown}


def test_the_cards_ask_for_consent_exactly_as_before_with_and_without_consent_rows(world):
    none_yet = recorded_dispute(world)  # no consent row at all: the table is skipped
    other_side = recorded_dispute(world)  # the respondent answered, the party not yet: rows, asked
    respondent = respondent_user(other_side)
    record_consent(actor=respondent, origin=ORIGIN, dispute_id=other_side.pk, party_id=respondent.party_id,
                   kind=ConsentKind.MEDIATION, given=True, via=ConsentVia.ONLINE)
    answered = recorded_dispute(world)
    record_consent(actor=world.party_user, origin=ORIGIN, dispute_id=answered.pk,
                   party_id=world.party_user.party_id, kind=ConsentKind.MEDIATION, given=True, via=ConsentVia.ONLINE)
    actions = _actions(world)
    assert ASK in actions[none_yet.pk]
    assert ASK in actions[other_side.pk]
    assert ASK not in actions[answered.pk]
    fresh = Dispute.objects.get(pk=other_side.pk)
    load_stage_rows([fresh])
    assert has_rows(fresh, CONSENT_ROWS) and not has_rows(fresh, DOCUMENT_ROWS)


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _mediated(world, n: int) -> Dispute:  # type: ignore[no-untyped-def]
    last = None
    for _ in range(n):
        last = accepted_referral(world).dispute
        record_consent(actor=world.party_user, origin=ORIGIN, dispute_id=last.pk,
                       party_id=world.party_user.party_id, kind=ConsentKind.MEDIATION, given=True,
                       via=ConsentVia.ONLINE)
    assert last is not None
    return last


def _pages(world, client, dispute: Dispute) -> dict[str, int]:  # type: ignore[no-untyped-def]
    client.force_login(world.clerk)
    counts = {"dispute page (clerk)": _count(client, reverse("disputes:detail", args=[dispute.number]))}
    client.force_login(world.party_user)
    counts["party portal"] = _count(client, reverse("portal:home"))
    counts["dispute page (party)"] = _count(client, reverse("disputes:detail", args=[dispute.number]))
    return counts


def test_pages_at_mediation_make_as_many_queries_with_25_disputes_as_with_10(world, client):
    # 10: a full page of cards (portal.selectors.CARDS_PER_PAGE), every one with a referral and consents.
    few = _pages(world, client, _mediated(world, 10))
    many = _pages(world, client, _mediated(world, 15))
    assert many == few
