"""The consent ledger: each party's will on mediation, online mediation and electronic service.

Append-only: a withdrawal is a new entry, and the current will is the latest one. A party who
refuses mediation is never left waiting: the open referral ends at once as 调解不成 with reason
"当事人不同意调解", so the party may sue straight away (the court then registers within 7 days).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.events import append_event
from suyuan.disputes.models import DisputeParty
from suyuan.disputes.selectors import visible_disputes

from .choices import ConsentKind, ConsentVia
from .lifecycle import WORKING
from .models import ConsentRecord, Referral
from .services import end_referral, lock_dispute

REFUSAL_REASON = "当事人不同意调解"
# Staff who record a party's will on their behalf (written, on site, by phone), never online.
RECORDERS = frozenset({Role.MEDIATOR, Role.ORG_ADMIN, Role.CLERK, Role.CENTRE_STAFF, Role.GRID_WORKER})


def _check(actor: User, party_id: int, kind: str, via: str, note: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in ConsentKind.values:
        errors["kind"] = ["请选择事项。"]
    if via not in ConsentVia.values:
        errors["via"] = ["请选择表示方式。"]
    elif actor.role == Role.PARTY and via != ConsentVia.ONLINE:
        errors["via"] = ["当事人本人只能在线确认。"]
    elif actor.role != Role.PARTY and via == ConsentVia.ONLINE:
        errors["via"] = ["工作人员代为记录时，请选择当事人表示意愿的方式（书面、现场或电话）。"]
    if actor.role != Role.PARTY and not note.strip():
        errors["note"] = ["代为记录时请说明依据（如书面确认书编号、录音编号）。"]
    if len(note) > 300:
        errors["note"] = ["说明不能超过 300 字。"]
    return errors


def record_consent(
    *, actor: User, origin: Origin, dispute_id: int, party_id: int, kind: str, given: bool, via: str, note: str = "",
) -> ConsentRecord:
    """Append one entry. A refusal of mediation ends an open referral (调解不成) in the same transaction."""
    if actor.role == Role.PARTY:
        if actor.party_id != party_id:
            raise NotPermitted("当事人只能就本人的意愿作出表示。")
    elif actor.role not in RECORDERS:
        raise NotPermitted("您的角色不能记录当事人意愿。")
    if not visible_disputes(actor).filter(pk=dispute_id).exists():
        raise NotFound()
    errors = _check(actor, party_id, kind, via, note)
    if errors:
        raise InvalidInput("意愿记录信息有误。", errors=errors)
    with transaction.atomic():
        dispute = lock_dispute(dispute_id)
        role = DisputeParty.objects.filter(dispute=dispute, party_id=party_id).select_related("party").first()
        if role is None:
            raise InvalidInput("该当事人不是本纠纷的当事人。", errors={"party": ["请选择本纠纷的当事人。"]})
        previous = ConsentRecord.objects.filter(dispute=dispute, party_id=party_id, kind=kind).order_by(
            "-at", "-pk").first()
        record = ConsentRecord.objects.create(
            dispute=dispute, party_id=party_id, kind=kind, given=given, at=timezone.now(), recorded_by=actor,
            via=via, note=note.strip(),
        )
        label = ConsentKind(kind).label
        if given:
            title, verb = "当事人同意", "同意"
        elif previous is not None and previous.given:
            title, verb = "当事人撤回同意", "撤回"
        else:
            title, verb = "当事人不同意", "不同意"
        what = label.removeprefix("同意")
        append_event(
            dispute=dispute, kind="consent.given" if given else "consent.refused", title=title, actor=actor,
            origin=origin, summary=f"{role.party.name}{verb}{what}（{ConsentVia(via).label}）",
            data={"consent": record.pk, "party": party_id, "kind": kind, "given": given, "via": via},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="consent",
                     target_id=record.pk, detail={"dispute": dispute.number, "kind": kind, "given": given})
        if kind == ConsentKind.MEDIATION and not given and dispute.status == DisputeStatus.IN_MEDIATION:
            referral = Referral.objects.filter(dispute=dispute, status__in=WORKING).first()
            if referral is not None:
                # The system ends it as a consequence of the party's will, so no role has to act.
                end_referral(actor=None, origin=origin, action="fail", dispute=dispute, referral=referral,
                             reason=f"{REFUSAL_REASON}（{role.party.name}）")
    return record
