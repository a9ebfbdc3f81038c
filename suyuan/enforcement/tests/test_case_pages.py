"""The enforcement case page and its forms: each action through HTTP, bad input a 400 with the rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suyuan.enforcement.choices import DerivativeKind, EnforcementStatus, EnforcementTrack
from suyuan.enforcement.models import DerivativeCase, EnforcementCase, PerformancePlan

from .test_workflow import _judged_dispute, _open_on_plan, _sides


@pytest.mark.django_db
def test_officer_acts_on_the_case_page(client, world):
    case = _open_on_plan(world, amounts=("9000",))
    client.force_login(world.enforcer)
    url = f"/enforcement/cases/{case.pk}"
    page = client.get(f"{url}/").content.decode()
    assert "须执行员书面确认" in page and "法〔2016〕373号" in page and "记录执行和解协议" in page
    bad = client.post(f"{url}/track/", {"track": "complex", "reason": "", "version": case.version})
    assert bad.status_code == 400
    assert client.post(f"{url}/track/", {"track": "complex", "reason": "涉多起案件",
                                         "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.track == EnforcementTrack.COMPLEX
    refused = client.post(f"{url}/end_round/", {"confirm_assets_exhausted": "网络查控无财产"})
    assert refused.status_code == 400 and "三个月" in refused.content.decode()
    today = timezone.localdate()
    assert client.post(f"{url}/objection/", {"applicant_party_id": case.respondent_id, "grounds": "冻结超标的",
                                             "received_on": today.isoformat()}).status_code == 302
    objection = DerivativeCase.objects.get(main_case=case, kind=DerivativeKind.OBJECTION)
    assert objection.number in client.get(f"{url}/").content.decode()
    assert client.post(f"/enforcement/derivatives/{objection.pk}/dismiss/",
                       {"decision": "驳回异议"}).status_code == 302
    rows = {"due": [(today + timedelta(days=9)).isoformat(), ""], "amount": ["9000", ""]}
    assert client.post(f"{url}/settle/", {**rows, "version": case.version - 1}).status_code == 409  # stale page
    case.refresh_from_db()
    assert case.status == EnforcementStatus.OPEN
    assert not PerformancePlan.objects.filter(source="enforcement_settlement").exists()  # nothing half-written
    assert client.post(f"{url}/settle/", {**rows, "version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.status == EnforcementStatus.SETTLEMENT
    assert "执行和解协议（履行中）" in client.get(f"{url}/").content.decode()
    client.force_login(world.other_clerk)
    assert client.get(f"{url}/").status_code == 404


@pytest.mark.django_db
def test_apply_on_a_judgment_through_the_page(client, world):
    dispute = _judged_dispute(world)
    applicant, respondent = _sides(dispute)
    client.force_login(world.party_user)
    form = client.get(f"/enforcement/disputes/{dispute.pk}/apply/").content.decode()
    assert "执行风险告知" in form and "生效判决书" in form
    data = {"basis": "judgment", "basis_reference": "（2026）宁0202民初7号", "amount": "20000",
            "performance_due": (timezone.localdate() - timedelta(days=10)).isoformat(),
            "applicant_party_id": applicant, "respondent_party_id": respondent}
    refused = client.post(f"/enforcement/disputes/{dispute.pk}/apply/", data)
    assert refused.status_code == 400 and not EnforcementCase.objects.filter(dispute=dispute).exists()
    done = client.post(f"/enforcement/disputes/{dispute.pk}/apply/", {**data, "risk_acknowledged": "1"})
    assert done.status_code == 302
    case = EnforcementCase.objects.get(dispute=dispute)
    assert case.basis_reference == "（2026）宁0202民初7号" and case.plan is None


@pytest.mark.django_db
def test_leaders_see_enforcement_figures(client, world):
    _open_on_plan(world)
    client.force_login(world.leader)
    page = client.get("/governance/").content.decode()
    assert "执行到位率" in page and "终本率" in page and "立案至首次执行措施平均天数" in page
