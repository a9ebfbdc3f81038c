"""Complaints about a mediator or a mediation organisation: filing, handling, answer, closing.

The organisation's admin handles within the period of rules data ``complaint_handling`` (a local
policy figure, cited as such), watched by a ``disputes.Clock`` and the sweep; the complainant is
told of the answer. The mediator complained about reads the complaint without the complainant's
particulars (``selectors.sees_complainant``).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.common.sequences import next_value
from suyuan.disputes.clocks import start_clock, stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.workflow import apply
from suyuan.mediation.models import Referral
from suyuan.network.models import Mediator
from suyuan.parties.models import Party

from . import notify
from .choices import ComplaintCategory, ComplaintChannel, ComplaintSubject
from .lifecycle import COMPLAINT
from .models import Complaint
from .selectors import RECORDING_ROLES

RULE = "complaint_handling"
CLOCK_SUBJECT = "服务监督事项办理期限"  # neutral: the clock's events are on the dispute's timeline
KEY = "voice.complaint"


def complaint_ref(complaint: Complaint) -> str:
    return f"complaint:{complaint.pk}"


def complainable(dispute: Dispute) -> list[tuple[Mediator | None, int, str]]:
    """Who a complaint on this dispute may be about: (mediator or None, organisation id, label)."""
    out: list[tuple[Mediator | None, int, str]] = []
    seen: set[tuple[int | None, int]] = set()
    for r in Referral.objects.filter(dispute=dispute).select_related("mediator", "organisation").order_by("pk"):
        if r.mediator is not None and (r.mediator_id, r.organisation_id) not in seen:
            seen.add((r.mediator_id, r.organisation_id))
            out.append((r.mediator, r.organisation_id, f"调解员 {r.mediator.name}（{r.organisation.name}）"))
        if (None, r.organisation_id) not in seen:
            seen.add((None, r.organisation_id))
            out.append((None, r.organisation_id, f"调解组织 {r.organisation.name}"))
    return out


def file_complaint(*, actor: User, origin: Origin, dispute_id: int, target: int, category: str,
                   description: str, complainant_id: int | None = None) -> Complaint:
    """A party files about their dispute's mediator or organisation, or staff record it for them.

    ``target`` is the index into ``complainable(dispute)``; ``complainant_id`` names the party when
    staff record a complaint made by phone or at the window.
    """
    description = description.strip()
    errors: dict[str, list[str]] = {}
    if category not in ComplaintCategory.values:
        errors["category"] = ["请选择投诉事项。"]
    if not description:
        errors["description"] = ["请填写投诉内容。"]
    elif len(description) > 2000:
        errors["description"] = ["投诉内容不能超过 2000 字。"]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    if actor.role != Role.PARTY and actor.role not in RECORDING_ROLES:
        raise NotPermitted("您的角色不能登记投诉。")
    with transaction.atomic():
        dispute = visible_disputes(actor).select_for_update().filter(pk=dispute_id).first()
        if dispute is None:
            raise NotFound()
        complainant = _complainant(actor, dispute, complainant_id)
        options = complainable(dispute)
        if not 0 <= target < len(options):
            raise InvalidInput("请选择投诉对象（本纠纷的调解员或调解组织）。", errors={"target": ["请选择投诉对象。"]})
        mediator, organisation_id, label = options[target]
        today = timezone.localdate()
        complaint = Complaint.objects.create(
            number=f"TS{today:%Y}{next_value(f'complaint:{today.year}'):05d}", dispute=dispute,
            subject=ComplaintSubject.MEDIATOR if mediator else ComplaintSubject.ORGANISATION, mediator=mediator,
            organisation_id=organisation_id, complainant=complainant,
            channel=ComplaintChannel.PORTAL if actor.role == Role.PARTY else ComplaintChannel.STAFF,
            recorded_by=actor, category=category, description=description, due_on=today, due_citation="",
        )
        clock = start_clock(dispute=dispute, rule=RULE, start=today, subject=CLOCK_SUBJECT,
                            object_ref=complaint_ref(complaint))
        complaint.due_on, complaint.due_citation = clock.due_on, clock.citation
        complaint.save(update_fields=["due_on", "due_citation"])
        event = append_event(dispute=dispute, kind="complaint.filed", title="收到服务投诉", actor=actor,
                             origin=origin, summary=f"收到投诉 {complaint.number}，转调解组织办理",
                             data={"complaint": complaint.pk})
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="complaint",
                     target_id=complaint.pk, detail={"dispute": dispute.number, "about": label})
        notify.to_users(event=event, users=notify.organisation_admins(organisation_id), key=KEY,
                        title="收到新的投诉", link=reverse("voice:complaint", args=[complaint.pk]),
                        text=f"收到投诉 {complaint.number}（{label}），请于 {complaint.due_on:%Y年%m月%d日} 前办理答复"
                             f"（{complaint.due_citation}）。")
    return complaint


def _complainant(actor: User, dispute: Dispute, complainant_id: int | None) -> Party:
    party_ids = set(dispute.dispute_parties.values_list("party_id", flat=True))
    if actor.role == Role.PARTY:
        if actor.party_id not in party_ids:
            raise NotFound()
        return actor.party  # type: ignore[return-value]
    if complainant_id not in party_ids:
        raise InvalidInput("请选择提出投诉的当事人。", errors={"complainant": ["请选择提出投诉的当事人。"]})
    return Party.objects.get(pk=complainant_id)


def assign_complaint(*, actor: User, origin: Origin, complaint_id: int, handler_id: int,
                     expected_version: int | None = None) -> Complaint:
    handler = User.objects.filter(pk=handler_id).first()
    return apply(COMPLAINT, complaint_id, "assign", actor=actor, origin=origin, payload={"handler": handler},
                 effect=lambda c: setattr(c, "handler", handler), expected_version=expected_version,
                 summary="投诉已指定承办人")


def answer_complaint(*, actor: User, origin: Origin, complaint_id: int, outcome: str, answer: str,
                     expected_version: int | None = None) -> Complaint:
    answer = answer.strip()
    if len(answer) > 2000:
        raise InvalidInput("答复内容不能超过 2000 字。", errors={"answer": ["答复内容不能超过 2000 字。"]})

    def effect(c: Complaint) -> None:
        c.outcome, c.answer, c.answered_at = outcome, answer, timezone.now()

    with transaction.atomic():
        complaint = apply(COMPLAINT, complaint_id, "answer", actor=actor, origin=origin,
                          payload={"outcome": outcome, "answer": answer}, effect=effect,
                          expected_version=expected_version, summary="投诉已答复投诉人")
        stop_clock(dispute=complaint.dispute, rule=RULE, object_ref=complaint_ref(complaint))
        notify.to_party(event=_last(complaint), party=complaint.complainant, key=KEY,
                        title="您的投诉已有答复", link=reverse("voice:complaint", args=[complaint.pk]),
                        text=f"您的投诉 {complaint.number} 已有答复，请登录诉源查看。如对答复不满意，可要求重新办理。")
    return complaint


def reopen_complaint(*, actor: User, origin: Origin, complaint_id: int, reason: str) -> Complaint:
    with transaction.atomic():
        complaint = apply(COMPLAINT, complaint_id, "reopen", actor=actor, origin=origin,
                          payload={"reason": reason}, summary="投诉人对答复不满意，要求重新办理",
                          data={"reason": reason.strip()[:200]})
        clock = start_clock(dispute=complaint.dispute, rule=RULE, start=timezone.localdate(),
                            subject=CLOCK_SUBJECT, object_ref=complaint_ref(complaint))
        complaint.due_on, complaint.due_citation = clock.due_on, clock.citation
        complaint.save(update_fields=["due_on", "due_citation"])
        notify.to_users(event=_last(complaint), users=[u for u in [complaint.handler] if u is not None]
                        or notify.organisation_admins(complaint.organisation_id), key=KEY,
                        title="投诉人要求重新办理", link=reverse("voice:complaint", args=[complaint.pk]),
                        text=f"投诉 {complaint.number} 的投诉人对答复不满意，"
                             f"请于 {complaint.due_on:%Y年%m月%d日} 前重新办理。")
    return complaint


def close_complaint(*, actor: User, origin: Origin, complaint_id: int) -> Complaint:
    return apply(COMPLAINT, complaint_id, "close", actor=actor, origin=origin, summary="投诉办结")


def withdraw_complaint(*, actor: User, origin: Origin, complaint_id: int, reason: str) -> Complaint:
    def effect(c: Complaint) -> None:
        c.withdraw_reason = reason.strip()[:300]

    with transaction.atomic():
        complaint = apply(COMPLAINT, complaint_id, "withdraw", actor=actor, origin=origin,
                          payload={"reason": reason}, effect=effect, summary="投诉人撤回投诉")
        stop_clock(dispute=complaint.dispute, rule=RULE, object_ref=complaint_ref(complaint), outcome="cancelled")
    return complaint


def _last(complaint: Complaint) -> DisputeEvent:
    return DisputeEvent.objects.filter(dispute=complaint.dispute).order_by("-seq").first()  # type: ignore[return-value]
