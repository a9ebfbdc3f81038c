"""R2: masking as a property. Hypothesis generates valid resident ID numbers (GB 11643 check digit),
unified social credit codes (GB 32100) and mobile numbers, 100 parties per example; each batch is
put on one dispute and every place that shows parties is rendered once for the batch:

- roles that may not see full personal data (grid worker, centre staff, leader): the list page,
  the dispute page, the list's and the workbench queue's Excel exports (read back with openpyxl),
  the API list and detail: no ID number, no credit code and no phone number appears in full;
- every log line written meanwhile, through the configured console handler and its filter, and
  a line that names every generated value on purpose (the scrubber must mask each);
- roles in ``FULL_PERSONAL_DATA_ROLES`` (the clerk, the judge): the page is masked until the
  audited reveal, which shows every value in full and writes one READ_PERSONAL_DATA audit row.

Credit codes are masked like ID numbers (issue 15): the code is public on its own, but that an
organisation is a party to a given dispute is not. PDFs and the other exports:
``test_masking_exports.py``.

``SUYUAN_MASKING_EXAMPLES`` batches (default 100 → 10,000 of each kind); the figure is printed.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from stdnum.cn import ric, uscc

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.accounts.services import issue_api_token
from suyuan.common.logging import MaskPersonalDataFilter
from suyuan.common.masking import mask_credit_code, scrub
from suyuan.disputes.choices import PartyRole
from suyuan.disputes.models import Dispute, DisputeParty
from suyuan.disputes.permissions import FULL_PERSONAL_DATA_ROLES
from suyuan.disputes.services import record_dispute
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party
from suyuan.testing.disputes import grid_input

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("SUYUAN_MASKING_EXAMPLES", "100"))
BATCH = 100
AREAS = ["640202", "640205", "640221", "640104", "110105", "310115", "440305", "510107"]
# stdnum checks the division code against its history: every code above exists from 2005 on.
BORN_FROM, BORN_TO = date(2005, 1, 1), date(2008, 12, 31)
ADDRESS = "宁夏石嘴山市大武口区长胜街道某小区1号楼"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@st.composite
def id_numbers(draw) -> str:  # type: ignore[no-untyped-def]
    area = draw(st.sampled_from(AREAS))
    born = draw(st.dates(min_value=BORN_FROM, max_value=BORN_TO))
    body = f"{area}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    number = body + ric.calc_check_digit(body + "0")
    assume(ric.is_valid(number))
    return number


@st.composite
def credit_codes(draw) -> str:  # type: ignore[no-untyped-def]
    authority = draw(st.sampled_from(["91", "92", "93", "12", "51", "52", "53"]))
    area = draw(st.sampled_from(AREAS))
    org = "".join(draw(st.lists(st.sampled_from(USCC_ALPHABET), min_size=9, max_size=9)))
    body = authority + area + org
    code = body + uscc.calc_check_digit(body)
    assume(uscc.is_valid(code))
    return code


mobiles = st.builds(lambda p, n: f"1{p}{n:09d}", st.sampled_from("3456789"), st.integers(0, 999_999_999))
batches = st.tuples(
    st.lists(id_numbers(), min_size=BATCH, max_size=BATCH, unique=True),
    st.lists(credit_codes(), min_size=BATCH, max_size=BATCH, unique=True),
    st.lists(mobiles, min_size=BATCH, max_size=BATCH, unique=True),
)


class LogTap:
    """The configured console handler's output (its filter included) while a block runs."""

    def __enter__(self) -> io.StringIO:
        self.buffer = io.StringIO()
        handlers = [h for h in logging.getLogger().handlers
                    if any(isinstance(f, MaskPersonalDataFilter) for f in h.filters)]
        assert handlers, "the console handler with the masking filter is configured"
        self.handler = handlers[0]
        self.previous = self.handler.setStream(self.buffer)  # type: ignore[attr-defined]
        return self.buffer

    def __exit__(self, *exc: object) -> None:
        self.handler.setStream(self.previous)  # type: ignore[attr-defined]


