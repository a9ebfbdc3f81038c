"""A paginator that does not count a whole large queryset on every page view.

A court's "new" queue can hold 300,000 disputes; Django's ``Paginator`` counts them all
(``SELECT COUNT(*)``: ~100 ms at that size on PostgreSQL) to print "第 1 / 6117 页" on a page that
shows 50. ``CappedPaginator`` counts at most ``cap`` rows beyond the requested page: below the cap
the count and the page links are exact; above it the page says "1000+ 条" and offers the next page
for as long as there is one (``has_next`` stays exact: the count always looks one row past the
requested page), without claiming a last page number it did not count.
"""

from __future__ import annotations

import contextlib
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


def count_cap() -> int:
    """Rows counted before a list says "N+" (``SUYUAN_LIST_COUNT_CAP``, a product setting)."""
    return int(settings.SUYUAN_LIST_COUNT_CAP)


def capped_count(qs: QuerySet[Any], *, past: int = 0) -> tuple[int, bool]:
    """``(count, capped)`` of ``qs``, counting at most ``max(cap, past) + 1`` rows in one query:
    exact and ``False`` below that; ``(max(cap, past), True)`` when there are more (a lower bound,
    and more rows than ``past``: for a list API, whether a page past ``past`` rows exists stays exact)."""
    limit = max(count_cap(), past)
    n = qs.order_by().values("pk")[: limit + 1].count()
    return (limit, True) if n > limit else (n, False)


class CappedPaginator(Paginator):
    """``Paginator`` over a queryset whose ``count`` stops at ``cap`` rows (or one row past the
    requested page, when that is further): one ``SELECT COUNT(*) FROM (… LIMIT n)`` query."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int | None = None,
                 counted: int | None = None, **kwargs: Any) -> None:
        """``counted``: the same rows already counted by the caller up to ``cap + 1`` (the workbench's
        queue tab), used instead of counting again while the requested page lies within the cap."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = count_cap() if cap is None else cap
        self._counted = counted
        self._wanted = 1

    def get_page(self, number: Any) -> Page:
        self._want(number)
        return super().get_page(number)

    def page(self, number: Any) -> Page:
        self._want(number)
        return super().page(number)

    def _want(self, number: Any) -> None:
        """Remember the page asked for, before the count is taken (it decides how far to count)."""
        if "count" not in self.__dict__:
            with contextlib.suppress(TypeError, ValueError):
                self._wanted = max(1, int(number))

    @property
    def _limit(self) -> int:
        """Rows to count: the cap, or the whole requested page, plus one to know there is more."""
        return max(self.cap, self._wanted * self.per_page) + 1

    @cached_property
    def count(self) -> int:
        if self._counted is not None and self._limit == self.cap + 1:
            return min(self._counted, self._limit)
        qs = cast("QuerySet[Any]", self.object_list)
        return qs.order_by().values("pk")[: self._limit].count()

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted (the count shown is a lower bound)."""
        return self.count >= self._limit

    @property
    def display_count(self) -> str:
        """What the page prints: the exact count, or "1000+" when the count stopped."""
        return f"{self._limit - 1}+" if self.capped else str(self.count)
