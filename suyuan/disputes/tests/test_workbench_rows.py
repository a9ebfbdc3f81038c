"""The workbench rows' links and status labels, worked out once per page instead of per cell (issue 16,
P5): the same HTML as ``{% url 'disputes:detail' d.number %}`` and ``d.get_status_display``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suyuan.accounts.context import Origin
from suyuan.disputes.services import record_dispute
from suyuan.disputes.views.workbench import _detail_link
from suyuan.testing.disputes import grid_input


@pytest.mark.parametrize("number", ["SY-2026-000001", "SY 2026/α", "a:b@c~d!$&'()*+,;=e", "%41"])
def test_the_link_is_what_reverse_gives(number):
    if "/" in number:
        number = number.replace("/", "")  # the <str:> converter takes no slash; reverse refuses it too
    assert _detail_link()(number) == reverse("disputes:detail", args=[number])


@pytest.mark.django_db
def test_the_queue_shows_each_row_with_its_link_and_status_label(world, client):
    recorded = [record_dispute(actor=world.grid_worker, origin=Origin(via="test"),
                               data=grid_input(world.grid.code, respondent_name=f"被申请人{i}")).dispute
                for i in range(2)]
    client.force_login(world.clerk)
    html = client.get(reverse("disputes:workbench") + "?queue=all").content.decode()
    for d in recorded:
        assert f'<a href="{reverse("disputes:detail", args=[d.number])}">{d.number}</a>' in html
        assert f'<span class="badge">{d.get_status_display()}</span>' in html


# The row as disputes/workbench.html drew it before the rows were built in Python (issue 16, P5).
TEMPLATE_ROW = """
<tr data-number="{{ d.number }}">
  {% if actions %}<td data-label="选择"><input type="checkbox" name="item" value="{{ d.pk }}:{{ d.version }}" id="pick-{{ d.pk }}" aria-label="选择 {{ d.number }}"></td>{% endif %}
  <td data-label="编号"><a href="{{ link }}">{{ d.number }}</a>{% if d.duplicate_of_id %} <span class="badge warn">疑似重复</span>{% endif %}</td>
  <td data-label="名称">{{ d.summary }}</td>
  <td data-label="状态"><span class="badge">{{ status }}</span></td>
  <td data-label="发生地">{{ d.region.name }}</td>
  <td data-label="标的额">{{ d.amount|default_if_none:"—" }}</td>
  <td data-label="下一期限">{% if d.next_due %}<span class="{% if d.next_due < today %}badge warn{% endif %}">{{ d.next_subject }} {{ d.next_due|date:"m-d" }}</span>{% else %}—{% endif %}</td>
  <td data-label="承办人">{{ d.assignee.display_name|default:"—" }}</td>
  <td data-label="登记时间">{{ d.created_at|date:"Y-m-d H:i" }}</td>
  {% for heading, template, cell in cells %}<td data-label="{{ heading }}">{% if cell %}{% include template with cell=cell %}{% else %}—{% endif %}</td>{% endfor %}
</tr>"""  # noqa: E501


ODD = "<b>陈&李</b> \"引号\" 'x'"
# pk, version, number, status, summary, amount, duplicate_of_id, created_at (UTC), region name,
# assignee (username, full name), next_due, next_subject
ROWS = [
    (7, 1, "SY-2026-000007", "recorded", ODD, None, None, (2026, 1, 2, 16, 5), "长胜街道", None, None, None),
    (12345, 3, "A&B<1>", "in_mediation", "借款纠纷", "12000.00", 3, (2025, 12, 31, 23, 59), ODD,
     ("judge1", "张法官"), (2026, 3, 9), "调解期限"),
    (9, 2, "SY 2026'x", "settled", "", "0.5", None, (2026, 3, 9, 0, 0), "", ("u<2>", ""), (2026, 3, 10), ODD),
    (1, 10, "%41", "no-such-status", "x", "1234567.89", 1, (1999, 7, 1, 3, 4), "网格", None, (2026, 12, 1), None),
]


@pytest.mark.parametrize("selectable", [True, False])
@pytest.mark.parametrize("row", ROWS)
def test_the_row_built_in_python_is_the_html_the_template_drew(row, selectable):
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from django.template import Context, Engine
    from django.utils.safestring import mark_safe

    from suyuan.accounts.models import User
    from suyuan.disputes.models import Dispute
    from suyuan.disputes.views.queue_rows import queue_row_html
    from suyuan.network.models import Region

    pk, version, number, status, summary, amount, duplicate, created, region, assignee, due, subject = row
    today = date(2026, 3, 10)
    d = Dispute(pk=pk, version=version, number=number, status=status, summary=summary,
                amount=None if amount is None else Decimal(amount), duplicate_of_id=duplicate,
                created_at=datetime(*created).replace(tzinfo=UTC))
    d.region = Region(name=region)
    d.assignee = None if assignee is None else User(pk=pk + 1, username=assignee[0], full_name=assignee[1])
    d.next_due = None if due is None else date(*due)  # type: ignore[attr-defined]
    d.next_subject = subject  # type: ignore[attr-defined]
    link = _detail_link()
    labels = dict(Dispute._meta.get_field("status").flatchoices)
    # Stage apps' columns with a cell on every other row: HTML from the builder (no template; triage's),
    # and a plain string, which is escaped.
    html = mark_safe('<span class="triage-cell">建议</span>\n\n')
    columns = [("系统<分流>建议", None, {pk: html} if pk % 2 else {}), ("备注", None, {pk: ODD} if pk % 2 else {})]
    old_columns = [("系统<分流>建议", "cell.html", {pk: html} if pk % 2 else {}),
                   ("备注", "cell.html", {pk: ODD} if pk % 2 else {})]
    engine = Engine(loaders=[("django.template.loaders.locmem.Loader", {"cell.html": "{{ cell }}"})])
    expected = engine.from_string(TEMPLATE_ROW).render(Context(
        {"d": d, "link": link(d.number), "status": labels.get(d.status, d.status), "today": today,
         "actions": ["x"] if selectable else [],
         "cells": [(heading, template, cells.get(d.pk)) for heading, template, cells in old_columns]}))
    got = queue_row_html(d, link=link, labels=labels, today=today, selectable=selectable, columns=columns)
    assert got.splitlines() == expected.splitlines()
    assert got == expected
