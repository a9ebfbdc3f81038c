"""Performance and enforcement pages: buttons only for what the user may do now; plain HTML forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from suyuan.enforcement.choices import InstalmentStatus
from suyuan.enforcement.models import EnforcementCase
from suyuan.enforcement.views import panel_context

from .conftest import make_performing
from .test_performance import sweep_after


@pytest.mark.django_db
def test_obligor_reports_and_obligee_confirms_through_pages(client, world, performing, obligor_user):
    plan = performing.performance_plan
    first = plan.instalments.first()
    client.force_login(obligor_user)
    page = client.get(f"/enforcement/plans/{plan.pk}/").content.decode()
    assert "报告付款" in page and "确认收款" not in page and "申请强制执行" not in page
    response = client.post(f"/enforcement/instalments/{first.pk}/report/", {"amount": "4000", "note": "转账"})
    assert response.status_code == 302
    assert client.post(f"/enforcement/instalments/{first.pk}/report/", {"amount": "abc"}).status_code in (400, 409)
    client.force_login(world.party_user)
    page = client.get(f"/enforcement/plans/{plan.pk}/").content.decode()
    assert "确认收款" in page and 'for="amount-' not in page
    assert client.post(f"/enforcement/instalments/{first.pk}/confirm/").status_code == 302
    first.refresh_from_db()
    assert first.status == InstalmentStatus.PAID
    client.force_login(world.other_clerk)
    assert client.get(f"/enforcement/plans/{plan.pk}/").status_code == 404


@pytest.mark.django_db
def test_default_shows_apply_button_and_officer_lists_cases(client, world):
    past = timezone.localdate() - timedelta(days=3)
    dispute = make_performing(world, first_due=past, amounts=("5000",))
    plan = dispute.performance_plan
    sweep_after(past)
    request = RequestFactory().get("/")
    request.user = world.party_user
    assert panel_context(request, dispute)["performance_can_apply"]
    client.force_login(world.party_user)
    assert "申请强制执行" in client.get(f"/enforcement/plans/{plan.pk}/").content.decode()
    assert client.post(f"/enforcement/plans/{plan.pk}/apply/").status_code == 302
    case = EnforcementCase.objects.get(plan=plan)
    client.force_login(world.enforcer)
    assert case.number in client.get("/enforcement/").content.decode()
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "执行结案" in page and 'for="outcome"' in page
    assert client.post(f"/enforcement/cases/{case.pk}/conclude/", {"outcome": "执行完毕"}).status_code == 302
    client.force_login(world.other_clerk)
    assert client.get(f"/enforcement/cases/{case.pk}/").status_code == 404
    client.force_login(world.auditor)
    assert client.get("/enforcement/").status_code == 403
