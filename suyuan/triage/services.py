"""Proposals (computed, nothing written) and the clerk's decision (written, with event and audit)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.bulk_rows import copy_new
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.common.heap import batch_heap
from suyuan.disputes.choices import DisputeStatus, EventKind
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import get_visible_dispute

from . import causes, intake, permissions, track
from .choices import Path, Track, TriageTask
from .ml.models import ARTEFACTS, Candidate, cause_model, topic_model
from .models import TriageDecision, TriageProposal
from .track import TrackProposal, TriageFacts, propose_track


@dataclass(frozen=True)
class Proposal:
    causes: list[Candidate]
    topics: list[Candidate]
    track: TrackProposal
    cause_proposal: intake.IntakeProposal | None = None
    cause_list: str = ""  # the governing cause-list edition, by filing date (causes.edition_note)
    cause_list_edition: str = ""

    def value(self, task: str) -> tuple[str, float | None]:
        if task == TriageTask.CAUSE:
            return self.causes[0].label, self.causes[0].confidence
        if task == TriageTask.TRACK:
            return self.track.track, None
        return self.track.path, None

    def snapshot(self) -> dict[str, Any]:
        return {
            "causes": [c.__dict__ for c in self.causes],
            **(self.cause_proposal.snapshot() if self.cause_proposal else {}),
            "cause_list": self.cause_list, "cause_list_edition": self.cause_list_edition,
            "topics": [c.__dict__ for c in self.topics],
            "track": self.track.track, "path": self.track.path, "complexity": self.track.score,
            "factors": [f.__dict__ for f in self.track.small_claims + self.track.simple + self.track.complexity],
        }


def model_version() -> str:
    return json.loads((ARTEFACTS / "cause" / "meta.json").read_text(encoding="utf-8"))["built"]


# The cause model learnt from judgments, which call the parties 原告/被告; disputes on the platform
# call them 申请人/被申请人, whose "申请" otherwise matches the names of the 申请… special-procedure
# causes. On 575 demo-generator disputes (bench/triage_intake.py) this took the share whose top
# cause was a 申请… cause from 52 % to 0 %, and top-3 within the category's causes from 0.50 to 0.81.
JUDGMENT_WORDING = (("被申请人", "被告"), ("申请人", "原告"))


def as_judgment_wording(text: str) -> str:
    for platform, judgment in JUDGMENT_WORDING:
        text = text.replace(platform, judgment)
    return text


def intake_text(dispute: Dispute) -> str:
    """What the models read: summary, description and claims, parties named as in judgments."""
    claims = " ".join(c.text for c in dispute.claims.all())
    return as_judgment_wording(f"{dispute.summary}。{dispute.description} {claims}".strip())


def _edition(dispute: Dispute, cause: intake.IntakeProposal) -> tuple[intake.IntakeProposal, str, str]:
    """The causes in the wording of the list governing the dispute's filing date, and its note."""
    filed = timezone.localdate(dispute.created_at) if dispute.created_at else timezone.localdate()
    renamed = []
    for c in cause.causes:
        name, verified = causes.in_edition(c.label, filed)
        note = [] if verified else ["该名称未与适用版本案由目录的权威文本核对"]
        renamed.append(Candidate(name, c.confidence, c.score, [*c.reasons, *note]))
    edition = causes.edition_for(filed)
    return replace(cause, causes=renamed), causes.edition_note(filed), edition["key"]


def _parties(dispute: Dispute) -> list[intake.PartyInfo]:
    return [intake.PartyInfo(dp.party.kind, dp.party.name, dp.role) for dp in dispute.dispute_parties.all()]


def _track(dispute: Dispute, causes: list[Candidate], text: str, parties: int, on: date | None) -> TrackProposal:
    facts = TriageFacts(
        amount=dispute.amount, cause=causes[0].label if causes else "", category=dispute.category,
        parties=parties, text=text,
        province_code=dispute.region.code[:2] if dispute.region_id else "64", on=on or timezone.localdate(),
    )
    return propose_track(facts, litigated=dispute.status not in {DisputeStatus.RECORDED})


def propose_triage(dispute: Dispute, *, on: date | None = None) -> Proposal:
    """Everything the clerk sees, explained. Lexical models plus one short embedding: a few ms."""
    text = intake_text(dispute)
    parties = _parties(dispute)
    cause, note, edition = _edition(dispute, intake.propose(cause_model(), [text], [dispute.category], [parties])[0])
    topics = topic_model().predict([text[:200]], k=3)[0]
    return Proposal(causes=cause.causes, topics=topics, cause_proposal=cause, cause_list=note,
                    cause_list_edition=edition, track=_track(dispute, cause.causes, text, len(parties), on))


