"""Enforcement triage (繁简分流: 简案快执 / 难案精执) and group enforcement (大案联执).

The suggestion is computed from the amount (threshold in rules data), the first asset search and
pending objections; the officer may override it with a stated reason, recorded like the civil
triage. A group gathers one court's cases against one debtor so they are shown and acted on together.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.events import append_event
from suyuan.rules import thresholds

from . import selectors
from .choices import DerivativeStatus, EnforcementStatus, EnforcementTrack
from .models import DerivativeCase, EnforcementCase, EnforcementGroup

OPEN_STATES = (EnforcementStatus.OPEN, EnforcementStatus.SETTLEMENT, EnforcementStatus.ROUND_ENDED)


def _no_search_yet(case: EnforcementCase) -> bool | None:
    return None


# Did the first network search find assets? None: not searched yet. Replaced by the asset panel's
# answer (suyuan.assets) once wired: ``tracks.first_search_found = ...``.
first_search_found: Callable[[EnforcementCase], bool | None] = _no_search_yet


def assess(case: EnforcementCase) -> tuple[str, list[str]]:
    """(suggested track, reasons in Chinese)."""
    rule = thresholds._in_force("enforcement_track", timezone.localdate())
    reasons: list[str] = []
    simple = True
    if rule is None:
        reasons.append("没有找到该日适用的简案金额标准，按难案精执处理。")
        simple = False
    else:
        limit = Decimal(rule["simple_amount_max"])
        if case.amount <= limit:
            reasons.append(f"申请执行标的 {case.amount} 元，不超过简案标准 {limit} 元（{rule['citation']}）。")
        else:
            simple = False
            reasons.append(f"申请执行标的 {case.amount} 元，超过简案标准 {limit} 元（{rule['citation']}）。")
    found = first_search_found(case)
    if found is None:
        reasons.append("尚未完成首次网络查控；查询未发现财产的，应转为难案精执。")
    elif found:
        reasons.append("首次网络查控已发现被执行人财产。")
    else:
        simple = False
        reasons.append("首次网络查控未发现被执行人财产。")
    if DerivativeCase.objects.filter(main_case=case, status=DerivativeStatus.FILED).exists():
        simple = False
        reasons.append("有正在审查的执行异议/复议。")
    else:
        reasons.append("没有正在审查的执行异议。")
    if case.group_id is not None:
        reasons.append("已列入大案联执组，与同一被执行人的其他案件统一执行。")
    return (EnforcementTrack.SIMPLE if simple else EnforcementTrack.COMPLEX), reasons


def suggest_track(*, case: EnforcementCase, origin: Origin) -> EnforcementCase:
    """(Re)compute the suggestion; an officer's override stands until the officer changes it."""
    track, reasons = assess(case)
    with transaction.atomic():
        locked = EnforcementCase.objects.select_for_update().get(pk=case.pk)
        locked.track_suggested, locked.track_reasons = track, reasons
        if not locked.track_override_reason:
            locked.track = track
        locked.save(update_fields=["track_suggested", "track_reasons", "track"])
        append_event(dispute=locked.dispute, kind="enforcement.track_suggested", title="执行繁简分流建议",
                     actor=None, origin=origin,
                     summary=f"系统建议：{EnforcementTrack(track).label}。" + "".join(reasons),
                     data={"case": locked.pk, "track": track})
    return locked


