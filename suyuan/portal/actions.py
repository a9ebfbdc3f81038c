"""What a party can do now on a dispute, for the existing stage apps (``disputes.party_actions``).

Registered from ``PortalConfig.ready()``. Each provider reads only and offers only what the stage
app itself would let this party do now (its lifecycle's ``available`` or the same check its view
makes); the button leads to the stage app's own page, which checks again. Dates come from the
stage's clocks, plans or the rules (``rules.periods``), never from a literal here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.disputes import permissions as dispute_permissions
from suyuan.disputes.choices import ClockStatus, DisputeStatus
from suyuan.disputes.models import Clock, Dispute
from suyuan.disputes.party_actions import PartyAction, register_party_actions
from suyuan.disputes.stage_rows import has_rows
from suyuan.documents.selectors import documents_of, signed_parties
from suyuan.documents.stage_rows import DOCUMENT_ROWS
from suyuan.enforcement import opening
from suyuan.enforcement import selectors as enforcement_selectors
from suyuan.enforcement.deadlines import RULE as ENFORCEMENT_RULE
from suyuan.enforcement.lifecycle import INSTALMENT, PLAN
from suyuan.enforcement.stage_rows import PLAN_ROWS
from suyuan.litigation import confirmation
from suyuan.litigation.after_models import ServiceRecord
from suyuan.litigation.agreements import effective_agreement
from suyuan.litigation.choices import CaseStatus
from suyuan.litigation.models import Case
from suyuan.litigation.stage_rows import CASE_ROWS
from suyuan.mediation import selectors as mediation_selectors
from suyuan.mediation.choices import ConsentKind
from suyuan.mediation.stage_rows import CONSENT_ROWS
from suyuan.rules import periods

from .glossary import explain

OPEN_CASE = {CaseStatus.FILED, CaseStatus.AWAITING_MATERIALS, CaseStatus.REGISTERED,
             CaseStatus.IN_COURT_MEDIATION, CaseStatus.IN_TRIAL, CaseStatus.JUDGED, CaseStatus.APPEALED}


def _party_id(user: User) -> int | None:
    return user.party_id if user.role == Role.PARTY else None


# The attribute where ``selectors.cards`` prefetches the party's own rows on the cards of a page.
OWN_PARTY_ROWS = "portal_own_party_rows"


def _is_party_of(user: User, dispute: Dispute) -> bool:
    party_id = _party_id(user)
    if party_id is None:
        return False
    own = getattr(dispute, OWN_PARTY_ROWS, None)
    if own is not None:
        return any(row.party_id == party_id for row in own)
    return dispute.dispute_parties.filter(party_id=party_id).exists()


def mediation_actions(user: User, dispute: Dispute) -> Iterator[PartyAction]:
    """Consent to mediation while it is still open to the parties' will (调解自愿)."""
    if not _is_party_of(user, dispute) or dispute.status not in {DisputeStatus.RECORDED, DisputeStatus.IN_MEDIATION}:
        return
    latest = mediation_selectors.current_consents(dispute) if has_rows(dispute, CONSENT_ROWS) else {}
    if (user.party_id, ConsentKind.MEDIATION) not in latest:
        yield PartyAction(
            kind="consent", title="告诉我们您是否同意调解", url=reverse("mediation:consents"),
            explanation="调解由您自愿决定。" + explain("调解").text.split("。")[0] + "。不同意也可以直接向法院起诉。",
        )


def signing_actions(user: User, dispute: Dispute) -> Iterator[PartyAction]:
    """Documents that wait for this party's signature (the mediation agreement among them)."""
    party_id = _party_id(user)
    if party_id is None or not has_rows(dispute, DOCUMENT_ROWS):
        return
    for document in documents_of(dispute):
        required = {p.pk for p in document.required_signers.all()}
        if party_id in required and party_id not in signed_parties(document):
            yield PartyAction(
                kind="sign", title=f"签署《{document.title}》",
                url=reverse("disputes:detail", args=[dispute.number]) + "#documents-heading",
                explanation="请先阅读全文，确认无误后签署；所有当事人签署后文书生效。",
            )


def confirmation_actions(user: User, dispute: Dispute) -> Iterator[PartyAction]:
    """Apply for judicial confirmation of an effective agreement, within the period of the rules."""
    if user.role not in confirmation.APPLICANTS or not _is_party_of(user, dispute):
        return
    if dispute.status != DisputeStatus.SETTLED:
        return
    agreement = effective_agreement(dispute)
    if agreement is None:
        return
    deadline = periods.compute("confirmation_application", start=agreement.effective_on)
    due = deadline.due.date() if isinstance(deadline.due, datetime) else deadline.due
    if due < timezone.localdate():
        return  # the period has run out: the court would not accept it, so it is not offered
    yield PartyAction(
        kind="apply", title="与对方共同申请司法确认", url=reverse("litigation:confirmation_apply", args=[dispute.pk]),
        due=due,
        citation=deadline.rule.citation, explanation=explain("司法确认").text,
    )


