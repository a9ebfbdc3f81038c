"""The workbench queue's filters, search and sort: only ever within the actor's scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.disputes import clocks
from suyuan.disputes.models import Dispute
from suyuan.disputes.queue import QueueFilters, queue_page_disputes
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input

pytestmark = pytest.mark.django_db


def _record(world, *, grid=None, worker=None, applicant="陈当事", respondent="李四", amount="12000"):
    grid = grid or world.grid
    worker = worker or world.grid_worker
    data = grid_input(grid.code, applicant_name=applicant, respondent_name=respondent, amount=amount)
    return record_dispute(actor=worker, origin=Origin(via="web"), data=data).dispute


def _numbers(user, **filters):
    qs = queue_page_disputes(user, QueueFilters(**filters), today=timezone.localdate(), soon_days=4)
    return [d.number for d in qs]


def test_search_finds_party_names_and_numbers_only_in_scope(world):
    mine = _record(world, applicant="马晓雯", respondent="杨建国")
    other = _record(world, grid=world.other_grid, worker=world.other_grid_worker, applicant="马晓雯",
                    respondent="何丽")
    assert _numbers(world.clerk, q="马晓") == [mine.number]
    assert _numbers(world.clerk, q="建国") == [mine.number]
    assert _numbers(world.clerk, q=mine.number[-6:]) == [mine.number]
    # The Huinong dispute has a party of the same name: the Dawukou clerk's search never finds it.
    assert _numbers(world.clerk, q="何丽") == []
    assert _numbers(world.clerk, q=other.number) == []
    assert _numbers(world.other_clerk, q="马晓雯") == [other.number]


def test_a_party_with_two_roles_is_one_row(world):
    d = _record(world, applicant="王同名", respondent="王同名二")
    assert _numbers(world.clerk, q="王同名") == [d.number]


def test_stage_channel_and_township_filters(world):
    a = _record(world)
    b = _record(world)
    Dispute.objects.filter(pk=b.pk).update(status="in_mediation")
    assert _numbers(world.clerk, queue="all", stage="in_mediation") == [b.number]
    assert set(_numbers(world.clerk, queue="all", channel="grid_worker")) == {a.number, b.number}
    assert _numbers(world.clerk, queue="all", channel="court_window") == []
    township = world.grid.parent
    while township.level > 4:
        township = township.parent
    assert set(_numbers(world.clerk, queue="all", township=township.code)) == {a.number, b.number}
    assert _numbers(world.clerk, queue="all", township="640205001000") == []
    assert _numbers(world.clerk, queue="all", township="999999") == []


def test_deadline_filters_due_within_and_overdue(world):
    today = timezone.localdate()
    soon = _record(world)
    late = _record(world)
    plain = _record(world)
    clocks.start_clock(dispute=soon, rule="fee_payment", start=today, subject="交纳诉讼费期限")
    clocks.start_clock(dispute=late, rule="fee_payment", start=date(2026, 1, 5), subject="交纳诉讼费期限")
    due = soon.clocks.get().due_on
    within = (due - today).days
    assert _numbers(world.clerk, queue="all", due_within=within) == [soon.number]
    assert _numbers(world.clerk, queue="all", due_within=within - 1) == []
    assert _numbers(world.clerk, queue="all", overdue=True) == [late.number]
    assert plain.number not in _numbers(world.clerk, queue="all", overdue=True)


def test_sorts(world):
    small = _record(world, amount="500")
    big = _record(world, amount="90000")
    mid = _record(world, amount="12000")
    clocks.start_clock(dispute=mid, rule="fee_payment", start=timezone.localdate() - timedelta(days=2),
                       subject="交纳诉讼费期限")
    assert _numbers(world.clerk, sort="-amount") == [big.number, mid.number, small.number]
    assert _numbers(world.clerk, sort="amount") == [small.number, mid.number, big.number]
    assert _numbers(world.clerk, sort="received") == [small.number, big.number, mid.number]
    assert _numbers(world.clerk, sort="-received") == [mid.number, big.number, small.number]
    assert _numbers(world.clerk, sort="deadline")[0] == mid.number
    assert _numbers(world.clerk, sort="number") == sorted([small.number, big.number, mid.number])


def test_queue_page_filters_and_bad_input(client, world):
    a = _record(world, applicant="马晓雯")
    b = _record(world, applicant="张其他")
    client.force_login(world.clerk)
    page = client.get(reverse("disputes:workbench"), {"q": "马晓雯"}).content.decode()
    assert a.number in page and b.number not in page
    # A bad value is a clear message and the unfiltered queue, never a 500.
    response = client.get(reverse("disputes:workbench"), {"due_within": "abc", "sort": "drop table"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "筛选条件有误" in text and a.number in text and b.number in text
