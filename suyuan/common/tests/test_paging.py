"""CappedPaginator: exact below the cap; above it a lower bound ("N+") with honest next links."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suyuan.common.models import Counter
from suyuan.common.paging import CappedPaginator

pytestmark = pytest.mark.django_db


def _rows(n: int):  # type: ignore[no-untyped-def]
    Counter.objects.bulk_create([Counter(name=f"c{i:03d}") for i in range(n)])
    return Counter.objects.order_by("name")


def test_below_the_cap_the_count_and_the_pages_are_exact():
    paginator = CappedPaginator(_rows(7), 3, cap=10)
    page = paginator.get_page(2)
    assert (paginator.count, paginator.num_pages, paginator.capped) == (7, 3, False)
    assert paginator.display_count == "7"
    assert [c.name for c in page] == ["c003", "c004", "c005"]
    assert page.has_next() and page.has_previous()


def test_above_the_cap_the_count_is_a_lower_bound_and_next_pages_stay_reachable():
    qs = _rows(25)
    first = CappedPaginator(qs, 3, cap=6).get_page(1)
    assert first.paginator.capped and first.paginator.display_count == "6+"
    assert first.has_next()
    # Past the cap: the count looks one row past the requested page, so the page is full and
    # "next" exists exactly while rows remain.
    deep = CappedPaginator(qs, 3, cap=6).get_page(8)
    assert [c.name for c in deep] == ["c021", "c022", "c023"]
    assert deep.has_next()
    last = CappedPaginator(qs, 3, cap=6).get_page(9)
    assert [c.name for c in last] == ["c024"]
    assert not last.has_next() and not last.paginator.capped
    assert last.paginator.display_count == "25"


def test_a_page_beyond_the_end_shows_the_last_page():
    page = CappedPaginator(_rows(5), 2, cap=2).get_page(50)
    assert page.number == 3 and [c.name for c in page] == ["c004"]


def test_the_count_is_one_bounded_query():
    paginator = CappedPaginator(_rows(30), 5, cap=10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 11
    assert len(queries) == 1
    assert "LIMIT 11" in queries[0]["sql"].upper()


def test_the_cap_is_a_setting(settings):
    settings.SUYUAN_LIST_COUNT_CAP = 4
    paginator = CappedPaginator(_rows(9), 2)
    assert paginator.get_page(1).paginator.display_count == "4+"


def test_a_count_the_caller_took_is_used_within_the_cap_and_taken_again_beyond():
    qs = _rows(30)
    paginator = CappedPaginator(qs, 5, cap=10, counted=11)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 11 and paginator.display_count == "10+"
    assert len(queries) == 0
    deep = CappedPaginator(qs, 5, cap=10, counted=11)
    with CaptureQueriesContext(connection) as queries:
        page = deep.get_page(4)
        assert [c.name for c in page] == ["c015", "c016", "c017", "c018", "c019"]
    assert "LIMIT 21" in queries[0]["sql"].upper()
