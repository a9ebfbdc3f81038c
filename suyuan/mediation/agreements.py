"""The mediation agreement (调解协议): drafted from the accepted offer, issued as a document, signed
by every party through the documents app's signature service, effective on the last signature.

Effective agreement → the referral settles and the dispute's stage becomes "settled"; the parties
may then jointly apply for judicial confirmation (litigation) or choose voluntary performance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes import clocks
from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute
from suyuan.disputes.performance import performance_payload
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.services import parse_amount
from suyuan.disputes.workflow import Transition, apply
from suyuan.documents.choices import DocumentKind
from suyuan.documents.services import render_document, sign_document

from . import selectors
from .choices import AgreementStatus, OfferStatus, ReferralStatus
from .lifecycle import AGREEMENT, REFERRAL
from .models import Agreement, Offer, Referral
from .services import _locked_referral, _stop_referral_clock, lock_dispute

CONFIRMATION_RULE = "confirmation_application"


@dataclass(frozen=True)
class InstalmentInput:
    due: date | None
    amount: str | Decimal | None


def _clean_instalments(
    rows: list[InstalmentInput], total: Decimal | None, errors: dict[str, list[str]],
) -> list[dict[str, str]]:
    today = timezone.localdate()
    out: list[dict[str, str]] = []
    previous: date | None = None
    for n, row in enumerate(rows, start=1):
        if row.due is None and row.amount in (None, ""):
            continue
        try:
            value = parse_amount(row.amount, label=f"第{n}期金额")
        except ValueError as exc:
            errors.setdefault("instalments", []).append(str(exc))
            continue
        if row.due is None or value is None or value == 0:
            errors.setdefault("instalments", []).append(f"第{n}期请同时填写履行期限和大于零的金额。")
            continue
        if row.due < today:
            errors.setdefault("instalments", []).append(f"第{n}期履行期限不能早于今天。")
        if previous is not None and row.due <= previous:
            errors.setdefault("instalments", []).append(f"第{n}期履行期限应晚于上一期。")
        previous = row.due
        out.append({"due": row.due.isoformat(), "amount": f"{value:.2f}"})
    if total is not None and total > 0:
        if not out:
            errors.setdefault("instalments", []).append("有给付金额的协议须写明履行期限（一次性履行填写一期）。")
        elif sum(Decimal(i["amount"]) for i in out) != total:
            errors.setdefault("instalments", []).append(f"各期金额合计应等于协议金额 {total} 元。")
    elif out:
        errors.setdefault("amount", []).append("填写了分期履行安排时，请填写协议金额。")
    return out


def draft_agreement(
    *, actor: User, origin: Origin, referral_id: int, terms: str = "", amount: str | Decimal | None = None,
    instalments: list[InstalmentInput] | None = None, offer_id: int | None = None,
) -> Agreement:
    """The mediator drafts (or edits the draft of) the agreement, by default from the accepted offer."""
    with transaction.atomic():
        dispute, referral = _locked_referral(actor, referral_id)
        if actor.role != Role.MEDIATOR:
            raise NotPermitted("只有承办调解员可以起草调解协议。")
        if referral.status != ReferralStatus.IN_SESSION:
            raise Conflict("调解尚未开始或已经结束，不能起草调解协议。")
        offer = None
        if offer_id is not None:
            offer = Offer.objects.filter(pk=offer_id, referral=referral, status=OfferStatus.ACCEPTED).first()
            if offer is None:
                message = "只能依据本案已被接受的调解方案起草协议。"
                raise InvalidInput(message, errors={"offer": ["请选择已接受的方案。"]})
        errors: dict[str, list[str]] = {}
        text = (terms or (offer.terms if offer else "")).strip()
        if not text:
            errors["terms"] = ["请填写协议内容。"]
        try:
            value = parse_amount(amount, label="协议金额") if amount not in (None, "") else (
                offer.amount if offer else None)
        except ValueError as exc:
            errors["amount"] = [str(exc)]
            value = None
        schedule = _clean_instalments(instalments or [], value, errors)
        if errors:
            raise InvalidInput("调解协议内容有误。", errors=errors)
        agreement = Agreement.objects.select_for_update().filter(referral=referral).first()
        if agreement is not None and agreement.status != AgreementStatus.DRAFT:
            raise Conflict(f"调解协议当前为“{agreement.get_status_display()}”，如需修改请先撤回。")
        if agreement is None:
            agreement = Agreement(referral=referral, dispute=dispute, created_by=actor)
        agreement.offer, agreement.terms, agreement.amount, agreement.instalments = offer, text, value, schedule
        agreement.version += 1 if agreement.pk else 0
        agreement.save()
        append_event(dispute=dispute, kind="agreement.drafted", title="起草调解协议", actor=actor, origin=origin,
                     summary="起草调解协议" + (f"，金额 {value} 元，分 {len(schedule)} 期履行" if value else ""),
                     data={"agreement": agreement.pk, "offer": offer.pk if offer else None})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="agreement",
                     target_id=agreement.pk, detail={"dispute": dispute.number})
    return agreement


def _locked_agreement(actor: User, agreement_id: int) -> tuple[Dispute, Referral, Agreement]:
    agreement = Agreement.objects.filter(pk=agreement_id).only("referral_id").first()
    if agreement is None:
        raise NotFound()
    dispute, referral = _locked_referral(actor, agreement.referral_id)
    locked = Agreement.objects.select_for_update(of=("self",)).select_related("document").get(pk=agreement_id)
    return dispute, referral, locked


def _document_context(agreement: Agreement, referral: Referral) -> dict[str, object]:
    return {
        # The date printed on the document: the day it is issued for signature.
        "agreement_date": timezone.localdate(),
        "terms": [line.strip() for line in agreement.terms.splitlines() if line.strip()],
        "amount": f"{agreement.amount or Decimal(0):.2f}",
        "instalments": [{"due": date.fromisoformat(i["due"]), "amount": i["amount"]} for i in agreement.instalments],
        "organisation": referral.organisation.name,
        "mediator_name": referral.mediator.name if referral.mediator else "",
    }


def issue_agreement(*, actor: User, origin: Origin, agreement_id: int) -> Agreement:
    """Render 调解协议书 (SHA-256 stored by documents) and send it to every party for signature."""
    with transaction.atomic():
        dispute, referral, agreement = _locked_agreement(actor, agreement_id)
        document = None
        try:
            if agreement.status == AgreementStatus.DRAFT and referral.status == ReferralStatus.IN_SESSION:
                document = render_document(
                    dispute=dispute, kind=DocumentKind.MEDIATION_AGREEMENT,
                    context=_document_context(agreement, referral), actor=actor, origin=origin,
                    signers=selectors.mediation_parties(dispute),
                )

            def attach(a: Agreement) -> None:
                a.document, a.issued_at = document, timezone.now()

            return apply(AGREEMENT, agreement, "issue", actor=actor, origin=origin, effect=attach,
                         summary="调解员签署调解协议书并送各方当事人签署",
                         data={"document": document.pk if document else None,
                               "sha256": document.sha256 if document else ""})
        except Exception:
            # The document row rolls back with us; its file would be left behind.
            if document is not None and document.file.name:
                document.file.storage.delete(document.file.name)
            raise


def revise_agreement(*, actor: User, origin: Origin, agreement_id: int) -> Agreement:
    """Back to draft; signatures on the withdrawn document no longer count (the next issue is a new document)."""
    with transaction.atomic():
        _, _, agreement = _locked_agreement(actor, agreement_id)

        def detach(a: Agreement) -> None:
            a.document, a.issued_at = None, None

        return apply(AGREEMENT, agreement, "revise", actor=actor, origin=origin, effect=detach)


def sign_agreement(*, actor: User, origin: Origin, agreement_id: int, id_number: str) -> Agreement:
    """A party signs after re-entering their identity number; the last signature makes it effective."""
    agreement = Agreement.objects.filter(pk=agreement_id).select_related("document", "referral").first()
    if agreement is None or not selectors.can_see_referral(actor, agreement.referral):
        raise NotFound()
    if agreement.status != AgreementStatus.AWAITING_SIGNATURES or agreement.document is None:
        raise Conflict(f"调解协议当前为“{agreement.get_status_display()}”，不能签署。请刷新页面。")
    # The documents service commits the signature (and audits a failed identity check) itself.
    sign_document(document=agreement.document, actor=actor, id_number=id_number, origin=origin)
    return complete_if_signed(agreement_id=agreement_id, origin=origin)


def complete_if_signed(*, agreement_id: int, origin: Origin) -> Agreement:
    """Take effect once every party has signed; idempotent, so a retry after a failure finishes the step."""
    with transaction.atomic():
        agreement = Agreement.objects.filter(pk=agreement_id).first()
        if agreement is None:
            raise NotFound()
        dispute = lock_dispute(agreement.dispute_id)
        agreement = Agreement.objects.select_for_update().select_related("referral").get(pk=agreement_id)
        if agreement.status != AgreementStatus.AWAITING_SIGNATURES or selectors.unsigned_parties(agreement):
            return agreement
        now = timezone.now()

        def effective(a: Agreement) -> None:
            a.effective_at, a.effective_on = now, timezone.localdate(now)

        agreement = apply(AGREEMENT, agreement, "take_effect", actor=None, origin=origin, effect=effective,
                          summary=f"各方当事人签署完毕，调解协议于 {timezone.localdate(now)} 生效")

        def close(r: Referral) -> None:
            r.closed_at, r.outcome_reason = now, "达成调解协议"

        referral = apply(REFERRAL, agreement.referral_id, "settle", actor=None, origin=origin, effect=close)
        _stop_referral_clock(dispute, referral)
        apply(DISPUTE, dispute, "settle", actor=None, origin=origin, summary="调解协议生效，纠纷调解成功",
              data={"agreement": agreement.pk})
        assert agreement.effective_on is not None
        clocks.start_clock(dispute=dispute, rule=CONFIRMATION_RULE, start=agreement.effective_on,
                           subject="申请司法确认期限", object_ref=f"agreement:{agreement.pk}")
    return agreement


def choose_voluntary_performance(*, actor: User, origin: Origin, dispute_id: int) -> Dispute:
    """The parties perform without judicial confirmation (自动履行); enforcement tracks the instalments."""
    if not visible_disputes(actor).filter(pk=dispute_id).exists():
        raise NotFound()
    with transaction.atomic():
        dispute = lock_dispute(dispute_id)
        effective = Agreement.objects.filter(dispute=dispute, status=AgreementStatus.EFFECTIVE)
        agreement = effective.order_by("-effective_on").first()
        plan = (
            performance_payload(dispute=dispute, total=agreement.amount, instalments=agreement.instalments or [],
                                source="agreement")
            if agreement is not None else None
        )
        return apply(DISPUTE, dispute, "perform_voluntarily", actor=actor, origin=origin,
                     summary="当事人选择不申请司法确认，按调解协议自动履行",
                     payload={"performance": plan} if plan else None)


LEAVING_SETTLED = frozenset({"apply_confirmation", "perform_voluntarily"})


def stop_confirmation_clock(dispute: Dispute, row: Transition, *args: object) -> None:
    """DISPUTE after-hook: leaving "settled" (confirmation applied for, or voluntary performance) ends
    the 30-day application period of the agreement."""
    if row.action not in LEAVING_SETTLED:
        return
    agreement = Agreement.objects.filter(dispute=dispute, status=AgreementStatus.EFFECTIVE).order_by("-pk").first()
    if agreement is not None:
        clocks.stop_clock(dispute=dispute, rule=CONFIRMATION_RULE, object_ref=f"agreement:{agreement.pk}")
