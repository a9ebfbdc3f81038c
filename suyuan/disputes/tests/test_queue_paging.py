"""The workbench queue counts up to SUYUAN_LIST_COUNT_CAP rows and says so ("N+"), in Chinese,
with a next-page link for as long as rows remain (issue 16, P5: no full COUNT(*) per page view)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suyuan.accounts.context import Origin
from suyuan.disputes.services import record_dispute
from suyuan.disputes.views import workbench as workbench_views
from suyuan.testing.disputes import grid_input

pytestmark = pytest.mark.django_db


def _record(world, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    numbers = []
    for i in range(n):
        data = grid_input(world.grid.code, respondent_name=f"被申请人{i}")
        numbers.append(record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute.number)
    return numbers


def test_a_queue_longer_than_the_cap_shows_a_lower_bound_and_pages_on(client, world, settings, monkeypatch):
    settings.SUYUAN_LIST_COUNT_CAP = 2
    monkeypatch.setattr(workbench_views, "PAGE_SIZE", 1)
    numbers = _record(world, 3)
    client.force_login(world.clerk)
    first = client.get(reverse("disputes:workbench")).content.decode()
    assert "共 2+ 件（超出部分未逐一计数，可用筛选缩小范围）" in first
    assert "第 1 页，共 2+ 条" in first and "下一页" in first
    assert numbers[-1] in first  # newest first
    # The queue tab says the same bound as the heading.
    assert "<strong>2+</strong>" in first
    # Past the cap the pages go on, and the last one is known when it is reached.
    last = client.get(reverse("disputes:workbench") + "?page=3").content.decode()
    assert numbers[0] in last
    assert "第 3 / 3 页，共 3 条" in last and "下一页" not in last


def test_a_short_queue_is_counted_exactly(client, world, settings):
    settings.SUYUAN_LIST_COUNT_CAP = 10
    _record(world, 3)
    client.force_login(world.clerk)
    page = client.get(reverse("disputes:workbench")).content.decode()
    assert "共 3 件" in page and "+ 件" not in page


def test_the_cached_filter_form_follows_the_filter_choices(client, world, settings, monkeypatch):
    # The unbound form's HTML is cached per set of choices, so new choices show at once.
    from suyuan.disputes import queue as queues

    settings.SUYUAN_QUEUE_FACET_CACHE_SECONDS = 300
    client.force_login(world.clerk)
    monkeypatch.setattr(queues, "queue_townships", lambda user: [("640202901000", "甲镇")])
    first = client.get(reverse("disputes:workbench")).content.decode()
    assert "甲镇" in first and 'id="id_township"' in first
    monkeypatch.setattr(queues, "queue_townships", lambda user: [("640202902000", "乙镇")])
    second = client.get(reverse("disputes:workbench")).content.decode()
    assert "乙镇" in second and "甲镇" not in second
    # A filtered (bound) form shows the chosen value, never a cached unbound copy.
    bound = client.get(reverse("disputes:workbench") + "?township=640202902000").content.decode()
    assert 'value="640202902000" selected' in bound