def _case_for_officer(actor: User, case_id: int) -> EnforcementCase:
    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("只有执行员可以调整执行分流。")
    case = selectors.visible_cases(actor).filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def override_track(*, case_id: int, actor: User, origin: Origin, track: str, reason: str,
                   expected_version: int) -> EnforcementCase:
    _case_for_officer(actor, case_id)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if track not in (EnforcementTrack.SIMPLE, EnforcementTrack.COMPLEX):
        errors["track"] = ["请选择简案快执或难案精执。"]
    if not reason or len(reason) > 300:
        errors["reason"] = ["改变系统建议的分流，须写明理由（300 字以内）。"]
    if errors:
        raise InvalidInput("分流调整有误。", errors=errors)
    with transaction.atomic():
        locked = EnforcementCase.objects.select_for_update().get(pk=case_id)
        if locked.version != expected_version:
            raise Conflict("该执行案件已被他人修改，请刷新后重试。")
        if locked.status not in OPEN_STATES:
            raise Conflict("执行案件已结案，不能调整分流。")
        before = locked.track
        locked.track, locked.track_override_reason = track, reason
        locked.version += 1
        locked.save(update_fields=["track", "track_override_reason", "version"])
        append_event(dispute=locked.dispute, kind="enforcement.track_overridden", title="执行员调整执行分流",
                     actor=actor, origin=origin,
                     summary=f"{EnforcementTrack(before).label or '未分流'} → "
                     f"{EnforcementTrack(track).label}：{reason}",
                     data={"case": locked.pk, "from": before, "to": track})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="enforcement_track",
                     target_id=locked.pk, detail={"from": before, "to": track})
    return locked


def group_candidates(actor: User) -> QuerySet[EnforcementCase]:
    """Open cases of this officer's court whose debtor has two or more open cases (大案联执 candidates)."""
    cases = selectors.visible_cases(actor).filter(status__in=OPEN_STATES)
    repeated = cases.values("respondent").annotate(n=Count("id")).filter(n__gte=2).values("respondent")
    return cases.filter(respondent__in=repeated).select_related("respondent", "group").order_by("respondent", "pk")


def group_cases(*, case_ids: list[int], actor: User, origin: Origin) -> EnforcementGroup:
    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("只有执行员可以建立联合执行组。")
    cases = list(selectors.visible_cases(actor).filter(pk__in=case_ids, status__in=OPEN_STATES)
                 .select_related("respondent", "dispute"))
    if len(cases) < 2 or len(cases) != len(set(case_ids)):
        raise InvalidInput("请选择同一被执行人的两件以上未结执行案件。", errors={"cases": ["至少两件，且均未结案。"]})
    if len({c.respondent_id for c in cases}) != 1 or len({c.court_id for c in cases}) != 1:
        raise InvalidInput("联合执行组只能包含本院针对同一被执行人的案件。", errors={"cases": ["被执行人不一致。"]})
    first = cases[0]
    with transaction.atomic():
        group, created = EnforcementGroup.objects.get_or_create(
            court_id=first.court_id, respondent_id=first.respondent_id,
            defaults={"name": f"{first.respondent.name}系列执行案件", "created_by": actor},
        )
        EnforcementCase.objects.filter(pk__in=[c.pk for c in cases]).update(group=group)
        for case in cases:
            append_event(dispute=case.dispute, kind="enforcement.grouped", title="列入大案联执",
                         actor=actor, origin=origin,
                         summary=f"{case.number} 列入“{group.name}”，与同一被执行人的其他案件统一执行",
                         data={"case": case.pk, "group": group.pk})
        record_audit(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, origin=origin,
                     target_type="enforcement_group", target_id=group.pk, detail={"cases": [c.pk for c in cases]})
    return group


def record_group_action(*, group_id: int, actor: User, origin: Origin, text: str) -> list[EnforcementCase]:
    """One action on the whole group (统一约谈、统一查控、统一分配方案…), on every case's timeline."""
    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("只有执行员可以记录联合执行措施。")
    group = selectors.visible_groups(actor).filter(pk=group_id).first()
    if group is None:
        raise NotFound()
    text = text.strip()
    if not text or len(text) > 300:
        message = "请填写联合执行措施（300 字以内）。"
        raise InvalidInput(message, errors={"text": [message]})
    cases = list(group.cases.filter(status__in=OPEN_STATES).select_related("dispute"))
    with transaction.atomic():
        for case in cases:
            append_event(dispute=case.dispute, kind="enforcement.group_action", title="大案联执措施",
                         actor=actor, origin=origin, summary=f"{group.name}：{text}",
                         data={"case": case.pk, "group": group.pk})
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="enforcement_group",
                     target_id=group.pk, detail={"action": text[:100], "cases": len(cases)})
    return cases
