"""Recording a batch import's chunk of disputes at once: validated row by row, written together.

``record_disputes`` gives, for the same inputs in the same state of the database, the same
results and the same rows as ``record_dispute`` called on each input in turn (a test imports the
same file both ways and compares): each input is validated with the same Chinese messages; its
parties are resolved as ``resolve_party`` would resolve them one row after another
(``parties.book.PartyBook``); a reference given twice in the chunk is a duplicate of the first
input that was recorded; a dispute with exactly the same parties, category and amount as an
earlier one (on file or earlier in the chunk) is marked and gets its ``DUPLICATE_SUSPECTED``
event; numbers are consecutive from one move of the counter. Then the chunk is written with one
multi-row INSERT per table (parties, match flags, disputes, their party rows, claims, timeline
events, and through the event sinks' bulk forms the notices outbox and the governance facts; the
audit entries in chain order when ``audit``), instead of about ten statements per row.

Nothing half-written: the caller holds a savepoint around the call. A unique index that fails
(another writer recorded the same reference or created the same party meanwhile) raises
``IntegrityError`` from the INSERT; the caller rolls the chunk back and records its rows one by
one, which resolves the race row by row as today.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audits
from suyuan.common.bulk_rows import copy_new, copy_values, reserve_keys
from suyuan.common.errors import DomainError, InvalidInput
from suyuan.common.sequences import next_values
from suyuan.parties.book import PartyBook
from suyuan.parties.models import Party
from suyuan.parties.services import Resolution

from .choices import EventKind
from .events import append_events, new_event
from .intake import DisputeInput, _Clean, _validate
from .models import Claim, Dispute, DisputeEvent, DisputeParty, ImportJob
from .recording import (
    Recorded,
    _earlier_duplicate,
    _keep_parties,
    audit_detail,
    dispute_number,
    dispute_party_rows,
    duplicate_event,
    new_dispute,
    recorded_event,
)

Outcome = Recorded | DomainError


@dataclass
class _Row:
    """One input that will be recorded."""

    data: DisputeInput
    clean: _Clean
    parties: list[tuple[str, Party]]
    resolutions: list[Resolution]
    dispute: Dispute | None = None
    duplicate_of: _Row | Dispute | None = None


@dataclass
class _Chunk:
    rows: list[_Row] = field(default_factory=list)
    # The first recorded input of each party set (by object: the book gives one per identity),
    # category and amount: an earlier dispute for a later input of the chunk.
    first_of: dict[tuple[frozenset[int], str, Decimal | None], _Row] = field(default_factory=dict)


def record_disputes(
    *,
    actor: User,
    origin: Origin,
    inputs: list[DisputeInput],
    import_job: ImportJob | None = None,
    audit: bool = True,
    timings: dict[str, float] | None = None,
) -> list[Outcome]:
    """Record ``inputs`` (whose references the caller has looked up and not found on file);
    return, for each input in order, its ``Recorded`` or the ``DomainError`` that refuses it.

    ``timings`` (if given) accumulates the seconds spent checking (``check``: validation, party
    resolution, duplicate look-ups) and writing (``write``: numbers, rows, events, sinks), and
    the write stage's CPU in this process (``write_cpu``: the rest of it is the database's work
    and the wait for it), and the write's parts (``write.parties``, ``write.disputes``,
    ``write.rows``: party rows and claims, ``write.events``, ``write.sinks``: outbox, governance
    facts and the rest)."""
    started = time.perf_counter()
    cleans: dict[int, _Clean | DomainError] = {}
    for i, data in enumerate(inputs):
        try:
            cleans[i] = _validate(actor, data)
        except DomainError as exc:
            cleans[i] = exc
    book = PartyBook(party for c in cleans.values() if isinstance(c, _Clean) for _, party in c.parties)
    chunk = _Chunk()
    # Per input: refused, or the row that records it (``created``) or recorded its reference first.
    results: list[DomainError | tuple[_Row, bool]] = []
    by_ref: dict[str, _Row] = {}
    for i, data in enumerate(inputs):
        clean = cleans[i]
        if data.source_ref and data.source_ref in by_ref:
            # As record_dispute answers a reference on file before it validates the input.
            results.append((by_ref[data.source_ref], False))
            continue
        if isinstance(clean, DomainError):
            results.append(clean)
            continue
        try:
            row = _resolve(book, chunk, data, clean)
        except InvalidInput as exc:
            results.append(exc)
            continue
        chunk.rows.append(row)
        results.append((row, True))
        if data.source_ref:
            by_ref[data.source_ref] = row
    checked, cpu = time.perf_counter(), time.process_time()
    _write(actor, origin, import_job, audit, book, chunk, _Clock(timings))
    if timings is not None:
        timings["check"] = timings.get("check", 0.0) + checked - started
        timings["write"] = timings.get("write", 0.0) + time.perf_counter() - checked
        timings["write_cpu"] = timings.get("write_cpu", 0.0) + time.process_time() - cpu
    outcomes: list[Outcome] = []
    for result in results:
        if isinstance(result, DomainError):
            outcomes.append(result)
        else:
            row, created = result
            assert row.dispute is not None
            outcomes.append(Recorded(row.dispute, created=created))
    return outcomes


def _resolve(book: PartyBook, chunk: _Chunk, data: DisputeInput, clean: _Clean) -> _Row:
    # Validation has refused the same identity twice in one input, so every party is distinct.
    resolutions = book.resolve_row([party for _, party in clean.parties])
    parties = [(role, r.party) for (role, _), r in zip(clean.parties, resolutions, strict=True)]
    row = _Row(data=data, clean=clean, parties=parties, resolutions=resolutions)
    key = (frozenset(id(party) for _, party in parties), data.category, clean.amount)
    # A party created just now has no earlier dispute, so neither has this set of parties; one
    # created by an earlier input of the chunk has none on file.
    if not any(r.created for r in resolutions):
        if all(party.pk is not None for _, party in parties):
            row.duplicate_of = _earlier_duplicate(data.category, clean.amount, {p.pk for _, p in parties}, None)
        if row.duplicate_of is None:
            row.duplicate_of = chunk.first_of.get(key)
    chunk.first_of.setdefault(key, row)
    return row


class _Clock:
    """The write stage's parts, accumulated into the caller's ``timings`` (when given)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings, self.last = timings, time.perf_counter()

    def lap(self, part: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[f"write.{part}"] = self.timings.get(f"write.{part}", 0.0) + now - self.last
            self.last = now


def _write(
    actor: User, origin: Origin, import_job: ImportJob | None, audit: bool, book: PartyBook, chunk: _Chunk,
    clock: _Clock,
) -> None:
    if not chunk.rows:
        return
    now = timezone.localtime()
    serials = next_values(f"dispute:{now.year}", len(chunk.rows))
    # The keys of the parties, disputes, party rows and events in one statement (on PostgreSQL).
    n_events = len(chunk.rows) + sum(1 for row in chunk.rows if row.duplicate_of is not None)
    party_keys, dispute_keys, party_row_keys, event_keys = reserve_keys([
        (Party, book.new_count), (Dispute, len(chunk.rows)),
        (DisputeParty, sum(len(row.parties) for row in chunk.rows)), (DisputeEvent, n_events),
    ])
    book.write(keys=party_keys)
    clock.lap("parties")
    disputes = []
    for row, serial in zip(chunk.rows, serials, strict=True):
        row.dispute = new_dispute(
            actor=actor, data=row.data, clean=row.clean, parties=row.parties,
            number=dispute_number(now.year, serial), import_job=import_job,
        )
        if isinstance(row.duplicate_of, Dispute):
            row.dispute.duplicate_of = row.duplicate_of
        disputes.append(row.dispute)
    copy_new(disputes, keys=dispute_keys)
    # An earlier input of the chunk as the duplicate: its dispute has a key only now (one UPDATE,
    # as record_dispute saves the mark after the insert).
    later = []
    for row in chunk.rows:
        if isinstance(row.duplicate_of, _Row):
            assert row.dispute is not None
            row.dispute.duplicate_of = row.duplicate_of.dispute
            later.append(row.dispute)
    if later:
        Dispute.objects.bulk_update(later, ["duplicate_of"])
    clock.lap("disputes")
    party_rows: list[DisputeParty] = []
    kept: list[tuple[Dispute, list[DisputeParty]]] = []
    # The claims as values: nothing reads them back in this transaction (the triage task does,
    # after the job), so no model instance is built for them.
    claims: list[dict[str, object]] = []
    for row in chunk.rows:
        dispute = row.dispute
        assert dispute is not None
        rows = dispute_party_rows(dispute, row.parties)
        party_rows += rows
        kept.append((dispute, rows))
        claims += [{"dispute_id": dispute.pk, "position": i, "text": text, "amount": amount}
                   for i, (text, amount) in enumerate(row.clean.claims, start=1)]
    copy_new(party_rows, keys=party_row_keys)
    for dispute, rows in kept:
        _keep_parties(dispute, rows)
    copy_values(Claim, claims)
    clock.lap("rows")
    events = []
    for row in chunk.rows:
        dispute = row.dispute
        assert dispute is not None
        flagged = sum(len(r.flagged) for r in row.resolutions)
        events.append(new_event(
            dispute=dispute, seq=1, kind=EventKind.RECORDED, actor=actor, origin=origin,
            **recorded_event(row.data, row.clean, dispute, parties=len(row.parties), flagged=flagged),
        ))
        if dispute.duplicate_of is not None:
            events.append(new_event(dispute=dispute, seq=2, kind=EventKind.DUPLICATE_SUSPECTED, actor=None,
                                    origin=origin, **duplicate_event(dispute.duplicate_of)))
    append_events(events, on_written=lambda: clock.lap("events"), keys=event_keys)
    clock.lap("sinks")
    if audit:
        record_audits(
            actor=actor, action=AuditAction.CREATE, origin=origin,
            targets=[("dispute", row.dispute.number, audit_detail(row.data)) for row in chunk.rows if row.dispute],
        )
