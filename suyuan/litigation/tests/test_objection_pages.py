"""The case page shows the answer and evidence periods, objections, and the judge's abuse signal."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from suyuan.disputes.choices import PartyRole
from suyuan.litigation import objections
from suyuan.litigation.models import JurisdictionObjection
from suyuan.litigation.objection_choices import ObjectionStatus

from .helpers import ORIGIN, registered_case


def _defendant(case):
    return case.dispute.dispute_parties.get(role=PartyRole.RESPONDENT).party


@pytest.mark.django_db
def test_clerk_records_service_and_files_then_judge_rules_and_sees_the_signal(world, client):
    case = registered_case(world)
    page = reverse("litigation:case", args=[case.pk])
    client.force_login(world.clerk)
    html = client.get(page).content.decode()
    assert "尚未登记收到起诉状副本之日" in html
    assert "举证期限：自收到举证通知书之日起由法院指定，不超过 15 日" in html  # simple procedure
    client.post(reverse("litigation:record_service", args=[case.pk]),
                {"party": _defendant(case).pk, "received_on": "2025-05-26"})
    html = client.get(page).content.decode()
    assert "2025-06-10 届满" in html and "第一百二十八条" in html
    client.post(reverse("litigation:file_objection", args=[case.pk]),
                {"party": _defendant(case).pk, "grounds": "被告住所地在惠农区"})
    obj = JurisdictionObjection.objects.get()
    client.force_login(world.judge)
    client.post(reverse("litigation:rule_objection", args=[obj.pk]),
                {"outcome": "reject", "reasons": "合同履行地在本院辖区", "version": obj.version})
    obj.refresh_from_db()
    assert obj.status == ObjectionStatus.REJECTED
    objections.file_jurisdiction_objection(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                           party_id=_defendant(case).pk, grounds="再次异议")
    html = client.get(page).content.decode()
    assert 'id="abuse-signal"' in html and "驳回后再次提出" in html and "第十三条" in html
    client.force_login(world.clerk)
    assert 'id="abuse-signal"' not in client.get(page).content.decode()


@pytest.mark.django_db
def test_late_objection_from_the_page_shows_the_rule_and_writes_nothing(world, client):
    case = registered_case(world)
    objections.record_complaint_service(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                        party_id=_defendant(case).pk, received_on=date(2025, 5, 1))
    client.force_login(world.clerk)
    response = client.post(reverse("litigation:file_objection", args=[case.pk]),
                           {"party": _defendant(case).pk, "grounds": "无管辖权"}, follow=True)
    assert response.status_code == 200
    assert "第一百三十条" in response.content.decode()
    assert JurisdictionObjection.objects.count() == 0
