"""The bulk write path of a batch import gives the same database as recording row by row.

The same file is imported twice from the same starting state, once row by row
(``run_import(bulk=False)``: every row through ``record_dispute``) and once in bulk (the default:
``record_disputes`` per chunk), each inside a transaction rolled back afterwards; every row the
import writes or changes is compared by its natural keys (numbers, identities, sequence numbers),
not by primary keys, which PostgreSQL's sequences do not give back on rollback.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import COMMAND
from suyuan.accounts.models import AuditEntry, User
from suyuan.accounts.selectors import verify_audit_chain
from suyuan.common.models import Counter
from suyuan.disputes.importing import create_import_job, run_import
from suyuan.disputes.models import Dispute, DisputeEvent, ImportJob
from suyuan.disputes.recording_bulk import record_disputes
from suyuan.disputes.services import ClaimInput, DisputeInput, Recorded, record_dispute
from suyuan.parties import book
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party, PartyMatchFlag
from suyuan.parties.services import PartyInput
from suyuan.testing.factories import make_id_number
from suyuan.testing.imports import bank_row, csv_bytes, make_bank

pytestmark = pytest.mark.django_db
HUINONG_TOWNSHIP = "640205001000"


def _identity(party: Party | None) -> str:
    if party is None:
        return ""
    return party.id_number or party.credit_code or f"{party.name}/{party.phone}/{party.address}"


def snapshot() -> dict[str, Any]:
    """Everything an import writes or changes, keyed by what does not depend on primary keys.

    The rows the sinks of higher apps write (notices, governance) are read through the app
    registry: this app may not import them (the layering rule)."""
    Notification = apps.get_model("notices", "Notification")
    EventCount = apps.get_model("governance", "EventCount")
    StageSpell = apps.get_model("governance", "StageSpell")
    events = {e.pk: f"{e.dispute.number}#{e.seq}" for e in DisputeEvent.objects.select_related("dispute")}
    parties = {p.pk: _identity(p) for p in Party.objects.all()}
    users = dict(User.objects.values_list("pk", "username"))

    def dedupe(key: str) -> str:
        event_pk, recipient, channel = key.split(":")
        who = users[int(recipient[1:])] if recipient[0] == "u" else parties[int(recipient[1:])]
        return f"{events[int(event_pk)]}:{who}:{channel}"

    disputes = []
    for d in Dispute.objects.select_related("region", "duplicate_of", "recorded_by").order_by("number"):
        disputes.append((
            d.number, d.summary, d.category, d.description, d.amount, d.occurred_on, d.channel, d.region.code,
            d.court_id, d.handling_organisation_id, d.mediator_id, d.status, d.source_ref, d.version,
            d.recorded_by.username, d.recorded_by_organisation_id, d.authority_kind,
            d.duplicate_of.number if d.duplicate_of else "", d.import_job is not None,
            [(r.role, r.position, parties[r.party_id]) for r in d.dispute_parties.order_by("role", "position")],
            [(c.position, c.text, c.amount) for c in d.claims.order_by("position")],
            [(e.seq, e.kind, e.title, e.actor_id, e.actor_label, e.actor_role, e.actor_organisation, e.via, e.ip,
              e.summary, e.data) for e in d.events.order_by("seq")],
        ))
    audit = [
        (a.seq, a.action, a.target_type, a.target_id if a.action != AuditAction.IMPORT else "job", a.actor_label,
         {k: v for k, v in a.detail.items() if k != "sha256"})
        for a in AuditEntry.objects.order_by("seq")
    ]
    return {
        "disputes": disputes,
        "parties": sorted(
            (p.kind, p.name, p.id_number, p.credit_code, p.phone, p.address, p.representative)
            for p in Party.objects.all()
        ),
        "flags": sorted(
            (parties[f.party_id], parties[f.candidate_id], f.reason, f.status) for f in PartyMatchFlag.objects.all()
        ),
        "notifications": sorted(
            (events[n.event_id], n.dispute.number, users.get(n.recipient_user_id or 0, ""),
             parties.get(n.recipient_party_id or 0, ""), n.channel, n.address, n.template_key, n.title, n.body,
             n.link, n.status, n.attempts, dedupe(n.dedupe_key))
            for n in Notification.objects.select_related("dispute")
        ),
        "event_counts": sorted(
            (c.month, c.kind, c.source, c.county, c.township, c.court_id, c.category, c.channel, c.grid_worker_id, c.n)
            for c in EventCount.objects.all()
        ),
        "spells": sorted(
            (Dispute.objects.get(pk=s.dispute_id).number, s.stage, s.left_at is None, s.county, s.township,
             s.court_id, s.category, s.channel)
            for s in StageSpell.objects.all()
        ),
        "counters": sorted(Counter.objects.values_list("name", "value")),
        "audit": audit,
        "audit_chain_ok": verify_audit_chain().ok,
    }


def import_both_ways(actor, content: bytes, **kwargs) -> tuple[dict[str, Any], dict[str, Any], list[ImportJob]]:
    """Import ``content`` row by row, then in bulk, each from the same state (rolled back after)."""
    snaps, jobs = [], []
    for bulk in (False, True):
        with transaction.atomic():
            job = create_import_job(actor=actor, name="claims.csv", content=content, store=False)
            job = run_import(actor=actor, origin=COMMAND, job=job, content=content, bulk=bulk, **kwargs)
            snaps.append(snapshot())
            jobs.append(job)
            transaction.set_rollback(True)
    return snaps[0], snaps[1], jobs


def job_result(job: ImportJob) -> tuple[Any, ...]:
    return (job.status, job.total, job.processed, job.created, job.duplicates, job.rejected, job.errors, job.message)


@pytest.fixture
def bank(world):
    return make_bank()


@pytest.fixture
def tricky_file(world, bank) -> bytes:
    """Rows that take every branch of the intake, spread over several chunks (``every=4``)."""
    # On file before the import: a debtor without phone, a debtor whose name differs from a row's,
    # a person whose name and phone a new debtor shares, and an earlier dispute of the bank
    # against a known debtor.
    no_phone = Party.objects.create(kind=PartyKind.NATURAL, name="无电话", id_number=make_id_number(birth="19910101"))
    other_name = Party.objects.create(kind=PartyKind.NATURAL, name="原名", id_number=make_id_number(birth="19910201"))
    Party.objects.create(kind=PartyKind.NATURAL, name="同名同号", id_number=make_id_number(birth="19910301"),
                         phone="13911112222")
    earlier = bank_row(bank, 900, 被申请人名称="老债务人", 被申请人证件号码=make_id_number(birth="19910401"))
    first = create_import_job(actor=bank, name="earlier.csv", content=csv_bytes([earlier]), store=False)
    run_import(actor=bank, origin=COMMAND, job=first, content=csv_bytes([earlier]))
    repeat_debtor = make_id_number(birth="19910501")
    no_ref = bank_row(bank, 14, 机构内部编号="", 被申请人名称="无编号")
    rows: list[dict[str, str] | list[str]] = [
        bank_row(bank, 1),
        bank_row(bank, 2, 标的额="-1"),  # rejected; its reference stays free
        bank_row(bank, 3, 被申请人名称="陈当事", 被申请人证件号码=world.party_user.party.id_number,
                 被申请人电话=world.party_user.party.phone),  # a debtor with an account: inbox notices
        bank_row(bank, 4, 被申请人名称="不是原名", 被申请人证件号码=other_name.id_number),  # name differs
        bank_row(bank, 5, 被申请人名称="无电话", 被申请人证件号码=no_phone.id_number,
                 被申请人电话="13922223333"),  # fills the blank phone
        bank_row(bank, 6, 被申请人名称="无电话新", 被申请人证件号码=make_id_number(birth="19910601"),
                 被申请人电话="13922223333"),  # a new debtor: not the same name, no flag
        bank_row(bank, 2),  # the reference of the rejected row, now good
        bank_row(bank, 1, 标的额="-5"),  # the first row's reference again: a duplicate, not looked at
        bank_row(bank, 8, 被申请人名称="同名同号", 被申请人证件号码=make_id_number(birth="19910701"),
                 被申请人电话="13911112222"),  # same name and phone as a party on file: flagged
        bank_row(bank, 9, 被申请人名称="同名同号", 被申请人证件号码=make_id_number(birth="19910801"),
                 被申请人电话="13911112222"),  # flagged against both
        bank_row(bank, 10, 被申请人名称="重复人", 被申请人证件号码=repeat_debtor),
        bank_row(bank, 11, 被申请人名称="重复人", 被申请人证件号码=repeat_debtor),  # same parties: suspected
        bank_row(bank, 12, 被申请人名称="重复人", 被申请人证件号码=repeat_debtor, 标的额="1"),  # other amount
        bank_row(bank, 13, 被申请人名称="老债务人", 被申请人证件号码=earlier["被申请人证件号码"]),  # as on file
        no_ref,  # reference from the row's digest
        dict(no_ref),  # the same digest: a duplicate
        bank_row(bank, 16, 发生地区划代码=HUINONG_TOWNSHIP, 标的额=""),  # another court, no amount
        ["只有一格"],  # a short line: rejected as a whole
        bank_row(bank, 17, 被申请人证件号码="640202199001011234"),  # bad check digit
        bank_row(bank, 18, 被申请人名称="重复人", 被申请人证件号码=repeat_debtor),  # suspected, later chunk
        bank_row(bank, 19, 被申请人名称="无电话", 被申请人证件号码=no_phone.id_number, 被申请人电话="13922223333"),
    ]
    return csv_bytes(rows)


def test_a_tricky_file_gives_the_same_database_row_by_row_and_in_bulk(world, bank, tricky_file):
    by_row, in_bulk, jobs = import_both_ways(bank, tricky_file, every=4)
    assert job_result(jobs[0]) == job_result(jobs[1])
    # The file did take the branches it was built for.
    assert (jobs[1].created, jobs[1].duplicates, jobs[1].rejected) == (15, 2, 4)
    assert by_row["flags"] and any(d[17] for d in by_row["disputes"])
    assert any(n[2] == world.party_user.username for n in by_row["notifications"])
    for key in by_row:
        assert in_bulk[key] == by_row[key], key
    assert in_bulk["audit_chain_ok"]


def test_the_same_with_chunks_of_a_hundred_rows(bank, tricky_file):
    by_row, in_bulk, jobs = import_both_ways(bank, tricky_file)
    assert job_result(jobs[0]) == job_result(jobs[1])
    assert in_bulk == by_row


def test_a_clerk_importing_for_a_bank_gives_the_same_database_both_ways(world, bank):
    rows = [bank_row(bank, n) for n in range(1, 6)] + [bank_row(bank, 6, 发生地区划代码=HUINONG_TOWNSHIP)]
    by_row, in_bulk, jobs = import_both_ways(world.clerk, csv_bytes(rows), every=3)
    assert (jobs[1].created, jobs[1].rejected) == (5, 1)
    assert in_bulk == by_row


def test_a_chunk_that_meets_a_concurrent_writer_is_rolled_back_and_recorded_row_by_row(bank, monkeypatch):
    """Another writer creates one of the chunk's new parties between the look-up and the INSERT:
    the chunk's savepoint is rolled back whole and its rows go in one by one."""
    rows = [bank_row(bank, n, 被申请人证件号码=make_id_number(birth="19920101")) for n in range(1, 5)]
    content = csv_bytes(rows)
    with transaction.atomic():
        job = create_import_job(actor=bank, name="claims.csv", content=content, store=False)
        run_import(actor=bank, origin=COMMAND, job=job, content=content, bulk=False)
        expected = snapshot()
        transaction.set_rollback(True)

    real_write = book.PartyBook.write
    raced = []

    def write_after_a_rival(self: book.PartyBook, **kwargs: Any) -> None:
        rival = self._new[0]
        Party.objects.create(kind=rival.kind, name=rival.name, id_number=rival.id_number, phone=rival.phone)
        raced.append(rival.id_number)
        real_write(self, **kwargs)

    monkeypatch.setattr(book.PartyBook, "write", write_after_a_rival)
    with transaction.atomic():
        job = create_import_job(actor=bank, name="claims.csv", content=content, store=False)
        job = run_import(actor=bank, origin=COMMAND, job=job, content=content)
        # The rival's row was in the rolled-back savepoint too; the rows then went in one by one.
        assert raced and job.created == 4
        assert snapshot() == expected
        transaction.set_rollback(True)