BULK_CHUNK = 500  # disputes per cause-model call and per write


def store_proposals(dispute_ids: Iterable[int], *, on: date | None = None) -> int:
    """Propose cause, track and path for many disputes and store them (``TriageProposal``).

    The bulk path: the cause model scores a whole chunk in one call and the rules run per dispute;
    the topic embedding (~40 ms a text) is left to the triage page, where a clerk looks at one
    dispute. Idempotent: a dispute's stored proposal is replaced.
    """
    ids = list(dispute_ids)
    version, stored = model_version(), 0
    with track.batch(), batch_heap():
        for start in range(0, len(ids), BULK_CHUNK):
            stored += _store_chunk(ids[start : start + BULK_CHUNK], version, on)
    return stored


def _store_chunk(ids: list[int], version: str, on: date | None) -> int:
    disputes = list(
        Dispute.objects.filter(pk__in=ids)
        .select_related("region").prefetch_related("claims", "dispute_parties__party")
    )
    if not disputes:  # deleted since they were listed
        return 0
    texts = [intake_text(d) for d in disputes]
    parties = [_parties(d) for d in disputes]
    ranked = intake.propose(cause_model(), texts, [d.category for d in disputes], parties)
    now, rows = timezone.now(), []
    for dispute, text, first, who in zip(disputes, texts, ranked, parties, strict=True):
        cause, note, edition = _edition(dispute, first)
        proposed = _track(dispute, cause.causes, text, len(who), on)
        proposal = Proposal(causes=cause.causes, topics=[], track=proposed, cause_proposal=cause, cause_list=note,
                            cause_list_edition=edition)
        rows.append(TriageProposal(
            dispute=dispute, cause=cause.causes[0].label if cause.causes else "", proposed_at=now,
            model_version=version,
            cause_confidence=cause.confidence, track=proposed.track, path=proposed.path,
            complexity=proposed.score, detail=proposal.snapshot(),
        ))
    with transaction.atomic():
        TriageProposal.objects.filter(dispute__in=disputes).delete()
        # By COPY on PostgreSQL (common.bulk_rows): Django's client-side binding would quote each
        # proposal's detail (~2 kB of JSON) into the statement in Python, most of this write's time.
        copy_new(rows)
    return len(rows)


ALLOWED: dict[str, set[str]] = {TriageTask.TRACK: set(Track.values), TriageTask.PATH: set(Path.values)}


@transaction.atomic
def decide_triage(
    *, actor: User, origin: Origin, number: str, decisions: dict[str, tuple[str, str]]
) -> list[TriageDecision]:
    """Record the clerk's confirmation or override of each proposal (task → (value, reason))."""
    if not permissions.can_triage(actor):
        raise NotPermitted("只有立案人员或法官可以确认分流。")
    dispute = get_visible_dispute(actor, number)
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    proposal = propose_triage(dispute)
    errors: dict[str, list[str]] = {}
    rows = []
    for task in TriageTask.values:
        if task not in decisions:
            continue
        value, reason = decisions[task][0].strip(), decisions[task][1].strip()
        proposed, confidence = proposal.value(task)
        if not value:
            errors[task] = ["请选择或填写。"]
            continue
        if task in ALLOWED and value not in ALLOWED[task]:
            errors[task] = ["取值无效。"]
            continue
        if value != proposed and not reason:
            errors[f"{task}_reason"] = ["改变系统建议时须填写理由。"]
            continue
        rows.append(TriageDecision(
            dispute=dispute, court=dispute.court, task=task, proposed=proposed, proposed_confidence=confidence,
            decided=value[:120], agreed=value == proposed, reason=reason[:500], proposal=proposal.snapshot(),
            decided_by=actor, model_version=model_version(),
        ))
    if not rows and not errors:
        errors["__all__"] = ["没有需要确认的事项。"]
    if errors:
        raise InvalidInput("分流确认未保存，请检查标注的项目。", errors=errors)
    for row in rows:
        row.save()
    summary = "；".join(
        f"{TriageTask(r.task).label}：{'采纳建议' if r.agreed else '改为'} {r.decided}" for r in rows
    )
    append_event(dispute=dispute, kind=EventKind.TRIAGE_DECIDED, actor=actor, origin=origin,
                 summary=f"繁简分流确认。{summary}"[:500],
                 data={"decisions": [{"task": r.task, "proposed": r.proposed, "decided": r.decided,
                                      "agreed": r.agreed} for r in rows]})
    record_audit(actor=actor, action=AuditAction.UPDATE, origin=origin, target_type="triage",
                 target_id=dispute.number, detail={"overrides": sum(not r.agreed for r in rows), "tasks": len(rows)})
    return rows
