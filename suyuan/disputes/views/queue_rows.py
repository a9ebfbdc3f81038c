"""The workbench queue's table rows as HTML built in Python (issue 16, P5).

The template drew each of the page's 50 rows through ~20 variable nodes, filters and tags: about
half of the page's own time. Here a row is one string, written exactly as
``disputes/workbench.html`` wrote it (same markup, same whitespace, the same escaping of every
value; ``test_workbench_rows.py`` compares the two renderings). The stage apps' extra columns
(``SUYUAN_QUEUE_COLUMNS``) follow the fixed cells: a cell is the column's template rendered with
``cell`` (and nothing else of the page) or, for a column without a template, the HTML its builder
returned (``SafeString``; anything else is escaped).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from html import escape as html_escape
from typing import Any

from django.db.models import QuerySet
from django.template.loader import get_template
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
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


def _escape(value: object) -> str:
    """``django.utils.html.escape`` (``html.escape`` of ``str(value)``) without its lazy-string wrapper,
    which cost more than the escaping on a page of 50 rows: the same text."""
    return html_escape(str(value))


def _stamp(value: datetime) -> str:
    """``{{ value|date:"Y-m-d H:i" }}`` of an aware datetime (shown in the current time zone)."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


Column = tuple[str, str | None, Mapping[int, Any]]  # heading, cell template (or None: HTML), cells by dispute id


def column_cells(d: Dispute, columns: list[Column]) -> str:
    """The stage apps' cells of one row, as ``{% for … %}<td …>{% if cell %}{% include template with
    cell=cell %}{% else %}—{% endif %}</td>{% endfor %}`` drew them."""
    out = []
    for heading, template, cells in columns:
        cell = cells.get(d.pk)
        if not cell:
            html = "—"
        elif template is None:
            html = conditional_escape(cell)
        else:
            html = get_template(template).render({"cell": cell})
        out.append(f'<td data-label="{_escape(heading)}">{html}</td>')
    return "".join(out)


def queue_row_html(d: Dispute, *, link: Callable[[str], str], labels: Mapping[str, Any], today: date,
                   selectable: bool, columns: list[Column]) -> SafeString:
    """One row: ``<tr>``, its nine fixed cells (after the bulk-selection box when ``selectable``), the
    stage apps' ``columns``, ``</tr>``. ``d`` comes from ``queue.queue_page_disputes`` through
    ``for_rows`` (region and assignee joined, the next deadline annotated)."""
    number = _escape(d.number)
    if selectable:
        pick = (f'<td data-label="选择"><input type="checkbox" name="item" value="{d.pk}:{d.version}" '
                f'id="pick-{d.pk}" aria-label="选择 {number}"></td>')
    else:
        pick = ""
    duplicate = ' <span class="badge warn">疑似重复</span>' if d.duplicate_of_id else ""
    amount = "—" if d.amount is None else _escape(localize(d.amount))
    next_due: date | None = getattr(d, "next_due", None)
    if next_due:
        warn = "badge warn" if next_due < today else ""
        due = (f'<span class="{warn}">{_escape(getattr(d, "next_subject", None))} '
               f"{next_due.month:02d}-{next_due.day:02d}</span>")
    else:
        due = "—"
    assignee = d.assignee.display_name if d.assignee is not None else ""
    status = labels.get(d.status, d.status)
    return mark_safe(  # noqa: S308  (every value above is escaped; the rest is our own markup)
        f'\n<tr data-number="{number}">\n'
        f"  {pick}\n"
        f'  <td data-label="编号"><a href="{_escape(link(d.number))}">{number}</a>{duplicate}</td>\n'
        f'  <td data-label="名称">{_escape(d.summary)}</td>\n'
        f'  <td data-label="状态"><span class="badge">{_escape(status)}</span></td>\n'
        f'  <td data-label="发生地">{_escape(d.region.name)}</td>\n'
        f'  <td data-label="标的额">{amount}</td>\n'
        f'  <td data-label="下一期限">{due}</td>\n'
        f'  <td data-label="承办人">{_escape(assignee) if assignee else "—"}</td>\n'
        f'  <td data-label="登记时间">{_stamp(d.created_at)}</td>\n'
        f"  {column_cells(d, columns)}\n</tr>"
    )