def test_a_failing_insert_leaves_nothing_of_the_chunk(bank, monkeypatch):
    from suyuan.disputes import recording_bulk

    def fail(*args: object, **kwargs: object) -> None:
        raise IntegrityError("simulated")

    before = snapshot()
    monkeypatch.setattr(recording_bulk, "append_events", fail)
    with pytest.raises(IntegrityError), transaction.atomic():
        record_disputes(actor=bank, origin=COMMAND, inputs=[_input(bank, 1), _input(bank, 2)], audit=True)
    assert snapshot() == before


def _input(bank, n: int, **overrides: Any) -> DisputeInput:
    values: dict[str, Any] = {
        "channel": "batch",
        "category": "finance",
        "description": "被申请人申领申请人信用卡后透支消费，逾期未还。",
        "region_code": "640202001000",
        "parties": [
            ("applicant", PartyInput(kind=PartyKind.LEGAL, name=bank.party.name, credit_code=bank.party.credit_code,
                                     phone="0952-2012345")),
            ("respondent", PartyInput(kind=PartyKind.NATURAL, name=f"持卡人{n}", id_number=make_id_number(),
                                      phone="13900000001")),
        ],
        "claims": [ClaimInput("偿还本金", Decimal("100.00")), ClaimInput("支付利息")],
        "amount": "100",
        "source_ref": f"ref-{n}",
    }
    values.update(overrides)
    return DisputeInput(**values)