def litigation_actions(user: User, dispute: Dispute) -> Iterator[PartyAction]:
    """Go to court after a failed mediation; appeal a judgment within the party's own appeal period."""
    party_id = _party_id(user)
    if party_id is None or not _is_party_of(user, dispute):
        return
    cases = list(Case.objects.filter(dispute=dispute)) if has_rows(dispute, CASE_ROWS) else []
    if dispute.status == DisputeStatus.MEDIATION_FAILED and not any(c.status in OPEN_CASE for c in cases):
        yield PartyAction(
            kind="apply", title="向法院起诉",
            url=reverse("disputes:detail", args=[dispute.number]) + "#litigation-panel",
            explanation="调解没有成功，您可以向法院起诉。" + explain("诉讼时效").text.split("。")[0] + "，请留意。",
        )
    today = timezone.localdate()
    for case in cases:
        if case.status != CaseStatus.JUDGED:
            continue
        record = (ServiceRecord.objects.filter(case=case, party_id=party_id, appeal_due__gte=today)
                  .order_by("-appeal_due").first())
        if record is not None:
            yield PartyAction(
                kind="apply", title="如不服一审判决，可以提起上诉", url=reverse("litigation:case", args=[case.pk]),
                due=record.appeal_due, citation=record.appeal_citation, explanation=explain("上诉").text,
            )


def _apply_on_document(dispute: Dispute) -> PartyAction:
    return PartyAction(
        kind="apply", title="对方不履行时，申请强制执行",
        url=reverse("enforcement:apply_on_document", args=[dispute.pk]),
        explanation=explain("强制执行").text,
    )


def performance_actions(user: User, dispute: Dispute) -> Iterator[PartyAction]:
    """Report a payment, confirm one received, or apply for enforcement when the other side defaults."""
    party_id = _party_id(user)
    if party_id is None:
        return
    if not has_rows(dispute, PLAN_ROWS):  # no plan at all: opening's check is the status alone
        if dispute.status == DisputeStatus.PERFORMING and _is_party_of(user, dispute):
            yield _apply_on_document(dispute)
        return
    plan = enforcement_selectors.original_plan(dispute.pk)
    if plan is None:
        if opening.dispute_can_apply_on_document(dispute) and _is_party_of(user, dispute):
            yield _apply_on_document(dispute)
        return
    url = reverse("enforcement:plan", args=[plan.pk])
    for instalment in plan.instalments.all():
        allowed = {row.action for row in INSTALMENT.available(instalment, user)}
        if "report_payment" in allowed and party_id == plan.obligor_id:
            yield PartyAction(
                kind="pay", title=f"按期支付第{instalment.position}期 {instalment.amount} 元，并报告付款", url=url,
                due=instalment.due, explanation="付款后请点此报告，对方确认收到后本期即履行完毕。"
                "逾期不付，对方可以申请法院强制执行。",
            )
        if "confirm_payment" in allowed and party_id == plan.obligee_id:
            yield PartyAction(
                kind="answer", title=f"确认是否收到第{instalment.position}期款项", url=url,
                explanation="对方已报告付款。请核对您的账户后确认；没有收到可以退回并说明原因。",
            )
    if party_id == plan.obligee_id and any(row.action == "apply_enforcement" for row in PLAN.available(plan, user)):
        clock = Clock.objects.filter(dispute=dispute, rule=ENFORCEMENT_RULE, object_ref=f"plan:{plan.pk}",
                                     status__in=[ClockStatus.OPEN, ClockStatus.OVERDUE]).first()
        yield PartyAction(
            kind="apply", title="对方逾期未履行：申请强制执行", url=reverse("enforcement:apply", args=[plan.pk]),
            due=clock.due_on if clock else None, citation=clock.citation if clock else "",
            explanation=explain("申请执行期间").text,
        )


def evidence_actions(user: User, dispute: Dispute) -> Iterator[PartyAction]:
    """Add evidence while the dispute is being handled (the disputes app's own permission decides)."""
    if user.role != Role.PARTY or not dispute_permissions.can_add_evidence(user, dispute):
        return
    if dispute.status in {DisputeStatus.RECORDED, DisputeStatus.IN_MEDIATION, DisputeStatus.IN_LITIGATION}:
        yield PartyAction(
            kind="upload", title="补充证据材料（可选）",
            url=reverse("disputes:detail", args=[dispute.number]) + "#evidence",
            explanation="借条、合同、聊天记录、照片等都可以上传，帮助调解员和法官了解情况。",
        )


PROVIDERS = (mediation_actions, signing_actions, confirmation_actions, litigation_actions, performance_actions,
             evidence_actions)


def register() -> None:
    for provider in PROVIDERS:
        register_party_actions(provider)
