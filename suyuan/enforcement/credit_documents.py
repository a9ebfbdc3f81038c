"""The two PDFs of the credit measures, registered with the documents app's specs on import.

限制消费令 (《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第三条 lists what the debtor may
no longer do; 第六条 the order is served on the debtor) and 失信惩戒预警暨宽限期告知书 (the debtor is
told what will happen if they do not perform within the grace period, 法发〔2019〕35号).
The legal basis printed is the one the service checked, passed in the context.
"""

from __future__ import annotations

from typing import Any

from suyuan.accounts.choices import Role
from suyuan.documents.choices import DocumentKind
from suyuan.documents.rendering import SPECS, DocumentSpec, LegalBasis


def _given_basis(ctx: dict[str, Any]) -> list[LegalBasis]:
    return [LegalBasis(text, citation) for text, citation in ctx.get("legal_basis", [])]


OFFICER = frozenset({Role.ENFORCEMENT})

for _spec in (
    DocumentSpec(DocumentKind.CONSUMPTION_RESTRICTION_ORDER, "enforcement/pdf/consumption_restriction_order.html",
                 OFFICER, ("case_number", "debtor", "order_date", "legal_basis"), False, False, _given_basis),
    DocumentSpec(DocumentKind.CREDIT_GRACE_NOTICE, "enforcement/pdf/credit_grace_notice.html",
                 OFFICER, ("case_number", "debtor", "notice_date", "grace_ends_on", "legal_basis"), False, False,
                 _given_basis),
):
    SPECS.setdefault(_spec.kind, _spec)
