"""Issue 3's two paths through the dispute lifecycle, driven in Chromium through the pages only:

(a) grid-worker intake → people's mediation (referral, dispatch, signed receipt, consents, a
    session, an offer, the agreement signed with an identity re-check) → judicial confirmation
    (joint application signed by both, acceptance, ruling) → a payment reported and confirmed;
(b) a party declines mediation → files a suit → the clerk registers it on the small-claims track.

Staff work on a desktop viewport, the parties on a phone. Every PDF produced on the way is
downloaded and read back with pdftotext: it names the parties and states the amount.
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from suyuan.disputes.models import Dispute
from suyuan.parties.models import Party
from suyuan.testing.factories import PASSWORD, make_id_number, make_user

from .conftest import DESKTOP, PHONE, field, login, nav, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESPONDENT = "李四"


def pdf_text(path: str) -> str:
    out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def download(page, scope, link_name: str | re.Pattern[str]) -> str:  # type: ignore[no-untyped-def]
    """Click the download link inside ``scope`` and return the PDF's text."""
    with page.expect_download() as info:
        scope.get_by_role("link", name=link_name).first.click()
    path = info.value.path()
    assert path is not None
    return pdf_text(str(path))


def assert_names_and_amount(text: str, amount: str, *names: str) -> None:
    assert amount in text, text[:400]
    for name in names:
        assert name in text, (name, text[:400])


def respondent_user():  # type: ignore[no-untyped-def]
    """The respondent has an account too: they consent, accept the offer and sign."""
    party = Party.objects.create(kind="natural", name=RESPONDENT, id_number=make_id_number(birth="19900215"),
                                 phone="13800000002", address="宁夏石嘴山市大武口区长胜街道某小区2号楼")
    return make_user("party", party=party, username="party2", full_name=RESPONDENT)


def record_on_phone(new_page, base: str, world, respondent: Party, amount: str) -> str:  # type: ignore[no-untyped-def]
    applicant = world.party_user.party
    phone = new_page(PHONE)
    login(phone, base, "grid1", PASSWORD)
    nav(phone, "登记纠纷")
    field(phone, "纠纷类别").select_option(label="借贷债务")
    field(phone, "纠纷发生地").select_option(value=world.grid.code)
    field(phone, "申请人姓名/名称").fill(applicant.name)
    field(phone, "申请人证件号码").fill(applicant.id_number)
    field(phone, "申请人联系电话").fill(applicant.phone)
    field(phone, "被申请人姓名/名称").fill(respondent.name)
    field(phone, "被申请人证件号码").fill(respondent.id_number)
    field(phone, "请求事项").fill(f"请求被申请人归还借款 {amount} 元")
    field(phone, "标的额（元）").fill(amount)
    field(phone, "事实与理由").fill("被申请人于2026年3月向申请人借款，约定三个月内归还，至今未还。")
    field(phone, "当事人授权方式").select_option(value="written")
    phone.get_by_role("button", name="提交登记").click()
    phone.wait_for_url(re.compile(r".*/disputes/SY-\d{4}-\d{6}/$"))
    shot(phone, "lifecycle-intake-phone")
    return phone.locator("#dispute-number").inner_text().strip()


def open_dispute(page, base: str, number: str) -> None:  # type: ignore[no-untyped-def]
    # The dispute's page, as reached from the workbench or a notification's link.
    page.goto(f"{base}/disputes/{number}/")


def refer_to_committee(new_page, base: str, world, number: str):  # type: ignore[no-untyped-def]
    centre = new_page(DESKTOP)
    login(centre, base, "centre1", PASSWORD)
    open_dispute(centre, base, number)
    panel = centre.locator("#mediation-panel")
    field(panel, "委派调解组织").select_option(label=f"{world.committee.name}（{world.committee.get_kind_display()}）")
    field(panel, "委派说明").fill("邻里借贷纠纷，请就近调解")
    panel.get_by_role("button", name="委派调解").click()
    assert centre.get_by_text("已委派调解组织").is_visible()
    return centre


def give_consent(page, base: str, number: str, *, given: bool) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/mediation/consents/")  # “我的调解意愿”, linked from the referral page
    row = page.locator(f"#consent-{number} tbody tr").filter(has_text="同意调解")
    row.get_by_role("button", name="同意" if given else "不同意", exact=True).click()
    assert page.get_by_text("已记录").first.is_visible()


