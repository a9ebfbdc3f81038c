"""``common.bulk_rows.copy_new`` writes what ``bulk_create`` writes (by COPY on PostgreSQL); ``new_instance``
builds what ``Model.__init__`` builds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from suyuan.accounts.context import Origin
from suyuan.common.bulk_rows import COPY_MIN_ROWS, copy_new, copy_values, new_instance
from suyuan.disputes.choices import EventKind
from suyuan.disputes.events import new_event
from suyuan.disputes.models import Claim, Dispute, DisputeEvent
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input

pytestmark = pytest.mark.django_db
WEB = Origin(via="web", ip="127.0.0.1")
N = COPY_MIN_ROWS + 2


def _dispute(world) -> Dispute:  # type: ignore[no-untyped-def]
    return record_dispute(actor=world.grid_worker, origin=WEB, data=grid_input(world.grid.code)).dispute


def _claims(dispute: Dispute, start: int) -> list[Claim]:
    return [Claim(dispute=dispute, position=start + i, text=f"请求{i}：偿还借款“本金”\t及利息\n第二行\\",
                  amount=None if i % 3 == 0 else Decimal(f"{i}.05")) for i in range(N)]


def _events(dispute: Dispute, world, start: int) -> list[DisputeEvent]:  # type: ignore[no-untyped-def]
    return [new_event(dispute=dispute, seq=start + i, kind=EventKind.DETAILS_UPDATED if i % 2 else "integrity.note",
                      actor=world.grid_worker if i % 2 else None, origin=WEB, summary=f"第 {i} 次",
                      data={"n": i, "text": "引号\"与反斜杠\\", "list": [1, None, True], "nested": {"空": ""}})
            for i in range(N)]


def _stored(model, pks):  # type: ignore[no-untyped-def]
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return [tuple(row) for row in model.objects.filter(pk__in=pks).order_by("pk").values_list(*fields)]


def test_the_same_rows_as_bulk_create_with_keys_in_order(world):
    dispute = _dispute(world)
    copied = copy_new(_claims(dispute, 100))
    created = Claim.objects.bulk_create(_claims(dispute, 200))
    assert all(c.pk is not None and not c._state.adding for c in copied)
    assert [c.pk for c in copied] == sorted(c.pk for c in copied)
    assert [(c.position, c.pk) for c in copied] == list(
        Claim.objects.filter(pk__in=[c.pk for c in copied]).order_by("pk").values_list("position", "pk"))

    def without_position(rows):  # type: ignore[no-untyped-def]
        return [row[:1] + row[2:] for row in rows]

    assert without_position(_stored(Claim, [c.pk for c in copied])) == without_position(
        _stored(Claim, [c.pk for c in created]))
    events = copy_new(_events(dispute, world, 10))
    again = DisputeEvent.objects.bulk_create(_events(dispute, world, 100))
    by_copy = _stored(DisputeEvent, [e.pk for e in events])
    by_orm = _stored(DisputeEvent, [e.pk for e in again])
    seq = [f.attname for f in DisputeEvent._meta.concrete_fields if f.attname != "id"].index("seq")
    at = seq + 3
    assert [r[:seq] + r[seq + 1:at] + r[at + 1:] for r in by_copy] == [
        r[:seq] + r[seq + 1:at] + r[at + 1:] for r in by_orm]
    assert DisputeEvent.objects.get(pk=events[1].pk).data["nested"] == {"空": ""}


def test_auto_now_fields_are_set_as_on_insert(world):
    dispute = _dispute(world)
    copies = []
    for i in range(N):
        copy = Dispute.objects.get(pk=dispute.pk)
        copy.pk = None
        copy._state.adding = True
        copy.number, copy.source_ref, copy.created_at, copy.updated_at = f"SY-2099-{i:06d}", f"t:{i}", None, None
        copies.append(copy)
    copy_new(copies)
    for copy in copies:
        stored = Dispute.objects.get(pk=copy.pk)
        assert stored.created_at is not None and stored.created_at == copy.created_at
        assert stored.number == copy.number and stored.category == dispute.category


def test_a_unique_index_refuses_the_copy_and_nothing_of_it_stays(world):
    dispute = _dispute(world)
    rows = _claims(dispute, 300)
    rows[-1].position = rows[0].position  # (dispute, position) is unique
    before = Claim.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_new(rows)
    assert Claim.objects.count() == before


def test_fewer_rows_than_worth_copying_go_by_bulk_create(world):
    dispute = _dispute(world)
    rows = _claims(dispute, 400)[: COPY_MIN_ROWS - 1]
    copy_new(rows)
    assert all(r.pk is not None for r in rows)
    assert Claim.objects.filter(dispute=dispute, position__gte=400).count() == len(rows)


def test_values_without_instances_are_the_same_rows_with_the_defaults(world):
    dispute = _dispute(world)
    values = [{"dispute_id": c.dispute_id, "position": c.position, "text": c.text, "amount": c.amount}
              for c in _claims(dispute, 500)]
    assert copy_values(Claim, values) == N
    created = Claim.objects.bulk_create(_claims(dispute, 600))
    copied = list(Claim.objects.filter(dispute=dispute, position__gte=500, position__lt=600).order_by("pk"))
    assert [c.position for c in copied] == list(range(500, 500 + N))
    assert [(c.text, c.amount) for c in copied] == [(c.text, c.amount) for c in created]
    # Fields left out take their defaults (a choice's default, blank text, the time of the call).
    events = [{"dispute_id": dispute.pk, "seq": 700 + i, "kind": "integrity.note", "at": dispute.created_at}
              for i in range(N)]
    copy_values(DisputeEvent, events)
    stored = DisputeEvent.objects.filter(dispute=dispute, seq__gte=700)
    assert stored.count() == N
    assert [(e.title, e.actor_id, e.summary, e.data) for e in stored] == [("", None, "", {})] * N
    with pytest.raises(TypeError):
        copy_values(Claim, [{"dispute_id": dispute.pk, "position": 900 + i, "nonsense": 1} for i in range(N)])


def _state(obj):  # type: ignore[no-untyped-def]
    attrs = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    return attrs, dict(obj._state.fields_cache), obj._state.adding, obj._state.db


def test_an_instance_built_without_init_is_what_init_builds(world):
    dispute = _dispute(world)
    at = dispute.created_at
    values = {"seq": 5, "kind": "integrity.note", "at": at, "actor_label": "甲", "via": "web", "summary": "摘要"}
    built = new_instance(DisputeEvent, {**values, "data": {"n": 1}}, {"dispute": dispute, "actor": world.grid_worker})
    init = DisputeEvent(dispute=dispute, actor=world.grid_worker, data={"n": 1}, **values)
    assert _state(built) == _state(init)
    # A callable default (the event's data: dict) is called per instance, as __init__ calls it.
    one, two = (new_instance(DisputeEvent, values, {"dispute": dispute, "actor": None}) for _ in range(2))
    assert one.data == {} and one.data is not two.data and _state(one) == _state(
        DisputeEvent(dispute=dispute, actor=None, **values))
    # Defaults of the fields left out (status, version, the optional foreign keys) and a related None.
    fields = {"number": "SY-2099-000001", "summary": "甲与乙", "category": dispute.category, "description": "事实",
              "channel": dispute.channel}
    related = {"recorded_by": world.grid_worker, "region": dispute.region, "court": dispute.court, "mediator": None}
    assert _state(new_instance(Dispute, fields, related)) == _state(Dispute(**fields, **related))


def test_party_rows_kept_on_a_dispute_read_as_its_related_rows(world):
    from django.test.utils import CaptureQueriesContext

    from suyuan.disputes.models import DisputeParty
    from suyuan.disputes.recording import _keep_parties

    dispute, other = _dispute(world), _dispute(world)
    rows = list(DisputeParty.objects.filter(dispute=dispute).select_related("party__user"))
    _keep_parties(dispute, rows[::-1])
    with CaptureQueriesContext(connection) as queries:
        kept = list(dispute.dispute_parties.all())
    assert not queries and kept == sorted(rows, key=lambda row: (row.role, row.position))
    # A further filter reads the database, still within the dispute's rows.
    assert set(dispute.dispute_parties.filter(position=1)) == {row for row in rows if row.position == 1}
    assert dispute.dispute_parties.count() == len(rows) < DisputeParty.objects.count()
    assert other.pk != dispute.pk


def test_keys_reserved_together_are_each_models_own_in_order(world):
    from suyuan.common.bulk_rows import reserve_keys

    dispute = _dispute(world)
    claims, few = _claims(dispute, 800), _claims(dispute, 900)[: COPY_MIN_ROWS - 1]
    events = _events(dispute, world, 800)
    claim_keys, few_keys, event_keys = reserve_keys([(Claim, len(claims)), (Claim, len(few)), (DisputeEvent, N)])
    if connection.vendor != "postgresql":
        assert claim_keys is None and few_keys is None and event_keys is None
        return
    assert few_keys is None  # too few to copy: bulk_create's keys
    assert claim_keys == sorted(claim_keys) and len(set(claim_keys)) == N
    assert event_keys is not None and len(event_keys) == N
    copy_new(claims, keys=claim_keys)
    copy_new(events, keys=event_keys)
    copy_new(few)
    assert [c.pk for c in claims] == claim_keys and [e.pk for e in events] == event_keys
    assert list(Claim.objects.filter(pk__in=claim_keys).order_by("pk").values_list("position", flat=True)) == [
        c.position for c in claims]
    assert min(c.pk for c in few) > max(claim_keys)
