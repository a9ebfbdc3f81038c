"""Writes of the integrity app: duplicate-suit findings and decisions, groups, demonstration cases, the index.

Every write to a dispute is a timeline event; every decision by a person is audited.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.choices import EventKind, PartyRole
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Dispute, DisputeEvent, DisputeParty
from suyuan.disputes.selectors import get_visible_dispute
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party
from suyuan.rules.thresholds import duplicate_suit_test

from . import config
from .art247 import Match, find_matches
from .choices import FindingStatus, IntegrityEvent
from .facts import dispute_text, earlier_sharing_parties, facts_of
from .index import index_dir, shared_index
from .models import DisputeGroup, DuplicateFinding, GroupMember
from .text import DIM, vector

DECIDERS = frozenset({Role.CLERK, Role.JUDGE})


def _court_staff(actor: User) -> None:
    if actor.role not in DECIDERS:
        raise NotPermitted("只有法院立案人员或法官可以进行该操作。")


def duplicate_matches(dispute: Dispute) -> list[Match]:
    """The art. 247 comparison of a dispute against every earlier dispute sharing its parties (no write)."""
    test = duplicate_suit_test(timezone.localdate(dispute.created_at))
    if test is None:
        return []
    earlier = earlier_sharing_parties(dispute)
    if not earlier:
        return []
    later, *candidates = facts_of([dispute, *earlier])
    return find_matches(later, candidates, test.conditions)


def check_duplicate_suit(*, dispute: Dispute, origin: Origin, actor: User | None = None) -> list[Match]:
    """Run the art. 247 check for a dispute at intake or registration and keep the findings.

    Intake (the worker, after commit) and the litigation app's registration both call this. Pairs
    already decided by a clerk keep their decision; a new pair meeting every condition writes one
    timeline event for the clerk to act on. Nothing is refused here.
    """
    matches = duplicate_matches(dispute)
    with transaction.atomic():
        locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
        existing = {f.earlier_id: f for f in DuplicateFinding.objects.filter(dispute=locked)}
        new_hits = []
        for m in matches:
            finding = existing.get(m.earlier.key)
            if finding is None:
                DuplicateFinding.objects.create(
                    dispute=locked, earlier_id=m.earlier.key, meets_test=m.meets_test, score=m.score,
                    evidence=m.evidence(),
                )
                if m.meets_test:
                    new_hits.append(m)
            elif finding.status == FindingStatus.OPEN:
                finding.meets_test, finding.score, finding.evidence = m.meets_test, m.score, m.evidence()
                finding.save(update_fields=["meets_test", "score", "evidence", "checked_at"])
        if new_hits:
            numbers = "、".join(m.earlier.number for m in new_hits)
            append_event(
                dispute=locked, kind=IntegrityEvent.DUPLICATE_FOUND, title=IntegrityEvent.DUPLICATE_FOUND.label,
                actor=actor, origin=origin,
                summary=f"与 {numbers} 的当事人、诉讼标的和诉讼请求相同或相近，可能构成重复起诉，请书记员核实。",
                data={"earlier": [m.earlier.number for m in new_hits], "scores": [round(m.score, 3) for m in new_hits]},
            )
    return matches


def decide_duplicate(
    *, actor: User, origin: Origin, number: str, earlier_number: str, duplicate: bool, note: str = ""
) -> DuplicateFinding:
    """The clerk's conclusion on one flagged pair, with the evidence as it stood when deciding."""
    _court_staff(actor)
    dispute = get_visible_dispute(actor, number)
    note = note.strip()
    if len(note) > 500:
        raise InvalidInput("核实说明不得超过 500 字。", errors={"note": ["核实说明不得超过 500 字。"]})
    match = next((m for m in duplicate_matches(dispute) if m.earlier.number == earlier_number), None)
    earlier = Dispute.objects.filter(number=earlier_number).first()
    if match is None or earlier is None:
        raise NotFound("未找到该比对结果，请刷新页面。")
    status = FindingStatus.DUPLICATE if duplicate else FindingStatus.NOT_DUPLICATE
    with transaction.atomic():
        locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
        finding, _ = DuplicateFinding.objects.get_or_create(
            dispute=locked, earlier=earlier,
            defaults={"meets_test": match.meets_test, "score": match.score, "evidence": match.evidence()},
        )
        if finding.status != FindingStatus.OPEN:
            raise Conflict("该比对结果已由他人核实，请刷新页面。")
        finding.status, finding.note = status, note
        finding.meets_test, finding.score, finding.evidence = match.meets_test, match.score, match.evidence()
        finding.decided_by, finding.decided_at = actor, timezone.now()
        finding.version += 1
        finding.save()
        append_event(
            dispute=locked, kind=IntegrityEvent.DUPLICATE_DECIDED, title=IntegrityEvent.DUPLICATE_DECIDED.label,
            actor=actor, origin=origin,
            summary=f"经核实，与 {earlier_number} {status.label.removeprefix('认定')}" + (f"：{note}" if note else ""),
            data={"earlier": earlier_number, "decision": status.value, "score": round(match.score, 3)},
        )
        record_audit(
            actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="duplicate_finding",
            target_id=finding.pk, detail={"dispute": number, "earlier": earlier_number, "decision": status.value},
        )
    return finding


