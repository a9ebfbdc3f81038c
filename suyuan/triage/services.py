"""Proposals (computed, nothing written) and the clerk's decision (written, with event and audit)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.disputes.choices import DisputeStatus, EventKind
from suyuan.disputes.events import append_event
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import get_visible_dispute

from . import permissions, track
from .causes import category_causes, to_2020
from .choices import Path, Track, TriageTask
from .ml.models import ARTEFACTS, Candidate, cause_model, topic_model
from .models import TriageDecision, TriageProposal
from .track import TrackProposal, TriageFacts, propose_track


@dataclass(frozen=True)
class Proposal:
    causes: list[Candidate]
    topics: list[Candidate]
    track: TrackProposal

    def value(self, task: str) -> tuple[str, float | None]:
        if task == TriageTask.CAUSE:
            return self.causes[0].label, self.causes[0].confidence
        if task == TriageTask.TRACK:
            return self.track.track, None
        return self.track.path, None

    def snapshot(self) -> dict[str, Any]:
        return {
            "causes": [c.__dict__ for c in self.causes],
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


def _text(dispute: Dispute) -> str:
    claims = " ".join(c.text for c in dispute.claims.all())
    return as_judgment_wording(f"{dispute.summary}。{dispute.description} {claims}".strip())


def _knowledge_causes(category: str, causes: list[Candidate]) -> list[Candidate]:
    """Keep the model's civil ranking but lift causes that the recorded category maps to."""
    mapped = set(category_causes().get(category, []))
    if not mapped:
        return causes
    lifted = [
        Candidate(c.label, c.confidence, c.score, [*c.reasons, "与登记的纠纷类别对应"])
        if to_2020(c.label) in mapped
        else c
        for c in causes
    ]
    return sorted(lifted, key=lambda c: (to_2020(c.label) not in mapped, -c.score))


def _civil_causes(category: str, candidates: list[Candidate]) -> list[Candidate]:
    ranked = _knowledge_causes(category, candidates)
    return [Candidate(to_2020(c.label), c.confidence, c.score, c.reasons) for c in ranked][:3]


def _track(dispute: Dispute, causes: list[Candidate], text: str, parties: int, on: date | None) -> TrackProposal:
    facts = TriageFacts(
        amount=dispute.amount, cause=causes[0].label if causes else "", category=dispute.category,
        parties=parties, text=text,
        province_code=dispute.region.code[:2] if dispute.region_id else "64", on=on or timezone.localdate(),
    )
    return propose_track(facts, litigated=dispute.status not in {DisputeStatus.RECORDED})


def propose_triage(dispute: Dispute, *, on: date | None = None) -> Proposal:
    """Everything the clerk sees, explained. Lexical models plus one short embedding: a few ms."""
    text = _text(dispute)
    causes = _civil_causes(dispute.category, cause_model().predict([text], domains=["civil"], k=5)[0])
    topics = topic_model().predict([text[:200]], k=3)[0]
    return Proposal(causes=causes, topics=topics,
                    track=_track(dispute, causes, text, dispute.dispute_parties.count(), on))


BULK_CHUNK = 500  # disputes per cause-model call and per write


def store_proposals(dispute_ids: Iterable[int], *, on: date | None = None) -> int:
    """Propose cause, track and path for many disputes and store them (``TriageProposal``).

    The bulk path: the cause model scores a whole chunk in one call and the rules run per dispute;
    the topic embedding (~40 ms a text) is left to the triage page, where a clerk looks at one
    dispute. Idempotent: a dispute's stored proposal is replaced.
    """
    ids = list(dispute_ids)
    version, stored = model_version(), 0
    with track.batch():
        for start in range(0, len(ids), BULK_CHUNK):
            stored += _store_chunk(ids[start : start + BULK_CHUNK], version, on)
    return stored


def _store_chunk(ids: list[int], version: str, on: date | None) -> int:
    disputes = list(
        Dispute.objects.filter(pk__in=ids)
        .select_related("region").prefetch_related("claims").annotate(n_parties=Count("dispute_parties"))
    )
    if not disputes:  # deleted since they were listed
        return 0
    texts = [_text(d) for d in disputes]
    ranked = cause_model().predict(texts, domains=["civil"] * len(texts), k=5)
    now, rows = timezone.now(), []
    for dispute, text, candidates in zip(disputes, texts, ranked, strict=True):
        causes = _civil_causes(dispute.category, candidates)
        proposed = _track(dispute, causes, text, dispute.n_parties, on)
        proposal = Proposal(causes=causes, topics=[], track=proposed)
        rows.append(TriageProposal(
            dispute=dispute, cause=causes[0].label if causes else "", proposed_at=now, model_version=version,
            cause_confidence=causes[0].confidence if causes else 0.0, track=proposed.track, path=proposed.path,
            complexity=proposed.score, detail=proposal.snapshot(),
        ))
    with transaction.atomic():
        TriageProposal.objects.filter(dispute__in=disputes).delete()
        TriageProposal.objects.bulk_create(rows)
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
