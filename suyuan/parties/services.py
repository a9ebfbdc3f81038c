"""Writes of the parties app: resolving input to one identity per real party."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import astuple, dataclass, field

from django.db import IntegrityError, transaction

from suyuan.common.errors import InvalidInput
from suyuan.common.masking import mask_name

from .choices import PartyKind
from .models import Party, PartyMatchFlag
from .validation import clean_credit_code, clean_id_number, clean_phone


@dataclass
class PartyInput:
    """A party as typed at the boundary (form, API, import row), before validation."""

    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""
    phone: str = ""
    address: str = ""
    representative: str = ""

    def cleaned(self, *, prefix: str = "", phone_required: bool = False) -> PartyInput:
        """Validate every field and return a normalised copy; raise ``InvalidInput`` listing all errors."""
        errors: dict[str, list[str]] = {}
        kind = self.kind if self.kind in PartyKind.values else ""
        if not kind:
            errors[f"{prefix}kind"] = ["当事人类型无效（应为自然人、法人或非法人组织）。"]
        name = self.name.strip()
        if not name:
            errors[f"{prefix}name"] = ["请填写姓名或名称。"]
        elif len(name) > 100:
            errors[f"{prefix}name"] = ["姓名或名称过长。"]
        id_number, credit_code = self._clean_identity(kind, prefix, errors)
        phone = ""
        if self.phone.strip() or phone_required:
            try:
                phone = clean_phone(self.phone)
            except ValueError as exc:
                errors[f"{prefix}phone"] = [str(exc)]
        if len(self.address) > 200:
            errors[f"{prefix}address"] = ["地址过长。"]
        if errors:
            raise InvalidInput("当事人信息有误，请修改后重新提交。", errors=errors)
        return PartyInput(
            kind=kind,
            name=name,
            id_number=id_number,
            credit_code=credit_code,
            phone=phone,
            address=self.address.strip(),
            representative=self.representative.strip(),
        )

    def _clean_identity(self, kind: str, prefix: str, errors: dict[str, list[str]]) -> tuple[str, str]:
        id_number = credit_code = ""
        if self.id_number.strip():
            if kind and kind != PartyKind.NATURAL:
                errors[f"{prefix}id_number"] = ["法人或非法人组织请填写统一社会信用代码。"]
            else:
                try:
                    id_number = clean_id_number(self.id_number)
                except ValueError as exc:
                    errors[f"{prefix}id_number"] = [str(exc)]
        if self.credit_code.strip():
            if kind == PartyKind.NATURAL:
                errors[f"{prefix}credit_code"] = ["自然人请填写公民身份号码。"]
            else:
                try:
                    credit_code = clean_credit_code(self.credit_code)
                except ValueError as exc:
                    errors[f"{prefix}credit_code"] = [str(exc)]
        return id_number, credit_code


@dataclass
class Resolution:
    party: Party
    created: bool
    flagged: list[Party] = field(default_factory=list)


# Parties on file that an input left unchanged, keyed by the whole cleaned input; set only while a
# batch job runs (``remembered_parties``).
_ON_FILE: ContextVar[dict[tuple[str, ...], Party] | None] = ContextVar("suyuan_parties_on_file", default=None)


@contextmanager
def remembered_parties() -> Iterator[None]:
    """For the duration of one batch job: the same party typed the same way on every row (a bank
    filing its claims) is looked up once. Only parties that were already on file and that the input
    did not change are remembered, so a row rolled back later never leaves a stale party behind,
    and a repeated input resolves to exactly what a fresh look-up would give."""
    token = _ON_FILE.set({})
    try:
        yield
    finally:
        _ON_FILE.reset(token)


def forget_remembered(pks: set[int]) -> None:
    """Drop the remembered parties among ``pks`` (a bulk write has just filled their blanks)."""
    on_file = _ON_FILE.get()
    if on_file is not None:
        for key in [k for k, party in on_file.items() if party.pk in pks]:
            del on_file[key]


def name_mismatch(existing: Party) -> InvalidInput:
    return InvalidInput(
        f"证件号码已登记为其他姓名或名称（{mask_name(existing.name)}），请核对后重新提交。",
        errors={"id_number": ["证件号码与姓名不一致。"]},
    )


def resolve_party(*, data: PartyInput) -> Resolution:
    """Find the one identity of a validated party, or create it.

    Matching is by ID number or credit code only. A new party whose name and phone equal an
    existing party's is created all the same and flagged for a clerk: never merged silently.
    """
    identity = {"id_number": data.id_number} if data.id_number else (
        {"credit_code": data.credit_code} if data.credit_code else None
    )
    if identity is not None:
        on_file = _ON_FILE.get()
        key = astuple(data)
        if on_file is not None and key in on_file:
            return Resolution(on_file[key], created=False)
        # The unique indexes on the identities are partial (blank is not unique); repeating the
        # condition lets SQLite use them instead of scanning every party.
        existing = Party.objects.filter(**identity).exclude(**dict.fromkeys(identity, "")).first()
        if existing is not None:
            party, changed = _reconcile(existing, data)
            if on_file is not None and not changed:
                # Its account too (if any), which the notices look at for every dispute it is on.
                getattr(party, "user", None)
                on_file[key] = party
            return Resolution(party, created=False)
    try:
        with transaction.atomic():
            party = Party.objects.create(
                kind=data.kind,
                name=data.name,
                id_number=data.id_number,
                credit_code=data.credit_code,
                phone=data.phone,
                address=data.address,
                representative=data.representative,
            )
    except IntegrityError:
        # Another request created the same identity a moment ago: use theirs.
        assert identity is not None
        theirs = Party.objects.exclude(**dict.fromkeys(identity, "")).get(**identity)
        return Resolution(_reconcile(theirs, data)[0], created=False)
    # A party created just now has no account yet: say so, rather than have every reader ask.
    Party.user.related.set_cached_value(party, None)
    flagged: list[Party] = []
    if data.phone:
        # Oldest first (as ``book.PartyBook`` picks them for a batch chunk), at most five.
        for candidate in Party.objects.filter(name=data.name, phone=data.phone).exclude(pk=party.pk).order_by("pk")[:5]:
            PartyMatchFlag.objects.get_or_create(
                party=party, candidate=candidate, defaults={"reason": "姓名与联系电话相同，但证件号码不同或缺失"}
            )
            flagged.append(candidate)
    return Resolution(party, created=True, flagged=flagged)


def _reconcile(existing: Party, data: PartyInput) -> tuple[Party, bool]:
    """Same identity number: the name must agree; blanks are filled, nothing is overwritten.

    Returns the party and whether a blank was filled."""
    if existing.name != data.name:
        raise name_mismatch(existing)
    changed = []
    for attr in ("phone", "address", "representative"):
        if not getattr(existing, attr) and getattr(data, attr):
            setattr(existing, attr, getattr(data, attr))
            changed.append(attr)
    if changed:
        existing.save(update_fields=changed)
    return existing, bool(changed)
