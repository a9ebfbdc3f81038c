"""The ruling document (民事裁定书（财产保全）) of a granted preservation, through ``suyuan.documents``."""

from __future__ import annotations

from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict, NotFound
from suyuan.documents.choices import DocumentKind
from suyuan.documents.models import Document
from suyuan.documents.services import render_document

from .choices import PreservationKind
from .legal import rules_on
from .selectors import visible_preservations
from .services import _court_of


def render_ruling(*, actor: User, origin: Origin, preservation_id: int) -> Document:
    """A granted preservation's ruling as a PDF (a new version each time it is produced)."""
    court = _court_of(actor)
    p = visible_preservations(actor).select_related("dispute", "applicant", "respondent", "case").filter(
        pk=preservation_id, court=court).first()
    if p is None:
        raise NotFound()
    if not p.number or p.ruled_at is None:
        raise Conflict("尚未裁定准予保全，不能制作保全裁定书。")
    ruled_on = timezone.localdate(p.ruled_at)
    rules = rules_on(ruled_on)
    pre_suit = p.kind == PreservationKind.PRE_SUIT
    security = f"{p.security_note or '担保'}（{p.security_amount} 元）" if p.security_amount else p.security_note
    context = {
        "case_number": p.number, "ruling_date": ruled_on, "applied_date": timezone.localdate(p.applied_at),
        "amount": p.amount, "kind_label": p.get_kind_display(), "pre_suit": pre_suit, "by_court": p.by_court,
        "applicant_name": p.applicant.name if p.applicant else "本院", "respondent_name": p.respondent.name,
        "security": security, "related_case": p.case.number if p.case else "",
        "ruling_citation": rules.ruling_pre_suit_citation if pre_suit else rules.ruling_in_suit_citation,
        "scope_citation": rules.scope_citation, "reconsideration_citation": rules.reconsideration_citation,
        "judge_name": actor.full_name if actor.role == Role.JUDGE else "",
    }
    return render_document(dispute=p.dispute, kind=DocumentKind.PRESERVATION_RULING, context=context, actor=actor,
                           origin=origin)
