"""What each document shows and who may produce it, and HTML → PDF with WeasyPrint.

Identity numbers on documents (decision, docs/documents.md): a document shows a party's full
identity number only where the law needs the parties identified beyond doubt and the document
goes only to the people it identifies; everywhere else the number is masked.

* 调解协议书 and 司法确认申请书: full. The agreement records 当事人的基本情况 (《人民调解法》第二十九条)
  and is the title later confirmed and enforced; the joint application must give both parties'
  identity. Both are signed by, and handed to, the parties themselves.
* 民事裁定书: masked number; the ruling identifies natural persons by name, sex, date of birth
  and domicile (《人民法院民事裁判文书制作规范》, 法〔2016〕221号), not by identity number.
* The notices (补正告知书, 诉讼风险告知书, 履行告知书): masked number and address.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.loader import render_to_string

from suyuan.accounts.choices import Role
from suyuan.common.errors import InvalidInput
from suyuan.common.masking import mask_address, mask_credit_code, mask_id_number
from suyuan.disputes.models import Dispute
from suyuan.parties.choices import PartyKind
from suyuan.rules import periods, thresholds

from .choices import DocumentKind

SYSTEM = "system"


@dataclass(frozen=True)
class LegalBasis:
    text: str
    citation: str


def _period_basis(rule: str, start: date, sentence: Callable[[periods.Deadline], str]) -> LegalBasis:
    """A sentence that names the computed due date (short periods, inside the holiday calendar)."""
    deadline = periods.compute(rule, start=start)
    return LegalBasis(sentence(deadline), deadline.citation)


def _rule_basis(rule: str, on: date, sentence: Callable[[periods.PeriodRule], str]) -> LegalBasis:
    """A sentence that states the period only: long periods (two years) end beyond the published
    holiday calendar, so their last day is computed when it matters, not printed in advance."""
    entry = periods.rule_in_force(rule, on=on)
    return LegalBasis(sentence(entry), entry.citation)


def _agreement_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    signed = ctx["agreement_date"]
    return [
        LegalBasis("经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。",
                   "《中华人民共和国人民调解法》第三十一条"),
        _period_basis("confirmation_application", signed, lambda d: (
            f"双方当事人可以自本协议生效之日起{d.rule.length}日内（即{d.due:%Y年%m月%d日}前）共同向人民法院申请司法确认。")),
    ]


def _application_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    return [_period_basis("confirmation_application", ctx["agreement_date"], lambda d: (
        f"本申请应当自调解协议生效之日起{d.rule.length}日内提出；本协议的申请期限届满日为{d.due:%Y年%m月%d日}。"))]


def _ruling_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    basis = [LegalBasis(
        "人民法院受理申请后，经审查，符合法律规定的，裁定调解协议有效，一方当事人拒绝履行或者未全部履行的，"
        "对方当事人可以向人民法院申请执行。",
        "《中华人民共和国民事诉讼法》（2023年修正）第二百零六条",
    )]
    if ctx.get("performance_due"):
        basis.append(_rule_basis("enforcement_application", ctx["performance_due"], lambda r: (
            f"申请执行的期间为{r.length}年，自{r.starts}起计算。")))
    return basis


def _correction_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    return [_period_basis("registration", ctx["notice_date"], lambda d: (
        f"起诉材料补正齐全后，人民法院应当在{d.rule.length}日内决定是否立案；不予受理的，作出裁定并说明理由。"))]


def _risk_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    on = ctx["notice_date"]
    basis = [
        _period_basis("fee_payment", on, lambda d: (
            f"原告应当自接到交纳诉讼费用通知之日起{d.rule.length}日内交纳案件受理费，逾期不交纳又未申请缓交的，按撤诉处理。")),
        _rule_basis("enforcement_application", on, lambda r: (
            f"生效法律文书确定的义务人不履行的，权利人申请执行的期间为{r.length}年，逾期申请可能丧失强制执行的保护。")),
    ]
    limit = thresholds.small_claims_limit(province_code="64", on=on)
    if limit is not None:
        basis.append(LegalBasis(
            f"标的额在{limit.amount}元以下的简单金钱给付案件适用小额诉讼程序，一审终审。", limit.citation
        ))
    return basis


def _performance_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    on = ctx["notice_date"]
    basis = [_rule_basis("enforcement_application", ctx.get("performance_due") or on, lambda r: (
        f"义务人逾期不履行的，权利人可以自{r.starts}起{r.length}年内向人民法院申请强制执行。"))]
    rule = thresholds.dishonest_list_rule(on)
    if rule is not None:
        basis.append(LegalBasis(
            f"进入强制执行后仍不履行的，人民法院可以依法将被执行人纳入失信被执行人名单，纳入期限一般为{rule.listing_years}年；"
            f"纳入前一般给予{rule.grace_months_min}至{rule.grace_months_max}个月的宽限期，期间履行完毕的不予纳入。",
            f"{rule.listing_citation}；{rule.grace_citation}",
        ))
    return basis


def _enforcement_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    # Article numbers of the 2023 revision (2021 revision: 第二百四十七条、第二百六十条).
    return [
        LegalBasis("执行员接到申请执行书，应当向被执行人发出执行通知，并可以立即采取强制执行措施。",
                   "《中华人民共和国民事诉讼法》（2023年修正）第二百五十一条"),
        LegalBasis("被执行人未按判决、裁定和其他法律文书指定的期间履行给付金钱义务的，应当加倍支付迟延履行期间的债务利息。",
                   "《中华人民共和国民事诉讼法》（2023年修正）第二百六十四条"),
    ]


def _report_order_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    return [
        LegalBasis("被执行人未按执行通知履行法律文书确定的义务，应当报告当前以及收到执行通知之日前一年的财产情况；"
                   "拒绝报告或者虚假报告的，人民法院可以根据情节轻重予以罚款、拘留。",
                   "《中华人民共和国民事诉讼法》（2023年修正）第二百五十二条"),
        LegalBasis("报告财产令载明提交财产报告的期限、报告财产的范围和期间、拒绝报告或者虚假报告的法律后果。",
                   "《最高人民法院关于民事执行中财产调查若干问题的规定》（2020年修正）第三条"),
    ]


def _preservation_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    # The citations of the grant come from the preservation rules data (by the date of the ruling);
    # reconsideration: 民诉法（2023年修正）第一百一十一条 (第一百零八条 before 2024), within 5 days of
    # service (财产保全规定 第二十五条), as 民诉法解释（2022年修正）第一百七十二条 refers to it.
    return [
        LegalBasis("保全限于请求的范围，或者与本案有关的财物；财产保全采取查封、扣押、冻结或者法律规定的其他方法。",
                   str(ctx["scope_citation"])),
        LegalBasis("当事人对保全裁定不服的，可以自本裁定书送达之日起五日内向本院申请复议一次；复议期间不停止裁定的执行。",
                   str(ctx["reconsideration_citation"])),
    ]


@dataclass(frozen=True)
class DocumentSpec:
    kind: DocumentKind
    template: str
    roles: frozenset[str]  # who may render it (SYSTEM: the worker / a lifecycle hook)
    requires: tuple[str, ...]  # context keys the caller must give
    full_id_numbers: bool
    full_addresses: bool
    basis: Callable[[dict[str, Any]], list[LegalBasis]]


MEDIATION_ROLES = frozenset({Role.MEDIATOR, Role.ORG_ADMIN, Role.CLERK, Role.JUDGE})
COURT_ROLES = frozenset({Role.CLERK, Role.JUDGE})
SPECS: dict[str, DocumentSpec] = {
    s.kind: s for s in [
        DocumentSpec(DocumentKind.MEDIATION_AGREEMENT, "documents/pdf/mediation_agreement.html",
                     MEDIATION_ROLES, ("agreement_date", "terms", "amount"), True, True, _agreement_basis),
        DocumentSpec(DocumentKind.CONFIRMATION_APPLICATION, "documents/pdf/confirmation_application.html",
                     MEDIATION_ROLES | {Role.PARTY}, ("agreement_date", "amount", "application_date"), True, True,
                     _application_basis),
        DocumentSpec(DocumentKind.CONFIRMATION_RULING, "documents/pdf/confirmation_ruling.html",
                     frozenset({Role.JUDGE}), ("case_number", "agreement_date", "amount", "ruling_date", "terms"),
                     False, True, _ruling_basis),
        DocumentSpec(DocumentKind.CORRECTION_NOTICE, "documents/pdf/correction_notice.html",
                     COURT_ROLES, ("notice_date", "missing"), False, False, _correction_basis),
        DocumentSpec(DocumentKind.LITIGATION_RISK_NOTICE, "documents/pdf/litigation_risk_notice.html",
                     COURT_ROLES | MEDIATION_ROLES | {SYSTEM}, ("notice_date",), False, False, _risk_basis),
        DocumentSpec(DocumentKind.PERFORMANCE_NOTICE, "documents/pdf/performance_notice.html",
                     COURT_ROLES | {Role.MEDIATOR, Role.ORG_ADMIN, SYSTEM},
                     ("notice_date", "amount", "obligor", "obligee", "instalments"), False, False,
                     _performance_basis),
        DocumentSpec(DocumentKind.ENFORCEMENT_NOTICE, "documents/pdf/enforcement_notice.html",
                     frozenset({Role.ENFORCEMENT, SYSTEM}),
                     ("notice_date", "case_number", "amount", "obligor", "obligee", "basis_label"), False, False,
                     _enforcement_basis),
        DocumentSpec(DocumentKind.PROPERTY_REPORT_ORDER, "documents/pdf/property_report_order.html",
                     frozenset({Role.ENFORCEMENT, SYSTEM}), ("notice_date", "case_number", "obligor"), False, False,
                     _report_order_basis),
        DocumentSpec(DocumentKind.PRESERVATION_RULING, "documents/pdf/preservation_ruling.html",
                     COURT_ROLES, ("case_number", "ruling_date", "amount", "kind_label", "applicant_name",
                                   "respondent_name", "ruling_citation", "scope_citation",
                                   "reconsideration_citation"), False, True, _preservation_basis),
    ]
}

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
SECTIONS = ["", "万", "亿", "兆"]


def rmb_upper(amount: Decimal) -> str:
    """12000.50 → 壹万贰仟元伍角整 (the capital form written on agreements and rulings)."""
    cents = int((amount * 100).quantize(Decimal("1")))
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if yuan == 0:
        head = ""
    else:
        parts: list[str] = []
        section_index, need_zero = 0, False
        while yuan:
            section, yuan = yuan % 10000, yuan // 10000
            text, zero = "", False
            for i in range(4):
                digit = section // (10 ** i) % 10
                if digit:
                    text = DIGITS[digit] + UNITS[i] + ("零" if zero and text else "") + text
                    zero = False
                else:
                    zero = True
            if section:
                parts.insert(0, text + SECTIONS[section_index] + ("零" if need_zero and parts else ""))
            need_zero = section < 1000
            section_index += 1
        head = "".join(parts) + "元"
    tail = (DIGITS[jiao] + "角" if jiao else ("零" if fen and head else "")) + (DIGITS[fen] + "分" if fen else "")
    return (head + tail + ("" if fen else "整")) or "零元整"


def parse_amount(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput("金额格式有误。", errors={field: ["请填写金额（元），如 12000.00。"]}) from exc
    if amount < 0:
        raise InvalidInput("金额不能为负数。", errors={field: ["金额不能为负数。"]})
    return amount


def _sex_and_birth(id_number: str) -> tuple[str, date | None]:
    if len(id_number) != 18:
        return "", None
    try:
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return "", None
    return ("男" if int(id_number[16]) % 2 else "女"), born


def party_rows(dispute: Dispute, spec: DocumentSpec) -> list[dict[str, Any]]:
    rows = []
    for dp in dispute.dispute_parties.select_related("party").order_by("role", "position"):
        party = dp.party
        natural = party.kind == PartyKind.NATURAL
        if natural:
            identity = party.id_number if spec.full_id_numbers else mask_id_number(party.id_number)
            identity_label = "公民身份号码"
        else:
            # Masked like an ID number unless the document needs it in full (issue 15, R2).
            identity = party.credit_code if spec.full_id_numbers else mask_credit_code(party.credit_code)
            identity_label = "统一社会信用代码"
        sex, born = _sex_and_birth(party.id_number) if natural else ("", None)
        address = party.address if spec.full_addresses or not natural else mask_address(party.address)
        rows.append({
            "pk": party.pk, "role": dp.get_role_display(), "role_code": dp.role, "name": party.name,
            "natural": natural, "identity": identity, "identity_label": identity_label, "sex": sex,
            "born": born, "address": address, "representative": party.representative,
        })
    return rows


def carries_full_identities(kind: str) -> bool:
    """Whether a document of ``kind`` prints ID numbers and credit codes in full."""
    spec = SPECS.get(kind)
    return spec is None or spec.full_id_numbers


def build_context(*, dispute: Dispute, spec: DocumentSpec, context: dict[str, Any]) -> dict[str, Any]:
    missing = [key for key in spec.requires if context.get(key) in (None, "", [])]
    if missing:
        raise InvalidInput("生成文书所需的信息不完整。", errors={key: ["此项为必填。"] for key in missing})
    ctx = dict(context)
    if "amount" in ctx:
        ctx["amount"] = parse_amount(ctx["amount"], "amount")
        ctx["amount_upper"] = rmb_upper(ctx["amount"])
    ctx.update({
        "dispute": dispute, "court": dispute.court, "parties": party_rows(dispute, spec),
        "claims": list(dispute.claims.all()), "title": spec.kind.label,
    })
    ctx["basis"] = spec.basis(ctx)
    return ctx


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """HTML → PDF. Fonts come from fontconfig (Debian fonts-noto-cjk); nothing is fetched."""
    from weasyprint import HTML  # imported late: pango is loaded only when a PDF is made

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress lines flood the worker log

    html = render_to_string(template, context)
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()  # type: ignore[no-any-return]


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"documents do not load external resources: {url}")