def test_record_disputes_with_audit_writes_the_chain_as_record_dispute_does(world, bank):
    inputs = [_input(bank, n) for n in range(1, 4)]
    inputs.append(_input(bank, 4, description="短"))  # refused with the same reasons
    inputs.append(_input(bank, 5, source_ref="ref-1"))  # the reference of the first: a duplicate
    snaps, outcomes = [], []
    for bulk in (False, True):
        with transaction.atomic():
            if bulk:
                results = record_disputes(actor=world.clerk, origin=COMMAND, inputs=inputs, audit=True)
            else:
                results = []
                for data in inputs:
                    try:
                        with transaction.atomic():
                            results.append(record_dispute(actor=world.clerk, origin=COMMAND, data=data))
                    except Exception as exc:  # the same refusals are compared below
                        results.append(exc)  # type: ignore[arg-type]
            outcomes.append([
                (r.dispute.number, r.created) if isinstance(r, Recorded) else (type(r).__name__, r.errors)  # type: ignore[attr-defined]
                for r in results
            ])
            snaps.append(snapshot())
            transaction.set_rollback(True)
    assert outcomes[0] == outcomes[1]
    assert [o[1] for o in outcomes[1][:3]] == [True, True, True]
    assert outcomes[1][4] == (outcomes[1][0][0], False)
    assert snaps[1] == snaps[0]
    assert [a[1] for a in snaps[1]["audit"]].count(AuditAction.CREATE) == 3
    assert snaps[1]["audit_chain_ok"]