# --- group disputes -------------------------------------------------------------------------


def _common_parties(dispute: Dispute) -> list[tuple[str, int]]:
    """The (side, party) pairs a group can form around: every respondent, and every applicant that
    is an organisation (an institution filing a batch). A natural person filing in series is a
    risk signal, not a group."""
    rows = DisputeParty.objects.filter(dispute=dispute).select_related("party").order_by("pk")
    respondents = [(PartyRole.RESPONDENT.value, r.party_id) for r in rows if r.role == PartyRole.RESPONDENT]
    institutions = [
        (PartyRole.APPLICANT.value, r.party_id) for r in rows
        if r.role == PartyRole.APPLICANT and r.party.kind in (PartyKind.LEGAL, PartyKind.OTHER_ORG)
    ]
    return respondents + institutions


def cluster_dispute(*, dispute: Dispute, origin: Origin) -> DisputeGroup | None:
    """Put an arriving dispute into the group of a common party, category and court, if there is one.

    A group forms when ``min_size`` disputes against one respondent (or filed by one institution)
    arrive within ``window_days``; later arrivals join while the group is active. The common
    party's row is locked so that two workers clustering a batch at once build one group, not two.
    """
    cfg = config.section("groups")
    window = timedelta(days=cfg["window_days"])
    if GroupMember.objects.filter(dispute=dispute).exists():
        return GroupMember.objects.get(dispute=dispute).group
    for side, party_id in _common_parties(dispute):
        with transaction.atomic():
            Party.objects.select_for_update().get(pk=party_id)
            if GroupMember.objects.filter(dispute=dispute).exists():
                return GroupMember.objects.get(dispute=dispute).group
            group = (
                DisputeGroup.objects.filter(party_id=party_id, side=side, category=dispute.category,
                                            court_id=dispute.court_id, last_at__gte=dispute.created_at - window)
                .order_by("-last_at").first()
            )
            if group is not None:
                _join(group, [dispute], origin)
                return group
            peers = list(
                Dispute.objects.filter(
                    dispute_parties__party_id=party_id, dispute_parties__role=side,
                    category=dispute.category, court_id=dispute.court_id,
                    created_at__gte=dispute.created_at - window, created_at__lte=dispute.created_at + window,
                    group_membership__isnull=True,
                ).exclude(pk=dispute.pk).distinct().order_by("created_at", "pk")
            )
            if len(peers) + 1 >= cfg["min_size"]:
                members = sorted([*peers, dispute], key=lambda d: (d.created_at, d.pk))
                group = DisputeGroup.objects.create(
                    party_id=party_id, side=side, category=dispute.category, court_id=dispute.court_id,
                    first_at=members[0].created_at, last_at=members[-1].created_at,
                )
                _join(group, members, origin)
                return group
    return None


