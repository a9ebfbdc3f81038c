"""The holder panel and its POST views: court staff act, identifiers masked for others."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from suyuan.assets.models import Measure
from suyuan.assets.views import _token, holder_context

from .conftest import PRES

pytestmark = pytest.mark.django_db


def _context(user, dispute, claim="400000"):
    request = RequestFactory().get("/disputes/x/")
    request.user = user
    return holder_context(request, PRES, Decimal(claim), dispute=dispute)


def test_panel_shows_full_identifier_to_court_staff_only(world, dispute, clue):
    ctx = _context(world.clerk, dispute)
    assert ctx is not None and ctx["can_act"] and ctx["token"]
    html = render_to_string("assets/_holder_panel.html", ctx)
    assert clue.identifier in html and "提交网络查控" in html
    assert _context(world.other_clerk, dispute) is None  # another court: not visible at all
    ctx = _context(world.party_user, dispute)
    assert ctx is not None and not ctx["can_act"]
    html = render_to_string("assets/_holder_panel.html", ctx)
    assert clue.identifier not in html and clue.masked_identifier in html and "提交网络查控" not in html


def test_place_view_uses_the_signed_claim(client, world, dispute, clue):
    client.force_login(world.clerk)
    token = _token(PRES, Decimal("100000"))
    response = client.post("/assets/place/", {"token": token, "asset": clue.pk, "kind": "seize", "amount": "300000",
                                              "next": "/"})
    assert response.status_code == 400 and "第十九条" in response.content.decode()
    assert not Measure.objects.exists()
    response = client.post("/assets/place/", {"token": "forged", "asset": clue.pk, "kind": "seize",
                                              "amount": "300000", "next": "/"})
    assert response.status_code == 400
    response = client.post("/assets/place/", {"token": token, "asset": clue.pk, "kind": "seize", "amount": "300000",
                                              "over_reason": "不可分物，被执行人无其他可供执行财产", "next": "/"})
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.over_reason and dispute.events.filter(kind="asset_measure.placed").exists()
    response = client.post(f"/assets/measures/{measure.pk}/release/", {"token": token, "reason": "申请人撤回保全申请",
                                                                       "version": measure.version, "next": "/"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "released"


def test_holder_panel_renders_for_staff_and_nothing_for_others(world, dispute, clue):
    from suyuan.assets.views import holder_panel

    request = RequestFactory().get("/x/")
    request.user = world.clerk
    assert "财产查控" in holder_panel(request, PRES, "400000", dispute=dispute)
    request.user = world.other_clerk
    assert holder_panel(request, PRES, "400000", dispute=dispute) == ""
