"""Fixtures for the integrity tests: a private index directory and disputes with chosen parties."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from suyuan.accounts.context import Origin
from suyuan.disputes.choices import AuthorityKind, Channel, PartyRole
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import ClaimInput, DisputeInput, record_dispute
from suyuan.parties.choices import PartyKind
from suyuan.parties.services import PartyInput
from suyuan.testing.factories import make_credit_code, make_id_number

ORIGIN = Origin(via="web", ip="127.0.0.1")


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.SUYUAN_INTEGRITY_INDEX_DIR = str(tmp_path / "integrity-index")
    return tmp_path / "integrity-index"


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str = "13900000001"
    address: str = ""

    def input(self) -> PartyInput:
        return PartyInput(kind=PartyKind.NATURAL, name=self.name, id_number=self.id_number, phone=self.phone,
                          address=self.address)


@dataclass(frozen=True)
class Company:
    name: str
    credit_code: str
    representative: str = "周法人"

    def input(self) -> PartyInput:
        return PartyInput(kind=PartyKind.LEGAL, name=self.name, credit_code=self.credit_code,
                          representative=self.representative, phone="09522000000")


def person(name: str, phone: str = "13900000001", address: str = "") -> Person:
    return Person(name, make_id_number(), phone, address)


def company(name: str) -> Company:
    return Company(name, make_credit_code())


def record(  # type: ignore[no-untyped-def]
    world, applicant, respondent, *, category: str = "debt", description: str,
    claims: list[tuple[str, str | None]], amount: str | None = None,
) -> Dispute:
    data = DisputeInput(
        channel=Channel.GRID_WORKER, category=category, description=description, region_code=world.grid.code,
        parties=[(PartyRole.APPLICANT, applicant.input()), (PartyRole.RESPONDENT, respondent.input())],
        claims=[ClaimInput(text, a) for text, a in claims], amount=amount,
        authority_kind=AuthorityKind.WRITTEN, authority_note="当事人签字授权",
    )
    return record_dispute(actor=world.grid_worker, origin=ORIGIN, data=data).dispute