def _join(group: DisputeGroup, disputes: list[Dispute], origin: Origin) -> None:
    name = Party.objects.get(pk=group.party_id).name
    if group.side == PartyRole.APPLICANT:
        summary = f"与{name}成批申请的其他同类纠纷一并作为群体性纠纷关注（第 {group.pk} 组）。"
    else:
        summary = f"与其他针对{name}的同类纠纷一并作为群体性纠纷关注（第 {group.pk} 组）。"
    for d in disputes:
        GroupMember.objects.create(group=group, dispute=d)
        locked = Dispute.objects.select_for_update().get(pk=d.pk)
        append_event(
            dispute=locked, kind=IntegrityEvent.GROUP_JOINED, title=IntegrityEvent.GROUP_JOINED.label,
            actor=None, origin=origin, summary=summary, data={"group": group.pk},
        )
    latest = max(d.created_at for d in disputes)
    if latest > group.last_at:
        group.last_at = latest
        group.save(update_fields=["last_at"])


def _group_for(actor: User, group_id: int) -> DisputeGroup:
    _court_staff(actor)
    court = actor.organisation.court() if actor.organisation else None
    group = DisputeGroup.objects.select_for_update().filter(pk=group_id, court=court).first() if court else None
    if group is None:
        raise NotFound()
    return group


def link_parallel(*, actor: User, origin: Origin, group_id: int, numbers: list[str]) -> int:
    """Confirm members as parallel disputes of the group (those the demonstration outcome reaches)."""
    with transaction.atomic():
        group = _group_for(actor, group_id)
        members = list(GroupMember.objects.filter(group=group, dispute__number__in=numbers, linked=False)
                       .select_related("dispute"))
        if not members:
            raise InvalidInput("请选择要关联的纠纷。", errors={"numbers": ["请选择要关联的纠纷。"]})
        for m in members:
            m.linked, m.linked_by = True, actor
            m.save(update_fields=["linked", "linked_by"])
            locked = Dispute.objects.select_for_update().get(pk=m.dispute_id)
            append_event(
                dispute=locked, kind=IntegrityEvent.GROUP_LINKED, title=IntegrityEvent.GROUP_LINKED.label,
                actor=actor, origin=origin, summary=f"关联为第 {group.pk} 组群体性纠纷的平行案件。",
                data={"group": group.pk},
            )
        group.version += 1
        group.save(update_fields=["version"])
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="dispute_group",
                     target_id=group.pk, detail={"linked": [m.dispute.number for m in members]})
    return len(members)


def mark_demonstration(*, actor: User, origin: Origin, group_id: int, number: str) -> DisputeGroup:
    with transaction.atomic():
        group = _group_for(actor, group_id)
        member = GroupMember.objects.filter(group=group, dispute__number=number).select_related("dispute").first()
        if member is None:
            raise InvalidInput("示范案件须为本组纠纷。", errors={"number": ["示范案件须为本组纠纷。"]})
        if group.pushed_at is not None:
            raise Conflict("本组已推送示范案件结果，不能再更换示范案件。")
        group.demonstration = member.dispute
        group.version += 1
        group.save(update_fields=["demonstration", "version"])
        locked = Dispute.objects.select_for_update().get(pk=member.dispute_id)
        append_event(
            dispute=locked, kind=IntegrityEvent.DEMONSTRATION_MARKED, title=IntegrityEvent.DEMONSTRATION_MARKED.label,
            actor=actor, origin=origin, summary=f"确定为第 {group.pk} 组群体性纠纷的示范案件。",
            data={"group": group.pk},
        )
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="dispute_group",
                     target_id=group.pk, detail={"demonstration": number})
    return group


