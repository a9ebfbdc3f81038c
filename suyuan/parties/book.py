"""Resolving the parties of many rows at once (a batch import's chunk), as ``resolve_party`` would
resolve them one row after another, with a few statements for the whole chunk.

``PartyBook`` reads every party the rows name (by identity) and every possible same-person
candidate (same name and phone) up front, resolves each row in memory, and ``write`` then
inserts the new parties, fills the blanks of parties on file and inserts the match flags. The
rules are those of ``services.resolve_party``: matching by ID number or credit code only; a name
that differs from the one on file refuses the row; blanks are filled, nothing is overwritten; a
new party whose name and phone equal another's is created all the same and flagged (at most five
candidates, oldest first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from suyuan.common.bulk_rows import copy_new

from .models import Party, PartyMatchFlag
from .services import PartyInput, Resolution, forget_remembered, name_mismatch

FLAG_REASON = "姓名与联系电话相同，但证件号码不同或缺失"
MAX_CANDIDATES = 5
FILLABLE = ("phone", "address", "representative")


def _identity(data: PartyInput) -> str:
    # ID numbers (18 characters, digits and X) and credit codes never collide once prefixed.
    return f"i:{data.id_number}" if data.id_number else (f"c:{data.credit_code}" if data.credit_code else "")


@dataclass
class _Pending:
    """What one row would change, applied to the book only when the whole row resolves."""

    resolutions: list[Resolution] = field(default_factory=list)
    new: list[Party] = field(default_factory=list)
    fills: list[tuple[Party, dict[str, str]]] = field(default_factory=list)


class PartyBook:
    def __init__(self, inputs: Iterable[PartyInput]) -> None:
        inputs = list(inputs)
        ids = {d.id_number for d in inputs if d.id_number}
        codes = {d.credit_code for d in inputs if d.credit_code}
        self._by_identity: dict[str, Party] = {}
        # (name, phone) → parties on file or created by earlier rows, in creation order.
        self._by_name_phone: dict[tuple[str, str], list[Party]] = {}
        self._order: dict[int, tuple[int, int]] = {}  # id(party) → sort key: (0, pk) on file, (1, n) new
        self._new: list[Party] = []
        self._flags: list[PartyMatchFlag] = []
        self._filled: dict[int, tuple[Party, set[str]]] = {}
        if ids or codes:
            # The partial unique indexes need their condition repeated for SQLite to use them.
            query = Q(pk__in=[])
            if ids:
                query |= Q(id_number__in=ids) & ~Q(id_number="")
            if codes:
                query |= Q(credit_code__in=codes) & ~Q(credit_code="")
            # With the account (if any): the notices look at it for every dispute the party is on.
            for party in Party.objects.filter(query).select_related("user"):
                self._by_identity[_identity(PartyInput(kind=party.kind, name=party.name, id_number=party.id_number,
                                                       credit_code=party.credit_code))] = party
        pairs = {(d.name, d.phone) for d in inputs if d.phone}
        if pairs:
            names, phones = {n for n, _ in pairs}, {p for _, p in pairs}
            for party in Party.objects.filter(name__in=names, phone__in=phones).order_by("pk"):
                if (party.name, party.phone) in pairs:
                    self._remember(party)

    def _remember(self, party: Party) -> None:
        key = (0, party.pk) if party.pk is not None else (1, len(self._order))
        self._order.setdefault(id(party), key)
        same = self._by_name_phone.setdefault((party.name, party.phone), [])
        if party not in same:
            same.append(party)

    def _candidates(self, data: PartyInput, pending: _Pending) -> list[Party]:
        """Parties with the same name and phone that exist when this one is created: on file,
        created by earlier rows or earlier in this row, or given this phone earlier in this row."""
        if not data.phone:
            return []
        found = list(self._by_name_phone.get((data.name, data.phone), []))
        found += [p for p in pending.new if p.name == data.name and p.phone == data.phone]
        for party, fills in pending.fills:
            if party.name == data.name and fills.get("phone") == data.phone and party not in found:
                self._order.setdefault(id(party), (0, party.pk))
                found.append(party)
        found.sort(key=lambda p: self._order.get(id(p), (2, 0)))
        return found[:MAX_CANDIDATES]

    def resolve_row(self, inputs: list[PartyInput]) -> list[Resolution]:
        """Resolve one row's validated parties, in order, or raise ``InvalidInput`` as
        ``resolve_party`` would, leaving the book as it was."""
        pending = _Pending()
        for data in inputs:
            key = _identity(data)
            existing = self._by_identity.get(key) if key else None
            if existing is not None:
                if existing.name != data.name:
                    raise name_mismatch(existing)
                fills = {a: getattr(data, a) for a in FILLABLE if not getattr(existing, a) and getattr(data, a)}
                if fills:
                    pending.fills.append((existing, fills))
                pending.resolutions.append(Resolution(existing, created=False))
                continue
            party = Party(
                kind=data.kind, name=data.name, id_number=data.id_number, credit_code=data.credit_code,
                phone=data.phone, address=data.address, representative=data.representative,
            )
            flagged = self._candidates(data, pending)
            pending.new.append(party)
            self._order[id(party)] = (1, len(self._order))
            pending.resolutions.append(Resolution(party, created=True, flagged=flagged))
        self._apply(inputs, pending)
        return pending.resolutions

    def _apply(self, inputs: list[PartyInput], pending: _Pending) -> None:
        for party, fills in pending.fills:
            for attr, value in fills.items():
                setattr(party, attr, value)
            self._filled.setdefault(id(party), (party, set()))[1].update(fills)
            if "phone" in fills:
                self._remember(party)
        for data, resolution in zip(inputs, pending.resolutions, strict=True):
            if not resolution.created:
                continue
            party = resolution.party
            if key := _identity(data):
                self._by_identity[key] = party
            if party.phone:
                self._remember(party)
            self._new.append(party)
            self._flags += [
                PartyMatchFlag(party=party, candidate=candidate, reason=FLAG_REASON) for candidate in resolution.flagged
            ]

    @property
    def new_count(self) -> int:
        """How many parties ``write`` will insert (a caller reserves their keys with others)."""
        return len(self._new)

    def write(self, *, keys: list[int] | None = None) -> None:
        """Insert the new parties (``keys``: reserved by the caller, ``common.bulk_rows.reserve_keys``),
        save the filled blanks, insert the flags (caller's transaction).

        A party created by another writer since the book was read makes the INSERT fail with
        ``IntegrityError``: the caller rolls the chunk back and records its rows one by one."""
        copy_new(self._new, keys=keys)
        for party in self._new:
            # A party created just now has no account yet: say so, rather than have every reader ask.
            Party.user.related.set_cached_value(party, None)
        for party, attrs in self._filled.values():
            party.save(update_fields=sorted(attrs))
        if self._filled:
            forget_remembered({party.pk for party, _ in self._filled.values()})
        copy_new(self._flags)

