"""Saved queue views, the queue's Excel export (masked) and its constant query count."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.disputes.models import Dispute, SavedQueueView
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import make_id_number

pytestmark = pytest.mark.django_db


def _record(world, applicant="陈当事", n=0):
    birth = f"1985{n % 12 + 1:02d}15"
    data = grid_input(world.grid.code, applicant_name=applicant, applicant_id=make_id_number(birth=birth))
    return record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute


def test_a_clerk_saves_opens_and_deletes_a_view(client, world):
    a = _record(world, "马晓雯")
    b = _record(world, "张其他")
    client.force_login(world.clerk)
    response = client.post(reverse("disputes:saved_view_create"),
                           {"name": "马姓借款", "back": "queue=new&q=马晓雯&sort=amount&evil=1"})
    assert response.status_code == 302
    view = SavedQueueView.objects.get(user=world.clerk)
    # Stored canonical: only known, validated parameters.
    assert "evil" not in view.query and "q=" in view.query
    page = client.get(reverse("disputes:workbench")).content.decode()
    assert "马姓借款" in page and reverse("disputes:saved_view_delete", args=[view.pk]) in page
    opened = client.get(reverse("disputes:workbench") + "?" + view.query).content.decode()
    assert a.number in opened and b.number not in opened
    # A second view of the same name is refused with a message, not a 500.
    client.post(reverse("disputes:saved_view_create"), {"name": "马姓借款", "back": "queue=all"})
    assert SavedQueueView.objects.filter(user=world.clerk).count() == 1
    # Another clerk neither sees nor deletes it.
    client.force_login(world.other_clerk)
    delete_url = reverse("disputes:saved_view_delete", args=[view.pk])
    assert delete_url not in client.get(reverse("disputes:workbench")).content.decode()
    assert client.post(reverse("disputes:saved_view_delete", args=[view.pk])).status_code == 404
    client.force_login(world.clerk)
    client.post(reverse("disputes:saved_view_delete", args=[view.pk]))
    assert not SavedQueueView.objects.exists()


def test_queue_export_follows_filters_and_masks_personal_data(client, world):
    a = _record(world, "马晓雯")
    b = _record(world, "张其他", n=1)
    Dispute.objects.filter(pk=b.pk).update(summary="=1+2")
    client.force_login(world.clerk)
    response = client.get(reverse("disputes:queue_export"), {"queue": "new", "q": "马晓雯"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [a.number]
    text = "\n".join(str(c) for r in rows for c in r if c is not None)
    for dp in a.dispute_parties.select_related("party"):
        assert dp.party.id_number not in text
        if dp.party.phone:
            assert dp.party.phone not in text
    assert "139****0088" in text
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, target_type="dispute_queue")
    assert entry.detail["filters"]["q"] == "马晓雯"
    # The whole queue, with a formula-looking name neutralised.
    everything = load_workbook(BytesIO(b"".join(
        client.get(reverse("disputes:queue_export"), {"queue": "new"}).streaming_content))).active
    names = [r[1] for r in everything.iter_rows(min_row=2, values_only=True)]
    assert "'=1+2" in names


def test_parties_cannot_export_a_queue(client, world):
    client.force_login(world.party_user)
    assert client.get(reverse("disputes:queue_export")).status_code == 403


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queue_page_query_count_does_not_grow_with_disputes(client, world):
    client.force_login(world.clerk)
    url = reverse("disputes:workbench") + "?queue=all&sort=deadline"
    for n in range(5):
        _record(world, f"当事人{n}", n)
    client.get(url)  # warm caches (content types, sessions)
    five = _queries(client, url)
    for n in range(5, 50):
        _record(world, f"当事人{n}", n)
    fifty = _queries(client, url)
    assert Dispute.objects.count() == 50
    page = client.get(url).content.decode()
    assert page.count('name="item"') == 50
    assert five == fifty