def test_intake_mediation_confirmation_and_payment(new_page, live_server, world):
    base = live_server.url
    respondent = respondent_user()
    applicant = world.party_user.party
    amount = "12000"

    number = record_on_phone(new_page, base, world, respondent.party, amount)
    dispute = Dispute.objects.get(number=number)
    assert set(dispute.dispute_parties.values_list("party_id", flat=True)) == {applicant.pk, respondent.party_id}

    # Referral by the governance centre, dispatch by the committee's admin, receipt by the mediator.
    refer_to_committee(new_page, base, world, number)
    admin = new_page(DESKTOP)
    login(admin, base, "orgadmin1", PASSWORD)
    open_dispute(admin, base, number)
    admin.get_by_role("link", name="查看调解详情").click()
    assert admin.locator("#candidates").get_by_text("李调解").is_visible()
    shot(admin, "lifecycle-a-dispatch-desktop")
    admin.get_by_role("button", name="分派").click()
    assert admin.locator("#referral-mediator").inner_text() == "李调解"

    mediator = new_page(DESKTOP)
    login(mediator, base, "mediator1", PASSWORD)
    mediator.goto(f"{base}/mediation/mine/")
    mediator.get_by_role("link", name=number).click()
    referral_url = mediator.url
    mediator.get_by_role("button", name="签收委派").click()
    assert mediator.locator("#referral-status").inner_text() == "已签收"

    # Both parties consent on their phones.
    plaintiff = new_page(PHONE)
    login(plaintiff, base, "party1", PASSWORD)
    give_consent(plaintiff, base, number, given=True)
    debtor = new_page(PHONE)
    login(debtor, base, "party2", PASSWORD)
    give_consent(debtor, base, number, given=True)
    shot(debtor, "lifecycle-a-consent-phone")

    # A session and the mediator's offer; the respondent accepts it.
    mediator.goto(referral_url)
    field(mediator, "方式").select_option(label="现场调解")
    field(mediator, "时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    field(mediator, "地点（现场调解）").fill("长胜街道人民调解委员会调解室")
    field(mediator, "记录摘要").fill("双方到场，被申请人承认借款，同意还款")
    mediator.get_by_role("button", name="安排调解").click()
    assert mediator.locator("#referral-status").inner_text() == "调解中"
    field(mediator, "金额（元）").fill(amount)
    field(mediator, "方案内容").fill(f"被申请人{RESPONDENT}于一个月内归还申请人{applicant.name}借款 {amount} 元。")
    mediator.get_by_role("button", name="提出方案").click()

    debtor.goto(referral_url)
    debtor.locator("#offers").get_by_role("button", name="接受").click()
    assert debtor.locator("#offers").get_by_text("已接受").is_visible()

    # The agreement: drafted from the accepted offer, issued, signed by both with the ID re-check.
    due = timezone.localdate() + timedelta(days=30)
    mediator.goto(referral_url)
    field(mediator, "协议金额（元）").fill(amount)
    field(mediator, "第1期期限").fill(due.isoformat())
    field(mediator, "第1期金额（元）").fill(amount)
    mediator.get_by_role("button", name="保存协议草稿").click()
    mediator.get_by_role("button", name="调解员签署并送当事人签署").click()
    assert mediator.locator("#agreement-status").inner_text() == "待当事人签署"
    shot(mediator, "lifecycle-a-agreement-desktop")

    debtor.goto(referral_url)
    field(debtor, "请再次输入您的证件号码以核验身份").fill(applicant.id_number)  # someone else's number
    debtor.get_by_role("button", name="签署调解协议").click()
    assert debtor.get_by_text("身份核验未通过").is_visible()
    field(debtor, "请再次输入您的证件号码以核验身份").fill(respondent.party.id_number)
    debtor.get_by_role("button", name="签署调解协议").click()
    plaintiff.goto(referral_url)
    field(plaintiff, "请再次输入您的证件号码以核验身份").fill(applicant.id_number)
    plaintiff.get_by_role("button", name="签署调解协议").click()
    assert plaintiff.locator("#agreement-status").inner_text() == "已生效"
    shot(plaintiff, "lifecycle-a-agreement-signed-phone")
    assert Dispute.objects.get(pk=dispute.pk).status == "settled"

    # Joint application for judicial confirmation, signed by both parties.
    open_dispute(plaintiff, base, number)
    plaintiff.get_by_role("link", name="申请司法确认").click()
    plaintiff.get_by_label("双方当事人共同申请司法确认").check()
    plaintiff.get_by_role("button", name="提交申请").click()
    assert plaintiff.locator("#confirmation-status").inner_text() == "已申请"
    for page, party in ((plaintiff, applicant), (debtor, respondent.party)):
        open_dispute(page, base, number)
        field(page, "请再次输入您的证件号码以确认身份").fill(party.id_number)
        page.get_by_role("button", name="签署《司法确认申请书》").click()
        assert page.get_by_text("已签署《司法确认申请书》").is_visible()
    shot(debtor, "lifecycle-a-application-signed-phone")

    # The court accepts (a 民特 number) and the judge confirms the agreement.
    clerk = new_page(DESKTOP)
    login(clerk, base, "clerk1", PASSWORD)
    open_dispute(clerk, base, number)
    clerk.locator("#litigation-panel").get_by_role("link", name=re.compile("司法确认")).click()
    confirmation_url = clerk.url
    clerk.get_by_role("button", name="受理并编立案号").click()
    year = timezone.localdate().year
    heading = clerk.get_by_role("heading", level=1).inner_text()
    assert re.search(rf"（{year}）宁0202民特\d+号", heading), heading
    case_number = re.search(r"（\d{4}）宁0202民特\d+号", heading).group(0)  # type: ignore[union-attr]

    judge = new_page(DESKTOP)
    login(judge, base, "judge1", PASSWORD)
    judge.goto(confirmation_url)
    judge.get_by_label("裁定确认调解协议有效").check()
    judge.get_by_role("button", name="作出裁定").click()
    assert judge.locator("#confirmation-status").inner_text() == "裁定确认有效"
    shot(judge, "lifecycle-a-ruling-desktop")

    # The PDFs: the agreement, the joint application and the ruling.
    documents = judge.locator("#stage-documents")
    application = download(judge, documents, re.compile("司法确认申请书"))
    assert_names_and_amount(application, "12000.00", applicant.name, RESPONDENT)
    ruling = download(judge, documents, re.compile("民事裁定书"))
    assert_names_and_amount(ruling, "12000.00", applicant.name, RESPONDENT, case_number)
    open_dispute(judge, base, number)
    rows = judge.locator("#documents-heading").locator("..").locator("tbody tr")
    agreement = download(judge, rows.filter(has_text="调解协议书"), "下载 PDF")
    assert "调解协议书" in agreement
    assert_names_and_amount(agreement, "12000.00", applicant.name, RESPONDENT)

    # Performance: the obligor reports the payment, the obligee confirms it.
    open_dispute(debtor, base, number)
    performance = debtor.locator("#performance-heading").locator("..")
    assert performance.get_by_text("民事裁定").first.is_visible() or performance.get_by_text("12000").first.is_visible()
    field(performance, "付款金额（元）").fill("12000.00")
    field(performance, "付款说明（可选）").fill("银行转账")
    performance.get_by_role("button", name="报告付款").click()
    shot(debtor, "lifecycle-a-payment-reported-phone")
    open_dispute(plaintiff, base, number)
    plaintiff.locator("#performance-heading").locator("..").get_by_role("button", name="确认收款").click()
    assert Dispute.objects.get(pk=dispute.pk).status == "performed"
    open_dispute(plaintiff, base, number)
    shot(plaintiff, "lifecycle-a-performed-phone")


def test_declined_mediation_to_registration_on_the_small_claims_track(new_page, live_server, world):
    base = live_server.url
    respondent = respondent_user()
    applicant = world.party_user.party
    amount = "8600"

    number = record_on_phone(new_page, base, world, respondent.party, amount)
    refer_to_committee(new_page, base, world, number)

    # The respondent declines mediation: the referral ends at once, nobody is left waiting.
    debtor = new_page(PHONE)
    login(debtor, base, "party2", PASSWORD)
    give_consent(debtor, base, number, given=False)
    shot(debtor, "lifecycle-b-declined-phone")
    assert Dispute.objects.get(number=number).status == "mediation_failed"

    # The plaintiff files the suit on their phone and gets the litigation risk notice.
    plaintiff = new_page(PHONE)
    login(plaintiff, base, "party1", PASSWORD)
    open_dispute(plaintiff, base, number)
    plaintiff.get_by_role("button", name="向法院起诉").click()
    assert plaintiff.locator(".msg-success").get_by_text("已提交起诉").is_visible()
    assert plaintiff.locator("#case-status").inner_text() == "已提交起诉"
    risk = download(plaintiff, plaintiff.locator("#stage-documents"), re.compile("诉讼风险告知书"))
    assert_names_and_amount(risk, "8600.00", applicant.name, RESPONDENT)
    shot(plaintiff, "lifecycle-b-filed-phone")

    # The clerk registers it on the small-claims track; the number carries the registration year.
    clerk = new_page(DESKTOP)
    login(clerk, base, "clerk1", PASSWORD)
    clerk.goto(f"{base}/litigation/queue/")
    clerk.get_by_role("link", name=re.compile("起诉 #")).first.click()
    clerk.get_by_role("link", name="登记立案").click()
    assert clerk.locator("#eligibility").get_by_text("8600").first.is_visible()
    shot(clerk, "lifecycle-b-register-desktop")
    field(clerk, "审理程序").select_option(label="小额诉讼程序")
    clerk.get_by_role("button", name="确认立案并编立案号").click()
    year = timezone.localdate().year
    heading = clerk.get_by_role("heading", level=1).inner_text()
    assert re.fullmatch(rf"（{year}）宁0202民初\d+号", heading.strip()), heading
    assert clerk.get_by_text(f"已立案，案号：{heading.strip()}").is_visible()
    assert "小额诉讼" in clerk.locator(".facts").first.inner_text()
    shot(clerk, "lifecycle-b-registered-desktop")

    open_dispute(plaintiff, base, number)
    assert plaintiff.locator("#litigation-panel").get_by_text(heading.strip()).is_visible()
    shot(plaintiff, "lifecycle-b-registered-phone")
