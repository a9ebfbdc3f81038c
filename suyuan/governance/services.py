"""Writes of the governance app: judicial suggestions. Each is atomic and audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.choices import DisputeCategory
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.common.sequences import next_value
from suyuan.disputes.workflow import apply
from suyuan.network.choices import RegionLevel
from suyuan.network.models import Region
from suyuan.network.selectors import court_subtree_ids

from .lifecycle import SUGGESTION
from .models import JudicialSuggestion

OWNER_ROLES = {Role.LEADER, Role.JUDGE, Role.CLERK}


def create_suggestion(
    *, actor: User, origin: Origin, title: str, content: str, addressee: str, owner_id: int | None,
    deadline: date | None, region_code: str = "", category: str = "", today: date | None = None,
) -> JudicialSuggestion:
    """Draft a suggestion on behalf of the actor's court; the owner follows it up to closure."""
    court = actor.organisation.court() if actor.organisation is not None else None
    if actor.role != Role.LEADER or court is None:
        raise NotPermitted("只有法院领导可以起草司法建议。")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    title, content, addressee = title.strip(), content.strip(), addressee.strip()
    if not title:
        errors["title"] = ["请填写标题。"]
    if not content:
        errors["content"] = ["请填写建议内容。"]
    if not addressee:
        errors["addressee"] = ["请填写建议对象。"]
    owner = User.objects.filter(pk=owner_id, is_active=True, role__in=OWNER_ROLES).select_related(
        "organisation").first() if owner_id else None
    owner_court = owner.organisation.court() if owner is not None and owner.organisation is not None else None
    if owner is None or owner_court is None or owner_court.pk not in court_subtree_ids(court):
        errors["owner"] = ["跟踪责任人须为本院（或下级法院）的在职人员。"]
    if deadline is None or deadline <= today:
        errors["deadline"] = ["回复期限须晚于今天。"]
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code, level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]).first()
        if region is None:
            errors["region"] = ["无此县（区）或乡镇（街道）。"]
    if category and category not in DisputeCategory.values:
        errors["category"] = ["无此纠纷类别。"]
    if errors:
        raise InvalidInput("司法建议信息不完整，请检查后重试。", errors=errors)
    assert owner is not None and deadline is not None
    with transaction.atomic():
        number = f"SJ-{today.year}-{next_value(f'suggestion:{today.year}'):03d}"
        suggestion = JudicialSuggestion.objects.create(
            number=number, title=title[:200], content=content, court=court, addressee=addressee[:100],
            owner=owner, deadline=deadline, region=region, category=category, created_by=actor,
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="suggestion",
                     target_id=suggestion.pk, detail={"number": number})
    return suggestion


def advance_suggestion(
    *, actor: User, origin: Origin, suggestion_id: int, action: str, text: str = "",
    expected_version: int | None = None,
) -> JudicialSuggestion:
    """Issue, record the reply, close or withdraw: one lifecycle step with what it records."""
    text = text.strip()
    now = timezone.now()

    def effect(s: JudicialSuggestion) -> None:
        if action == "issue":
            s.issued_at = now
        elif action == "record_reply":
            s.reply, s.replied_at = text, now
        elif action == "close":
            s.closing_note, s.closed_at = text[:500], now

    payload = {"reply": text} if action == "record_reply" else {"note": text}
    return apply(SUGGESTION, suggestion_id, action, actor=actor, origin=origin, payload=payload, effect=effect,
                 expected_version=expected_version)
