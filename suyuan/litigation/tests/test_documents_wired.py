"""The court's documents rendered by the litigation steps, read back with pdftotext, and the
``performance`` payload those steps hand to the enforcement app (docs/workflow-contracts.md)."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from suyuan.common.errors import DomainError, InvalidInput
from suyuan.disputes.models import Dispute
from suyuan.documents.models import Document
from suyuan.litigation import confirmation, services
from suyuan.litigation.agreements import AgreementInfo
from suyuan.litigation.choices import CaseStatus, Procedure
from suyuan.rules import thresholds

from .helpers import ORIGIN, filed_case, make_dispute, registered_case

# The plan belongs to the enforcement app, a later stage: looked up by name, not imported (import layers).
PerformancePlan = apps.get_model("enforcement", "PerformancePlan")


def pdf_text(document: Document) -> str:
    out = subprocess.run(["pdftotext", "-layout", document.file.path, "-"], capture_output=True, check=True)
    # Layout mode may break a line between two characters of a name; compare without spaces.
    return "".join(out.stdout.decode().split())


def only(dispute: Dispute, kind: str) -> Document:
    documents = list(Document.objects.filter(dispute=dispute, kind=kind))
    assert len(documents) == 1, documents
    return documents[0]


@pytest.mark.django_db
def test_filing_renders_the_risk_notice_for_the_plaintiff(world):
    case = filed_case(world, amount="8600")
    text = pdf_text(only(case.dispute, "litigation_risk_notice"))
    assert "诉讼风险告知书" in text and "陈当事" in text and "李四" in text
    assert "8600.00" in text and "捌仟陆佰元整" in text
    # The notice masks identity numbers.
    assert world.party_user.party.id_number not in text


@pytest.mark.django_db
def test_a_refused_filing_leaves_no_document(world):
    case = filed_case(world)
    with pytest.raises(DomainError):
        services.file_suit(actor=world.party_user, origin=ORIGIN, dispute_id=case.dispute_id)
    assert Document.objects.filter(dispute=case.dispute).count() == 1


@pytest.mark.django_db
def test_the_correction_notice_lists_every_item_once(world):
    case = filed_case(world)
    items = ["起诉状副本（按被告人数提交）", "原告身份证明复印件", "借条原件及复印件"]
    services.request_materials(actor=world.clerk, origin=ORIGIN, case_id=case.pk, items=items)
    text = pdf_text(only(case.dispute, "correction_notice"))
    assert "一次性补正告知书" in text and "陈当事" in text
    for n, item in enumerate(items, 1):
        assert f"{n}.{item}" in text
    with pytest.raises(InvalidInput):
        services.request_materials(actor=world.clerk, origin=ORIGIN, case_id=case.pk, items=["另一项"])
    assert Document.objects.filter(dispute=case.dispute, kind="correction_notice").count() == 1


@pytest.mark.django_db
def test_small_claims_judgment_renders_the_performance_notice_and_creates_the_plan_at_once(world):
    # Final on pronouncement (第一百六十五条): the absolute date stands and the plan follows at once.
    case = registered_case(world, procedure=Procedure.SMALL_CLAIMS, amount="12000")
    case = services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    perform_by = timezone.localdate() + timedelta(days=20)
    judgment = services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk,
                                           main_text="被告李四于判决生效后十日内偿还原告陈当事借款 12000 元。",
                                           amount="12000", perform_by=perform_by)
    document = only(case.dispute, "performance_notice")
    assert judgment.document_id == document.pk
    text = pdf_text(document)
    assert "履行告知书" in text and case.number in text
    assert "李四" in text and "陈当事" in text and "12000.00" in text and "壹万贰仟元整" in text
    assert f"{perform_by.year}年{perform_by.month}月{perform_by.day}日" in text
    rule = thresholds.dishonest_list_rule(timezone.localdate())
    assert rule is not None and f"{rule.grace_months_min}至{rule.grace_months_max}个月的宽限期" in text
    plan = PerformancePlan.objects.get(dispute=case.dispute)
    assert plan.source == "judgment" and plan.total == Decimal("12000.00")
    assert plan.obligor.name == "李四" and plan.obligee_id == world.party_user.party_id
    assert [(i.due, i.amount) for i in plan.instalments.all()] == [(perform_by, Decimal("12000.00"))]
    assert Dispute.objects.get(pk=case.dispute_id).status == "performing"
    assert judgment.effective_on == timezone.localdate()


@pytest.mark.django_db
def test_a_judgment_subject_to_appeal_states_its_period_from_the_effective_date_and_waits(world):
    case = registered_case(world, procedure=Procedure.SIMPLE, amount="12000")
    case = services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    judgment = services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk,
                                           main_text="被告李四于判决生效之日起十日内偿还原告陈当事借款 12000 元。",
                                           amount="12000", perform_within_days=10)
    text = pdf_text(only(case.dispute, "performance_notice"))
    assert "自判决生效之日起10日内" in text.replace(" ", "")
    assert judgment.perform_by is None and judgment.effective_on is None
    assert not PerformancePlan.objects.filter(dispute=case.dispute).exists()


@pytest.mark.django_db
def test_an_absolute_date_is_refused_where_the_judgment_can_be_appealed(world):
    case = registered_case(world, procedure=Procedure.SIMPLE, amount="12000")
    case = services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    with pytest.raises(InvalidInput) as refused:
        services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk, main_text="偿还借款。",
                                    amount="12000", perform_by=timezone.localdate() + timedelta(days=20))
    assert "自判决生效之日起" in refused.value.errors["perform_by"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_TRIAL
    assert not Document.objects.filter(dispute=case.dispute, kind="performance_notice").exists()


@pytest.mark.django_db
def test_a_non_monetary_judgment_has_no_plan_and_no_notice(world):
    case = registered_case(world, procedure=Procedure.SIMPLE)
    services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk, main_text="被告向原告赔礼道歉。",
                                amount="", perform_within_days=10)
    assert not PerformancePlan.objects.filter(dispute=case.dispute).exists()
    assert not Document.objects.filter(dispute=case.dispute, kind="performance_notice").exists()


@pytest.fixture
def settled(world, monkeypatch):
    dispute = make_dispute(world)
    Dispute.objects.filter(pk=dispute.pk).update(status="settled")
    first, second = timezone.localdate() + timedelta(days=30), timezone.localdate() + timedelta(days=60)
    info = AgreementInfo(pk=7, effective_on=timezone.localdate() - timedelta(days=1), amount=Decimal("12000"),
                         terms="李四分两期向陈当事归还借款 12000 元。\n双方再无其他争议。",
                         instalments=({"due": first.isoformat(), "amount": "5000.00"},
                                      {"due": second.isoformat(), "amount": "7000.00"}),
                         organisation="长胜街道人民调解委员会")
    monkeypatch.setattr(confirmation, "effective_agreement", lambda d: info if d.pk == dispute.pk else None)
    return dispute, [(first, Decimal("5000.00")), (second, Decimal("7000.00"))]


@pytest.mark.django_db
def test_confirmation_renders_application_and_ruling_and_creates_the_plan(world, settled, client):
    dispute, schedule = settled
    app = confirmation.apply_for_confirmation(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, joint=True)
    application = only(dispute, "confirmation_application")
    assert {p.name for p in application.required_signers.all()} == {"陈当事", "李四"}
    text = pdf_text(application)
    assert "司法确认申请书" in text and "陈当事" in text and "李四" in text and "12000.00" in text
    assert "长胜街道人民调解委员会" in text

    app = confirmation.accept_confirmation(actor=world.clerk, origin=ORIGIN, application_id=app.pk)
    app = confirmation.decide_confirmation(actor=world.judge, origin=ORIGIN, application_id=app.pk, confirmed=True,
                                           reasons="")
    ruling = only(dispute, "confirmation_ruling")
    assert app.document_id == ruling.pk
    text = pdf_text(ruling)
    assert "民事裁定书" in text and app.number in text and "陈当事" in text and "李四" in text
    assert "12000.00" in text and "壹万贰仟元整" in text and "孙法官" in text
    plan = PerformancePlan.objects.get(dispute=dispute)
    assert plan.source == "confirmation_ruling" and plan.total == Decimal("12000.00")
    assert [(i.due, i.amount) for i in plan.instalments.all()] == schedule

    # Both documents are linked from the confirmation page.
    client.force_login(world.judge)
    page = client.get(reverse("litigation:confirmation", args=[app.pk])).content.decode()
    assert reverse("documents:download", args=[application.pk]) in page
    assert reverse("documents:download", args=[ruling.pk]) in page


@pytest.mark.django_db
def test_a_rejected_confirmation_renders_no_ruling_and_no_plan(world, settled):
    dispute, _ = settled
    app = confirmation.apply_for_confirmation(actor=world.party_user, origin=ORIGIN, dispute_id=dispute.pk, joint=True)
    app = confirmation.accept_confirmation(actor=world.clerk, origin=ORIGIN, application_id=app.pk)
    confirmation.decide_confirmation(actor=world.judge, origin=ORIGIN, application_id=app.pk, confirmed=False,
                                     reasons="协议内容损害案外人合法权益")
    assert not Document.objects.filter(dispute=dispute, kind="confirmation_ruling").exists()
    assert not PerformancePlan.objects.filter(dispute=dispute).exists()


@pytest.mark.django_db
def test_case_page_and_dispute_page_link_the_documents(world, client):
    case = filed_case(world)
    services.request_materials(actor=world.clerk, origin=ORIGIN, case_id=case.pk, items=["借条原件"])
    documents = list(Document.objects.filter(dispute=case.dispute))
    assert {d.kind for d in documents} == {"litigation_risk_notice", "correction_notice"}
    client.force_login(world.clerk)
    case_page = client.get(reverse("litigation:case", args=[case.pk])).content.decode()
    dispute_page = client.get(reverse("disputes:detail", args=[case.dispute.number])).content.decode()
    for d in documents:
        assert reverse("documents:download", args=[d.pk]) in case_page
        assert reverse("documents:download", args=[d.pk]) in dispute_page
    response = client.get(reverse("documents:download", args=[documents[0].pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")

