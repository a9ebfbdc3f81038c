"""The workbench queue's table rows as HTML built in Python (issue 16, P5).

The template drew each of the page's 50 rows through ~20 variable nodes, filters and tags: about
half of the page's own time. Here a row is one string, written exactly as
``disputes/workbench.html`` wrote it (same markup, same whitespace, the same escaping of every
value; ``test_workbench_rows.py`` compares the two renderings). The stage apps' extra columns
(``SUYUAN_QUEUE_COLUMNS``) are still their own cell templates, included by the page template after
these cells, before the row's ``</tr>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Dispute

# What a row shows, and only that (issue 16, P5: the page's 50 disputes with every column of the
# dispute, its court, region and assignee cost twice as much to load). A stage app's column builder
# (``SUYUAN_QUEUE_COLUMNS``) gets these instances: it reads its own tables by ``d.pk``, never another
# dispute field (that would be one query per row: ``test_query_counts.py``).
ROW_FIELDS = ("id", "number", "version", "status", "summary", "amount", "created_at", "duplicate_of_id",
              "region__name", "assignee__full_name", "assignee__username")


def for_rows(disputes: QuerySet[Dispute]) -> QuerySet[Dispute]:
    """A queue's disputes (``queue.queue_page_disputes``) with only the columns the rows show."""
    return disputes.select_related(None).select_related("region", "assignee").only(*ROW_FIELDS)


def _stamp(value: datetime) -> str:
    """``{{ value|date:"Y-m-d H:i" }}`` of an aware datetime (shown in the current time zone)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def queue_row_html(d: Dispute, *, link: Callable[[str], str], labels: Mapping[str, Any], today: date,
                   selectable: bool) -> SafeString:
    """One row's ``<tr>`` and its nine fixed cells (plus the bulk-selection box when ``selectable``),
    up to where the stage apps' columns follow. ``d`` comes from ``queue.queue_page_disputes``
    (region and assignee joined, the next deadline annotated)."""
    number = escape(d.number)
    if selectable:
        pick = (f'<td data-label="选择"><input type="checkbox" name="item" value="{d.pk}:{d.version}" '
                f'id="pick-{d.pk}" aria-label="选择 {number}"></td>')
    else:
        pick = ""
    duplicate = ' <span class="badge warn">疑似重复</span>' if d.duplicate_of_id else ""
    amount = "—" if d.amount is None else escape(localize(d.amount))
    next_due: date | None = getattr(d, "next_due", None)
    if next_due:
        warn = "badge warn" if next_due < today else ""
        due = (f'<span class="{warn}">{escape(getattr(d, "next_subject", None))} '
               f"{next_due.month:02d}-{next_due.day:02d}</span>")
    else:
        due = "—"
    assignee = d.assignee.display_name if d.assignee is not None else ""
    status = labels.get(d.status, d.status)
    return mark_safe(  # noqa: S308  (every value above is escaped; the rest is our own markup)
        f'\n<tr data-number="{number}">\n'
        f"  {pick}\n"
        f'  <td data-label="编号"><a href="{escape(link(d.number))}">{number}</a>{duplicate}</td>\n'
        f'  <td data-label="名称">{escape(d.summary)}</td>\n'
        f'  <td data-label="状态"><span class="badge">{escape(status)}</span></td>\n'
        f'  <td data-label="发生地">{escape(d.region.name)}</td>\n'
        f'  <td data-label="标的额">{amount}</td>\n'
        f'  <td data-label="下一期限">{due}</td>\n'
        f'  <td data-label="承办人">{escape(assignee) if assignee else "—"}</td>\n'
        f'  <td data-label="登记时间">{_stamp(d.created_at)}</td>\n'
        "  "
    )