def _recorded(world) -> Dispute:  # type: ignore[no-untyped-def]
    """A dispute recorded by the grid worker through the real service, to carry the batches."""
    return record_dispute(actor=world.grid_worker, origin=Origin(via="test"),
                          data=grid_input(world.grid.code)).dispute


def _attach(dispute: Dispute, ids: list[str], codes: list[str], phones: list[str]) -> None:
    """The batch as parties of the dispute: a person per ID number, an organisation per credit code."""
    people = Party.objects.bulk_create(
        [Party(kind=PartyKind.NATURAL, name=f"当事人{i}", id_number=n, phone=p, address=ADDRESS)
         for i, (n, p) in enumerate(zip(ids, phones, strict=True))]
        + [Party(kind=PartyKind.LEGAL, name=f"某某有限公司{i}", credit_code=c, phone=p)
           for i, (c, p) in enumerate(zip(codes, phones, strict=True))]
    )
    DisputeParty.objects.bulk_create(
        [DisputeParty(dispute=dispute, party=p, role=PartyRole.APPLICANT if i % 2 else PartyRole.RESPONDENT)
         for i, p in enumerate(people)]
    )


class _Rollback(Exception):
    pass


def xlsx_text(response) -> str:  # type: ignore[no-untyped-def]
    """Every cell of a downloaded workbook, read back with openpyxl."""
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(body), read_only=True)
    return " ".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def _renders(client: Client, auth: dict[str, str], number: str) -> dict[str, str]:
    out = {
        "list page": client.get("/disputes/list/").content.decode(),
        "dispute page": client.get(f"/disputes/{number}/").content.decode(),
        "Excel export": xlsx_text(client.get("/disputes/list/export.xlsx")),
        "workbench export": xlsx_text(client.get("/disputes/queue/export.xlsx?queue=all")),
        "API list": client.get("/api/v1/disputes?limit=100", **auth).content.decode(),
        "API detail": client.get(f"/api/v1/disputes/{number}", **auth).content.decode(),
    }
    for where in ("dispute page", "API detail", "Excel export", "workbench export"):
        assert number in out[where], f"the {where} reaches the dispute"
    return out


def _leaks(text: str, values: list[str]) -> list[str]:
    return [v for v in values if v in text]


def test_generated_identities_never_appear_in_full_for_roles_that_may_not_see_them(world, report_figure):
    masked_roles = [world.grid_worker, world.centre_staff, world.leader]
    assert not {u.role for u in masked_roles} & FULL_PERSONAL_DATA_ROLES
    clients = []
    for user in masked_roles:
        client = Client()
        client.force_login(user)
        token = issue_api_token(user=user, origin=Origin(via="test"))
        clients.append((user, client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}))
    seen: dict[str, set[str]] = {"id": set(), "credit": set(), "phone": set()}
    generated = 0
    renders = 0
    turn = itertools.count()

    dispute = _recorded(world)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(batch=batches)
    def check(batch: tuple[list[str], list[str], list[str]]) -> None:
        nonlocal renders, generated
        ids, codes, phones = batch
        try:
            with LogTap() as log, transaction.atomic():
                _attach(dispute, ids, codes, phones)
                # Each batch is rendered for one of the masked roles in turn (cost: docs/reliability.md).
                user, client, auth = clients[next(turn) % len(clients)]
                pages = _renders(client, auth, dispute.number)
                for where, text in pages.items():
                    renders += 1
                    for values in (ids, codes, phones):
                        assert not _leaks(text, values), (user.role, where, _leaks(text, values)[:3])
                # Masked, not left out: the page shows each party's masked identity.
                assert all(mask_credit_code(c) in pages["dispute page"] for c in codes)
                logging.getLogger("suyuan.disputes").warning("parties: %s", " ".join(ids + codes + phones))
                raise _Rollback  # the next batch starts from the same database
        except _Rollback:
            pass
        assert "parties: " in log.getvalue(), "the tap reads the handler's output"
        for values in (ids, codes, phones):
            assert not _leaks(log.getvalue(), values), ("a log line in full", _leaks(log.getvalue(), values)[:3])
        generated += len(ids)
        seen["id"].update(ids)
        seen["credit"].update(codes)
        seen["phone"].update(phones)

    check()
    report_figure(f"R2 masking: {generated} generated values of each kind in {EXAMPLES} batches of {BATCH} "
                  f"(distinct: {len(seen['id'])} ID numbers, {len(seen['credit'])} credit codes, "
                  f"{len(seen['phone'])} mobile numbers); {renders} renders "
                  f"(list page, dispute page, list and workbench Excel exports, API list, API detail "
                  f"× {len(clients)} roles) + log lines")
    assert generated >= EXAMPLES * BATCH


