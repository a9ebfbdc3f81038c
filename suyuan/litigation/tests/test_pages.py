"""Pages: queue with due dates and sources, case page with only the actions allowed now, forms, scope."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from suyuan.litigation.choices import CaseStatus
from suyuan.litigation.models import Case
from suyuan.litigation.views import panel_context

from .helpers import consent_everyone, filed_case, make_dispute, registered_case


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_queue_shows_the_7_day_due_date_and_its_source(client, world):
    case = filed_case(world)
    page = login(client, world.clerk).get(reverse("litigation:queue"))
    text = page.content.decode()
    assert page.status_code == 200
    assert case.dispute.number in text and "第一百二十六条" in text


@pytest.mark.django_db
def test_party_files_from_the_dispute_and_sees_only_their_cases(client, world):
    dispute = make_dispute(world)
    response = login(client, world.party_user).post(reverse("litigation:file", args=[dispute.pk]))
    case = Case.objects.get(dispute=dispute)
    assert response.status_code == 302 and response["Location"] == reverse("litigation:case", args=[case.pk])
    page = client.get(reverse("litigation:case", args=[case.pk]))
    assert page.status_code == 200
    assert "撤回起诉" in page.content.decode() and "登记立案" not in page.content.decode()
    assert client.get(reverse("litigation:queue")).status_code == 403


@pytest.mark.django_db
def test_another_courts_clerk_gets_404(client, world):
    case = filed_case(world)
    assert login(client, world.other_clerk).get(reverse("litigation:case", args=[case.pk])).status_code == 404
    response = client.post(reverse("litigation:refuse", args=[case.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FILED


@pytest.mark.django_db
def test_clerk_lists_materials_once_then_registers_with_eligibility_shown(client, world):
    case = filed_case(world)
    login(client, world.clerk)
    page = client.get(reverse("litigation:case", args=[case.pk])).content.decode()
    assert "一次性告知补正材料" in page and "登记立案" in page
    response = client.post(reverse("litigation:materials", args=[case.pk]),
                           {"items": "身份证复印件\n借条原件", "version": case.version})
    assert response.status_code == 302
    again = client.post(reverse("litigation:materials", args=[case.pk]), {"items": "再补"})
    assert "不得再次要求补正" in again.content.decode() or again.status_code == 200
    client.post(reverse("litigation:complete_materials", args=[case.pk]), {})
    form = client.get(reverse("litigation:register", args=[case.pk])).content.decode()
    assert "小额诉讼适用性" in form and "第一百六十六条" in form
    response = client.post(reverse("litigation:register", args=[case.pk]), {"procedure": "ordinary"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).number.endswith("民初1号")


@pytest.mark.django_db
def test_bad_input_never_500s(client, world):
    case = filed_case(world)
    login(client, world.clerk)
    assert client.post(reverse("litigation:register", args=[case.pk]), {"procedure": "nonsense"}).status_code == 200
    assert client.post(reverse("litigation:refuse", args=[case.pk]), {"reason": ""}).status_code == 200
    assert client.post(reverse("litigation:complete_materials", args=[case.pk]),
                       {"received_on": "not-a-date"}).status_code == 302
    judge = login(client, world.judge)
    assert judge.post(reverse("litigation:judgment", args=[case.pk]), {"perform_by": "2025-13-01"}).status_code == 200
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FILED


@pytest.mark.django_db
def test_refer_page_and_panel(client, world, monkeypatch):
    consent_everyone(monkeypatch)
    world.mediator.organisations.add(world.dawukou_court)
    case = registered_case(world)
    login(client, world.clerk)
    response = client.post(reverse("litigation:refer", args=[case.pk]), {"mediator": world.mediator.pk})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_COURT_MEDIATION
    request = RequestFactory().get("/")
    request.user = world.clerk
    panel = panel_context(request, case.dispute)
    assert panel is not None and panel["cases"] == [Case.objects.get(pk=case.pk)]
    page = login(client, world.mediator_user).get(reverse("litigation:case", args=[case.pk])).content.decode()
    assert "签收委托调解" in page
