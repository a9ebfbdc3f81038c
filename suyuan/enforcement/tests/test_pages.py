"""Performance and enforcement pages: buttons only for what the user may do now; plain HTML forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from suyuan.enforcement.choices import InstalmentStatus
from suyuan.enforcement.models import EnforcementCase
from suyuan.enforcement.views import panel_context

from .conftest import make_performing, plan_of
from .test_performance import sweep_after


@pytest.mark.django_db
def test_obligor_reports_and_obligee_confirms_through_pages(client, world, performing, obligor_user):
    plan = plan_of(performing)
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
    plan = plan_of(dispute)
    sweep_after(past)
    request = RequestFactory().get("/")
    request.user = world.party_user
    assert panel_context(request, dispute)["performance_can_apply"]
    client.force_login(world.party_user)
    assert "申请强制执行" in client.get(f"/enforcement/plans/{plan.pk}/").content.decode()
    risk_page = client.get(f"/enforcement/plans/{plan.pk}/apply/").content.decode()
    assert "执行风险告知" in risk_page and "终结本次执行程序" in risk_page and "第二百五十条" in risk_page
    assert client.post(f"/enforcement/plans/{plan.pk}/apply/").status_code == 400  # risk notice not confirmed
    assert not EnforcementCase.objects.filter(plan=plan).exists()
    assert client.post(f"/enforcement/plans/{plan.pk}/apply/", {"risk_acknowledged": "1"}).status_code == 302
    case = EnforcementCase.objects.get(plan=plan)
    client.force_login(world.enforcer)
    assert case.number in client.get("/enforcement/").content.decode()
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "执行完毕" in page and "终结本次执行程序" in page and "执行通知书" in page and "简案快执" in page
    response = client.post(f"/enforcement/cases/{case.pk}/recover/",
                           {"amount": str(case.amount), "note": "扣划存款", "version": case.version})
    assert response.status_code == 302
    assert client.post(f"/enforcement/cases/{case.pk}/complete/").status_code == 302
    case.refresh_from_db()
    assert case.status == "completed"
    client.force_login(world.other_clerk)
    assert client.get(f"/enforcement/cases/{case.pk}/").status_code == 404
    client.force_login(world.auditor)
    assert client.get("/enforcement/").status_code == 403
