"""Documents: PDFs read back with pdftotext, digests, signatures through the adapter, download scope."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.common.masking import mask_id_number
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.disputes.services import record_dispute
from suyuan.documents.choices import DocumentKind
from suyuan.documents.models import Document, SignatureRecord
from suyuan.documents.rendering import rmb_upper
from suyuan.documents.selectors import is_fully_signed, missing_signers, verify_document
from suyuan.documents.services import render_document, sign_document
from suyuan.testing.disputes import grid_input

ORIGIN = Origin(via="test", ip="127.0.0.1")
AGREEMENT = {
    "agreement_date": date(2026, 3, 2),
    "terms": ["被申请人李四于2026年4月30日前向申请人陈当事支付借款人民币 12000.00 元。", "双方就本纠纷再无其他争议。"],
    "amount": "12000",
    "instalments": [{"due": date(2026, 4, 30), "amount": "12000.00"}],
}


def pdf_text(document: Document) -> str:
    result = subprocess.run(["pdftotext", "-layout", document.file.path, "-"], capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture
def dispute(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    d = record_dispute(actor=world.grid_worker, origin=ORIGIN, data=data).dispute
    Dispute.objects.filter(pk=d.pk).update(mediator=world.mediator, handling_organisation=world.committee)
    d.refresh_from_db()
    return d


def parties(dispute):
    return [dp.party for dp in dispute.dispute_parties.select_related("party").order_by("role")]


@pytest.fixture
def agreement(world, dispute):
    return render_document(dispute=dispute, kind=DocumentKind.MEDIATION_AGREEMENT, context=AGREEMENT,
                           actor=world.mediator_user, origin=ORIGIN, signers=parties(dispute))


@pytest.mark.parametrize(("amount", "upper"), [
    ("12000", "壹万贰仟元整"), ("10050.30", "壹万零伍拾元叁角整"), ("100000", "壹拾万元整"),
    ("0.05", "伍分"), ("1001", "壹仟零壹元整"), ("200000000", "贰亿元整"),
])
def test_amount_in_capitals(amount, upper):
    assert rmb_upper(Decimal(amount)) == upper


@pytest.mark.django_db
def test_agreement_pdf_has_parties_amounts_and_basis(world, dispute, agreement):
    text = pdf_text(agreement)
    applicant, respondent = parties(dispute)
    assert "调 解 协 议 书" in text or "调解协议书" in text
    for expected in (applicant.name, respondent.name, "12000.00", "壹万贰仟元整", "2026年4月30日", dispute.number):
        assert expected in text, expected
    # The agreement identifies both parties fully (人民调解法 第二十九条): full ID numbers.
    assert applicant.id_number in text and respondent.id_number in text
    # Legal basis from the rules module: the 30-day confirmation period and its citation.
    assert "第三十一条" in text and "30日内" in text and "第二百零五条" in text
    assert agreement.sha256 and len(agreement.sha256) == 64 and agreement.version == 1
    assert agreement.file.name.startswith("documents/") and "调解" not in agreement.file.name
    event = DisputeEvent.objects.get(dispute=dispute, kind="document.rendered")
    assert event.data["sha256"] == agreement.sha256


@pytest.mark.django_db
def test_fonts_are_embedded_cjk(agreement):
    fonts = subprocess.run(["pdffonts", agreement.file.path], capture_output=True, check=True).stdout.decode()
    assert "Noto-Serif-CJK-SC" in fonts


@pytest.mark.django_db
def test_ruling_and_notices_mask_identity_numbers(world, dispute):
    applicant, respondent = parties(dispute)
    ruling = render_document(
        dispute=dispute, kind=DocumentKind.CONFIRMATION_RULING, actor=world.judge, origin=ORIGIN,
        context={**AGREEMENT, "case_number": "（2026）宁0202民特12号", "ruling_date": date(2026, 3, 10),
                 "performance_due": date(2026, 4, 30), "judge_name": "孙法官"},
    )
    text = pdf_text(ruling)
    assert "（2026）宁0202民特12号" in text and applicant.name in text and "12000.00" in text
    assert applicant.id_number not in text and respondent.id_number not in text
    assert "1985年3月12日出生" in text  # identified by birth date and sex instead (裁判文书制作规范)
    assert "第二百五十条" in text  # enforcement application period, from the rules
    notice = render_document(
        dispute=dispute, kind=DocumentKind.PERFORMANCE_NOTICE, actor=world.judge, origin=ORIGIN,
        context={"notice_date": date(2026, 3, 10), "amount": "12000", "obligor": respondent.name,
                 "obligee": applicant.name, "instalments": AGREEMENT["instalments"],
                 "performance_due": date(2026, 4, 30)},
    )
    text = pdf_text(notice)
    assert respondent.name in text and applicant.name in text and "壹万贰仟元整" in text
    assert respondent.id_number not in text
    assert "1至3个月的宽限期" in text and "法释〔2017〕7号" in text  # dishonest-list grace notice


@pytest.mark.django_db
def test_correction_and_risk_notices(world, dispute):
    applicant, _ = parties(dispute)
    correction = render_document(
        dispute=dispute, kind=DocumentKind.CORRECTION_NOTICE, actor=world.clerk, origin=ORIGIN,
        context={"notice_date": date(2026, 3, 2), "missing": ["被告的身份信息", "借条原件的复印件"]},
    )
    text = pdf_text(correction)
    assert "被告的身份信息" in text and "借条原件的复印件" in text and "第一百二十六条" in text
    assert applicant.id_number not in text and mask_id_number(applicant.id_number) in text
    risk = render_document(dispute=dispute, kind=DocumentKind.LITIGATION_RISK_NOTICE, actor=world.clerk,
                           origin=ORIGIN, context={"notice_date": date(2026, 3, 2), "amount": "12000"})
    text = pdf_text(risk)
    assert "第二十二条" in text and "诉讼风险告知书" in text.replace(" ", "")
    application = render_document(
        dispute=dispute, kind=DocumentKind.CONFIRMATION_APPLICATION, actor=world.party_user, origin=ORIGIN,
        context={**AGREEMENT, "application_date": date(2026, 3, 5)},
    )
    text = pdf_text(application)
    assert "大武口区人民法院" in text and "2026年04月01日" in text  # 30 days from 2026-03-02


@pytest.mark.django_db
def test_render_checks_role_scope_and_input(world, dispute):
    with pytest.raises(NotPermitted):
        render_document(dispute=dispute, kind=DocumentKind.CONFIRMATION_RULING, context={}, actor=world.clerk,
                        origin=ORIGIN)
    with pytest.raises(NotFound):
        render_document(dispute=dispute, kind=DocumentKind.CORRECTION_NOTICE, actor=world.other_clerk,
                        origin=ORIGIN, context={"notice_date": date(2026, 3, 2), "missing": ["x"]})
    with pytest.raises(InvalidInput) as exc:
        render_document(dispute=dispute, kind=DocumentKind.MEDIATION_AGREEMENT, context={"terms": ["x"]},
                        actor=world.mediator_user, origin=ORIGIN)
    assert set(exc.value.errors) == {"agreement_date", "amount"}
    with pytest.raises(InvalidInput):
        render_document(dispute=dispute, kind=DocumentKind.MEDIATION_AGREEMENT, context={**AGREEMENT, "amount": "十"},
                        actor=world.mediator_user, origin=ORIGIN)
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_rendering_again_makes_a_new_version(world, dispute, agreement):
    again = render_document(dispute=dispute, kind=DocumentKind.MEDIATION_AGREEMENT, context=AGREEMENT,
                            actor=world.mediator_user, origin=ORIGIN)
    assert again.version == 2 and agreement.file.name != again.file.name
    agreement.refresh_from_db()
    assert verify_document(agreement).ok


@pytest.mark.django_db
def test_sign_verify_and_one_changed_byte_is_detected(world, dispute, agreement, capsys):
    applicant, respondent = parties(dispute)
    record = sign_document(document=agreement, actor=world.party_user, id_number=applicant.id_number.lower(),
                           origin=ORIGIN)
    assert record.document_sha256 == agreement.sha256 and record.ip == "127.0.0.1"
    assert missing_signers(agreement) == [respondent] and not is_fully_signed(agreement)
    call_command("verify_document", str(agreement.pk))
    assert capsys.readouterr().out.strip().endswith("ok")
    path = agreement.file.path
    with open(path, "r+b") as f:
        f.seek(len(f.read()) // 2)
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(CommandError) as exc:
        call_command("verify_document", str(agreement.pk))
    message = str(exc.value)
    assert "文件内容在生成后被改动" in message and f"{applicant.name}于" in message
    assert "该签名对现有文件无效" in message
    # A changed file can no longer be signed.
    respondent_user = _user_for(respondent)
    with pytest.raises(Conflict):
        sign_document(document=agreement, actor=respondent_user, id_number=respondent.id_number, origin=ORIGIN)


def _user_for(party):
    from suyuan.accounts.choices import Role
    from suyuan.testing.factories import make_user

    return make_user(Role.PARTY, party=party, full_name=party.name)


@pytest.mark.django_db
def test_fully_signed_when_every_required_signer_has_signed(world, dispute, agreement):
    applicant, respondent = parties(dispute)
    sign_document(document=agreement, actor=world.party_user, id_number=applicant.id_number, origin=ORIGIN)
    sign_document(document=agreement, actor=_user_for(respondent), id_number=respondent.id_number, origin=ORIGIN)
    assert is_fully_signed(agreement)
    assert DisputeEvent.objects.filter(dispute=dispute, kind="document.signed", data__complete=True).count() == 1
    with pytest.raises(Conflict):
        sign_document(document=agreement, actor=world.party_user, id_number=applicant.id_number, origin=ORIGIN)


@pytest.mark.django_db
def test_edited_signature_record_is_detected(world, dispute, agreement):
    applicant, _ = parties(dispute)
    record = sign_document(document=agreement, actor=world.party_user, id_number=applicant.id_number, origin=ORIGIN)
    SignatureRecord.objects.filter(pk=record.pk).update(signer=world.clerk)
    report = verify_document(agreement)
    assert not report.ok and any("签名记录被改动" in p for p in report.problems)


@pytest.mark.django_db
def test_wrong_identity_is_refused_and_audited(world, dispute, agreement):
    _, respondent = parties(dispute)
    with pytest.raises(InvalidInput) as exc:
        sign_document(document=agreement, actor=world.party_user, id_number=respondent.id_number, origin=ORIGIN)
    assert "身份核验未通过" in exc.value.message and "id_number" in exc.value.errors
    assert not SignatureRecord.objects.exists()
    refused = AuditEntry.objects.filter(actor=world.party_user, target_type="document_signature_refused")
    assert refused.count() == 1 and respondent.id_number not in str(refused.get().detail)
    for _ in range(4):
        with pytest.raises(InvalidInput):
            sign_document(document=agreement, actor=world.party_user, id_number="", origin=ORIGIN)
    with pytest.raises(NotPermitted) as exc:
        sign_document(document=agreement, actor=world.party_user, id_number=world.party_user.party.id_number,
                      origin=ORIGIN)
    assert "失败次数过多" in exc.value.message


@pytest.mark.django_db
def test_only_required_party_signers_may_sign(world, dispute):
    applicant, respondent = parties(dispute)
    notice = render_document(
        dispute=dispute, kind=DocumentKind.CORRECTION_NOTICE, actor=world.clerk, origin=ORIGIN,
        context={"notice_date": date(2026, 3, 2), "missing": ["x"]}, signers=[respondent],
    )
    with pytest.raises(NotPermitted):
        sign_document(document=notice, actor=world.party_user, id_number=applicant.id_number, origin=ORIGIN)
    with pytest.raises(NotPermitted):
        sign_document(document=notice, actor=world.clerk, id_number=applicant.id_number, origin=ORIGIN)


@pytest.mark.django_db
def test_download_scope(client, world, dispute, agreement):
    url = f"/documents/{agreement.pk}/download/"
    for user in (world.party_user, world.clerk, world.mediator_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.role
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF-") and response["X-Document-SHA256"] == agreement.sha256
    for user in (world.other_clerk, world.other_grid_worker):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.role
    client.force_login(world.auditor)
    assert client.get(url).status_code == 403
    reads = AuditEntry.objects.filter(action="read_file", target_type="document", target_id=str(agreement.pk))
    assert reads.count() == 3


@pytest.mark.django_db
def test_sign_page_and_panel(client, world, dispute, agreement):
    from django.test import RequestFactory

    from suyuan.documents.views import panel_context

    request = RequestFactory().get("/")
    request.user = world.party_user
    rows = panel_context(request, dispute)["document_rows"]
    assert rows[0]["can_sign"] and not rows[0]["complete"]
    client.force_login(world.party_user)
    response = client.post(f"/documents/{agreement.pk}/sign/", {"id_number": "640202199001010000"})
    assert response.status_code == 400 and "身份核验未通过".encode() in response.content
    response = client.post(f"/documents/{agreement.pk}/sign/", {"id_number": world.party_user.party.id_number})
    assert response.status_code == 302
    assert SignatureRecord.objects.filter(document=agreement, party=world.party_user.party).exists()
