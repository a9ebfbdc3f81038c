"""The court's documents of the litigation stage, rendered through the documents app, and the
``performance`` payload the enforcement app reads (docs/workflow-contracts.md).

* 诉讼风险告知书 at filing, for the plaintiff;
* 一次性补正告知书 with every missing item, when materials are requested;
* 司法确认申请书 at the joint application, to be signed by every party;
* 民事裁定书（确认调解协议） when the agreement is confirmed;
* 履行告知书 with a monetary judgment.

Rendering happens inside the step's transaction, so a refused step leaves no document row; the
files of documents rendered in a transaction that then rolls back are removed by ``cleanup``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.disputes.choices import PartyRole
from suyuan.disputes.models import Dispute
from suyuan.disputes.performance import performance_payload
from suyuan.documents.choices import DocumentKind
from suyuan.documents.models import Document
from suyuan.documents.rendering import SPECS
from suyuan.documents.services import render_document
from suyuan.parties.models import Party

from .agreements import AgreementInfo

CASE_KINDS = (DocumentKind.LITIGATION_RISK_NOTICE, DocumentKind.CORRECTION_NOTICE, DocumentKind.PERFORMANCE_NOTICE)
CONFIRMATION_KINDS = (DocumentKind.CONFIRMATION_APPLICATION, DocumentKind.CONFIRMATION_RULING)

# Per thread: the web server runs requests in threads, each with its own transaction.
_local = threading.local()


def _stack() -> list[list[Document]]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack  # type: ignore[no-any-return]


@contextmanager
def cleanup() -> Iterator[None]:
    """Wrap a service's transaction: when it fails, delete the files of the documents it rendered."""
    stack = _stack()
    stack.append([])
    try:
        yield
    except BaseException:
        for document in stack[-1]:
            if document.file.name:
                document.file.storage.delete(document.file.name)
        raise
    finally:
        batch = stack.pop()
        if stack:
            stack[-1].extend(batch)


def _render(*, dispute: Dispute, kind: str, context: dict[str, Any], actor: User | None, origin: Origin,
            signers: list[Party] | None = None) -> Document:
    # A party, grid worker or centre files on a party's behalf; the court's notice is then issued
    # by the platform itself (the system), not in the filer's name.
    author = actor if actor is not None and actor.role in SPECS[kind].roles else None
    document = render_document(dispute=dispute, kind=kind, context=context, actor=author, origin=origin,
                               signers=signers or ())
    stack = _stack()
    if stack:
        stack[-1].append(document)
    return document


def parties(dispute: Dispute, role: str) -> list[Party]:
    return [dp.party for dp in dispute.dispute_parties.select_related("party").filter(role=role)
            .order_by("position", "pk")]


def _names(people: list[Party]) -> str:
    return "、".join(p.name for p in people)


def risk_notice(*, dispute: Dispute, on: date, actor: User | None, origin: Origin) -> Document:
    context: dict[str, Any] = {"notice_date": on}
    if dispute.amount:
        context["amount"] = dispute.amount
    return _render(dispute=dispute, kind=DocumentKind.LITIGATION_RISK_NOTICE, context=context, actor=actor,
                   origin=origin)


def correction_notice(*, dispute: Dispute, on: date, received: date, missing: list[str], actor: User,
                      origin: Origin) -> Document:
    return _render(dispute=dispute, kind=DocumentKind.CORRECTION_NOTICE, actor=actor, origin=origin,
                   context={"notice_date": on, "received_date": received, "missing": missing})


def _terms(agreement: AgreementInfo) -> list[str]:
    return [line.strip() for line in agreement.terms.splitlines() if line.strip()]


def _schedule(agreement: AgreementInfo) -> list[dict[str, Any]]:
    return [{"due": date.fromisoformat(str(i["due"])), "amount": i["amount"]} for i in agreement.instalments]


def confirmation_application(*, dispute: Dispute, agreement: AgreementInfo, on: date, actor: User,
                             origin: Origin) -> Document:
    """Signed by every party: the application is joint (民诉法解释 第三百五十一条)."""
    everyone = parties(dispute, PartyRole.APPLICANT) + parties(dispute, PartyRole.RESPONDENT)
    return _render(dispute=dispute, kind=DocumentKind.CONFIRMATION_APPLICATION, actor=actor, origin=origin,
                   signers=everyone, context={
                       "agreement_date": agreement.effective_on, "amount": agreement.amount or Decimal(0),
                       "application_date": on, "terms": _terms(agreement), "instalments": _schedule(agreement),
                       "organisation": agreement.organisation})


def confirmation_ruling(*, dispute: Dispute, agreement: AgreementInfo, case_number: str, on: date, actor: User,
                        origin: Origin) -> Document:
    schedule = _schedule(agreement)
    return _render(dispute=dispute, kind=DocumentKind.CONFIRMATION_RULING, actor=actor, origin=origin, context={
        "case_number": case_number, "agreement_date": agreement.effective_on,
        "amount": agreement.amount or Decimal(0), "ruling_date": on, "terms": _terms(agreement) or ["（见调解协议）"],
        "judge_name": actor.full_name, "organisation": agreement.organisation,
        "performance_due": schedule[-1]["due"] if schedule else None,
    })


def performance_notice(*, dispute: Dispute, case_number: str, amount: Decimal, perform_by: date | None, on: date,
                       actor: User | None, origin: Origin, period: str = "") -> Document:
    # Before the judgment is effective its due date is unknown: the notice states the period as
    # the judgment does ("自判决生效之日起 N 日内") and no instalment date.
    return _render(dispute=dispute, kind=DocumentKind.PERFORMANCE_NOTICE, actor=actor, origin=origin, context={
        "notice_date": on, "amount": amount, "case_number": case_number,
        "obligor": _names(parties(dispute, PartyRole.RESPONDENT)),
        "obligee": _names(parties(dispute, PartyRole.APPLICANT)),
        "instalments": [{"due": perform_by or period, "amount": f"{amount:.2f}"}],
        "performance_period": "" if perform_by else period,
        "source_label": f"本院{case_number}民事判决", "performance_due": perform_by,
    })


def performance(*, dispute: Dispute, total: Decimal | None, instalments: list[dict[str, Any]],
                source: str) -> dict[str, Any] | None:
    """The ``performance`` payload (shared builder in the disputes app)."""
    return performance_payload(dispute=dispute, total=total, instalments=instalments, source=source)


def documents_since(dispute: Dispute, kinds: tuple[str, ...], since: datetime) -> QuerySet[Document]:
    """The stage's documents for its page (the caller has checked the user sees the dispute)."""
    return (Document.objects.filter(dispute=dispute, kind__in=kinds, created_at__gte=since)
            .prefetch_related("required_signers", "signatures").order_by("created_at", "pk"))