@settings(max_examples=max(EXAMPLES // 10, 5), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(batch=batches)
def test_the_audited_reveal_shows_everything_to_roles_that_may(world, batch):
    ids, codes, phones = batch
    dispute = Dispute.objects.first() or _recorded(world)
    try:
        with transaction.atomic():
            _attach(dispute, ids, codes, phones)
            _reveal_checks(world, dispute, ids + codes, phones)
            raise _Rollback
    except _Rollback:
        pass


def _reveal_checks(world, dispute: Dispute, ids: list[str], phones: list[str]) -> None:  # type: ignore[no-untyped-def]
    for user in (world.clerk, world.judge):
        assert user.role in FULL_PERSONAL_DATA_ROLES
        client = Client()
        client.force_login(user)
        page = client.get(f"/disputes/{dispute.number}/").content.decode()
        assert not _leaks(page, ids) and not _leaks(page, phones), "masked until revealed"
        before = AuditEntry.objects.filter(action=AuditAction.READ_PERSONAL_DATA, target_id=dispute.number).count()
        revealed = client.post(f"/disputes/{dispute.number}/reveal/")
        assert revealed.status_code == 200
        text = revealed.content.decode()
        assert _leaks(text, ids) == ids and _leaks(text, phones) == phones
        after = AuditEntry.objects.filter(action=AuditAction.READ_PERSONAL_DATA, target_id=dispute.number)
        assert after.count() == before + 1 and after.order_by("seq").last().actor == user
    for user in (world.grid_worker, world.centre_staff, world.leader):
        client = Client()
        client.force_login(user)
        assert client.post(f"/disputes/{dispute.number}/reveal/").status_code == 403


def test_the_generators_make_valid_numbers_only():
    @settings(max_examples=200, database=None)
    @given(n=id_numbers(), c=credit_codes(), m=mobiles)
    def check(n: str, c: str, m: str) -> None:
        assert ric.is_valid(n) and ric.calc_check_digit(n[:-1] + "0") == n[-1]
        assert uscc.is_valid(c) and len(c) == 18
        assert len(m) == 11 and m[0] == "1" and m[1] in "3456789"

    check()
    # And a mistyped check digit is not valid: the generators are not vacuous.
    code = "91640202MA76543210"[:-1]
    good = code + uscc.calc_check_digit(code)
    assert uscc.is_valid(good)
    assert not uscc.is_valid(code + next(c for c in USCC_ALPHABET if c != good[-1]))
    n = "640202198503120011"
    assert ric.is_valid(n[:-1] + ric.calc_check_digit(n[:-1] + "0"))
    assert not ric.is_valid(n[:-1] + ("0" if ric.calc_check_digit(n[:-1] + "0") != "0" else "1"))


def test_the_scrubber_masks_every_generated_credit_code_in_free_text():
    """10,000 valid credit codes (GB 32100 check character), each in a sentence: masked as the
    helper masks it, nothing else of the sentence changed."""
    count = 0

    @settings(max_examples=EXAMPLES * BATCH, deadline=None, database=None)
    @given(code=credit_codes(), lower=st.booleans())
    def check(code: str, lower: bool) -> None:
        nonlocal count
        written = code.lower() if lower else code
        text = f"申请人统一社会信用代码{written}，联系电话见附件。"
        out = scrub(text)
        assert written not in out
        assert out == f"申请人统一社会信用代码{mask_credit_code(written)}，联系电话见附件。"
        count += 1

    check()
    assert count >= EXAMPLES * BATCH
