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
