"""Preservation through the one asset adapter: clues given with the application, the assets panel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from suyuan.assets.models import Asset, AssetSearch
from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.models import DisputeEvent
from suyuan.preservation import services
from suyuan.preservation.choices import PreservationKind
from suyuan.preservation.models import Preservation

from .helpers import ORIGIN, granted, in_mediation
from .helpers import pre_suit as pre_suit_only

pytestmark = pytest.mark.django_db


def _apply(world, dispute, clues):  # type: ignore[no-untyped-def]
    applicant = dispute.dispute_parties.get(role="applicant").party
    respondent = dispute.dispute_parties.get(role="respondent").party
    data = services.PreservationInput(kind=PreservationKind.PRE_SUIT, applicant_party_id=applicant.pk,
                                      respondent_party_id=respondent.pk, amount="12000", security_amount="12000",
                                      clue_items=tuple(clues))
    return services.apply_preservation(actor=world.clerk, origin=ORIGIN, dispute_id=dispute.pk, data=data)


def test_clues_given_with_the_application_are_assets_of_the_respondent(world):  # type: ignore[no-untyped-def]
    dispute = in_mediation(world)
    p = _apply(world, dispute, [
        services.ClueInput(kind="bank", institution="石嘴山银行大武口支行", identifier="6230580000006601",
                           value="8000"),
        services.ClueInput(kind="vehicle", institution="石嘴山市公安局交通警察支队车辆管理所", identifier="宁B·A1234"),
    ])
    rows = list(Asset.objects.filter(holder=p.ref).order_by("pk"))
    assert [(a.kind, a.source, a.party_id) for a in rows] == [("bank", "clue", p.respondent_id),
                                                              ("vehicle", "clue", p.respondent_id)]
    assert rows[0].value == Decimal("8000.00") and rows[1].value is None
    assert DisputeEvent.objects.filter(dispute=dispute, kind="asset.clue").count() == 2


def test_a_bad_clue_refuses_the_whole_application(world):  # type: ignore[no-untyped-def]
    dispute = in_mediation(world)
    with pytest.raises(InvalidInput) as info:
        _apply(world, dispute, [
            services.ClueInput(kind="bank", institution="宁夏银行石嘴山分行", identifier="6230000000001111"),
            services.ClueInput(kind="bank", institution="宁夏银行石嘴山分行", identifier=""),
        ])
    assert "第2条财产线索" in info.value.errors["clue_2_identifier"][0]
    assert not Preservation.objects.exists() and not Asset.objects.exists()


def test_a_repeated_clue_is_refused_not_a_500(world):  # type: ignore[no-untyped-def]
    dispute = in_mediation(world)
    same = services.ClueInput(kind="bank", institution="宁夏银行石嘴山分行", identifier="6230000000001111")
    with pytest.raises(InvalidInput) as info:
        _apply(world, dispute, [same, same])
    assert "重复" in info.value.errors["clue_2"][0]
    assert not Preservation.objects.exists() and not Asset.objects.exists()


def test_the_clerk_searches_the_respondents_assets_from_the_preservation_page(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]  # noqa: E501
    p = granted(world)
    client = Client()
    client.force_login(world.clerk)
    page = client.get(f"/preservation/{p.pk}/").content.decode()
    assert 'id="preservation-assets"' in page and "提交网络查控" in page and f"应控制金额 {p.amount} 元" in page
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/assets/search/", {"token": token, "dispute": p.dispute_id, "party": p.respondent_id,
                                                   "kinds": ["bank", "vehicle"], "next": f"/preservation/{p.pk}/"})
    assert response.status_code == 302
    search = AssetSearch.objects.get()
    assert (search.holder, search.party_id, search.kinds) == (p.ref, p.respondent_id, ["bank", "vehicle"])


def test_the_mediator_sees_the_panel_without_its_forms(world):  # type: ignore[no-untyped-def]
    p = granted(world)
    client = Client()
    client.force_login(world.mediator_user)
    page = client.get(f"/preservation/{p.pk}/").content.decode()
    assert 'id="preservation-assets"' in page and "提交网络查控" not in page


def test_the_ruling_pdf_of_a_granted_preservation(world):  # type: ignore[no-untyped-def]
    from suyuan.common.errors import Conflict
    from suyuan.documents.models import Document
    from suyuan.preservation import ruling

    p = pre_suit_only(world)
    with pytest.raises(Conflict):
        ruling.render_ruling(actor=world.judge, origin=ORIGIN, preservation_id=p.pk)
    p = granted(world)
    doc = ruling.render_ruling(actor=world.judge, origin=ORIGIN, preservation_id=p.pk)
    assert (doc.kind, doc.title, doc.version) == ("preservation_ruling", "民事裁定书（财产保全）", 1)
    with doc.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    assert Document.objects.filter(dispute=p.dispute, kind="preservation_ruling").count() == 1
    client = Client()
    client.force_login(world.clerk)
    page = client.get(f"/preservation/{p.pk}/").content.decode()
    assert "民事裁定书（财产保全）（第1版）" in page and "生成民事裁定书（财产保全）" in page
    with pytest.raises(NotFound):
        ruling.render_ruling(actor=world.other_clerk, origin=ORIGIN, preservation_id=p.pk)


def test_the_ruling_text_names_the_parties_amount_and_reconsideration(world):  # type: ignore[no-untyped-def]
    from suyuan.documents.rendering import SPECS, build_context
    from suyuan.preservation.legal import rules_on

    p = granted(world)
    rules = rules_on(p.ruled_at.date())
    spec = SPECS["preservation_ruling"]
    ctx = build_context(dispute=p.dispute, spec=spec, context={
        "case_number": p.number, "ruling_date": p.ruled_at.date(), "amount": p.amount, "kind_label": "诉前保全",
        "applicant_name": "甲", "respondent_name": "乙", "ruling_citation": rules.ruling_pre_suit_citation,
        "scope_citation": rules.scope_citation, "reconsideration_citation": rules.reconsideration_citation,
        "pre_suit": True})
    from django.template.loader import render_to_string

    html = render_to_string(spec.template, ctx)
    assert p.number in html and "壹万贰仟元整" in html and "五日内向本院申请复议一次" in html
    assert "第一百一十一条" in html and "第一百零四条" in html and "三十日内依法提起诉讼" in html