def push_demonstration_outcome(*, actor: User, origin: Origin, group_id: int, outcome: str) -> int:
    """Send the demonstration case's outcome to every linked parallel dispute, as a timeline event.

    The mediator of each parallel dispute reads it on the timeline and proposes the same terms;
    nothing is decided for them (审一案、推全案).
    """
    outcome = outcome.strip()
    if len(outcome) < 10 or len(outcome) > 1000:
        raise InvalidInput("请填写示范案件的处理结果（10 至 1000 字）。",
                           errors={"outcome": ["请填写示范案件的处理结果（10 至 1000 字）。"]})
    with transaction.atomic():
        group = _group_for(actor, group_id)
        if group.demonstration_id is None:
            raise InvalidInput("请先确定示范案件。", errors={"number": ["请先确定示范案件。"]})
        demo_number = Dispute.objects.get(pk=group.demonstration_id).number
        targets = list(GroupMember.objects.filter(group=group, linked=True).exclude(dispute_id=group.demonstration_id)
                       .values_list("dispute_id", flat=True))
        if not targets:
            raise InvalidInput("本组还没有关联的平行案件。", errors={"numbers": ["本组还没有关联的平行案件。"]})
        for pk in targets:
            locked = Dispute.objects.select_for_update().get(pk=pk)
            append_event(
                dispute=locked, kind=IntegrityEvent.DEMONSTRATION_OUTCOME,
                title=IntegrityEvent.DEMONSTRATION_OUTCOME.label, actor=actor, origin=origin,
                summary=f"示范案件 {demo_number} 处理结果：{outcome}"[:500],
                data={"group": group.pk, "demonstration": demo_number},
            )
        group.outcome, group.pushed_at = outcome, timezone.now()
        group.version += 1
        group.save(update_fields=["outcome", "pushed_at", "version"])
        record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="dispute_group",
                     target_id=group.pk, detail={"pushed_to": len(targets), "demonstration": demo_number})
    return len(targets)


# --- similar-case index ------------------------------------------------------------------------


def _index_vectors(ids: list[int]) -> tuple[list[int], Any]:
    import numpy as np

    disputes = list(Dispute.objects.filter(pk__in=ids).prefetch_related("claims"))
    vecs = (
        np.stack([vector(dispute_text(d), amount=float(d.amount) if d.amount is not None else None) for d in disputes])
        if disputes
        else np.zeros((0, DIM), dtype=np.float32)
    )
    return [d.pk for d in disputes], vecs


def index_disputes(ids: list[int]) -> int:
    """Add disputes to the similar-case index (idempotent: a re-added dispute replaces itself);
    returns how many of ``ids`` were indexed (those still on file).

    They go into the index's exact delta at once; the graph takes them in batches (``index.MERGE_AT``).
    """
    keys, vecs = _index_vectors(ids)
    return shared_index().add(keys, vecs) if keys else 0


def sync_index(batch: int = 5000) -> int:
    """Add every dispute the index lacks (after a restart, a lost task, bulk-created data or from
    scratch), straight into the graph, which is written once."""
    index = shared_index()
    added = 0

    def missing_batches() -> Iterator[tuple[list[int], Any]]:
        nonlocal added
        last = 0
        while ids := list(Dispute.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]):
            last = ids[-1]
            if missing := index.missing(ids):
                keys, vecs = _index_vectors(missing)
                added += len(keys)
                yield keys, vecs

    index.add_batches(missing_batches())
    return added


# Events after which a dispute's text in the index may be stale: a new dispute, re-worded details.
FOLLOWED_EVENTS = (EventKind.RECORDED, EventKind.DETAILS_UPDATED)


def follow_events(batch: int = 2000) -> int:
    """Keep this host's copy of the index current from the event stream (several web hosts).

    Each host keeps its own index files (rebuilt from the database with ``sync_index``); this reads
    the timeline events after the cursor stored beside the index (``follow.cursor``), re-indexes
    the disputes they name and advances the cursor. Idempotent (an indexed dispute replaces itself),
    so a crash between the index write and the cursor write costs a repeat, never a gap. Returns how
    many disputes were (re-)indexed.
    """
    cursor_path = index_dir() / "follow.cursor"
    index_dir().mkdir(parents=True, exist_ok=True)
    if cursor_path.exists():
        last = int(cursor_path.read_text(encoding="utf-8") or 0)
    else:
        # A fresh copy: the database has everything up to now; start following from here.
        last = DisputeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        sync_index()
        _write_cursor(cursor_path, last)
    done = 0
    while rows := list(DisputeEvent.objects.filter(pk__gt=last, kind__in=FOLLOWED_EVENTS).order_by("pk")
                       .values_list("pk", "dispute_id")[:batch]):
        done += index_disputes(sorted({dispute_id for _, dispute_id in rows}))
        last = rows[-1][0]
        _write_cursor(cursor_path, last)
    return done


def _write_cursor(path: Any, last: int) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(str(last), encoding="utf-8")
    os.replace(tmp, path)
