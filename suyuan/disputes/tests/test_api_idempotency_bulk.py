"""R4: a thousand API writes, each replayed three times with its Idempotency-Key, record a thousand disputes.

Runs on both engines. The replays are interleaved with fresh requests (a client retrying late,
after others' writes) so a replay cannot be answered from anything but the stored record.
"""

from __future__ import annotations

import random

from suyuan.common.idempotency import REUSED_KEY_MESSAGE
from suyuan.common.models import IdempotencyRecord
from suyuan.disputes.choices import EventKind
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.disputes.tests.test_api import bearer, body_of, post
from suyuan.testing.disputes import grid_input

WRITES = 1000
REPLAYS = 3


def test_a_thousand_writes_replayed_three_times_record_a_thousand_disputes(world, client):
    auth = bearer(world.grid_worker)
    bodies = [
        body_of(grid_input(world.grid.code, amount=str(1000 + i)))
        for i in range(WRITES)
    ]
    sends = [i for i in range(WRITES) for _ in range(1 + REPLAYS)]
    random.Random(15).shuffle(sends)
    first: dict[int, dict[str, object]] = {}
    replayed = 0
    for i in sends:
        response = post(client, auth, bodies[i], HTTP_IDEMPOTENCY_KEY=f"bulk-{i:04d}")
        assert response.status_code == 201, response.content
        if i in first:
            assert response["Idempotent-Replayed"] == "true"
            assert response.json() == first[i]
            replayed += 1
        else:
            assert "Idempotent-Replayed" not in response
            first[i] = response.json()
    print(f"\nR4: {len(sends)} POSTs ({WRITES} keys x {1 + REPLAYS}), {replayed} answered from the stored record")  # noqa: T201 - the figure R4 asks for
    assert replayed == WRITES * REPLAYS
    assert Dispute.objects.count() == WRITES
    assert len({out["number"] for out in first.values()}) == WRITES
    assert DisputeEvent.objects.filter(kind=EventKind.RECORDED).count() == WRITES
    assert IdempotencyRecord.objects.filter(user=world.grid_worker).count() == WRITES
    # Each stored answer is the dispute that was recorded for its key, amount and all.
    for i in (0, WRITES // 2, WRITES - 1):
        number = first[i]["number"]
        assert Dispute.objects.get(number=number).amount == 1000 + i


def test_a_key_reused_with_another_body_is_refused_with_422_in_chinese(world, client):
    auth = bearer(world.grid_worker)
    body = body_of(grid_input(world.grid.code))
    assert post(client, auth, body, HTTP_IDEMPOTENCY_KEY="same-key").status_code == 201
    for changed in (
        {**body, "amount": "99999"},
        {**body, "description": body["description"] + "补充。"},
        {**body, "parties": body["parties"][::-1]},
    ):
        response = post(client, auth, changed, HTTP_IDEMPOTENCY_KEY="same-key")
        assert response.status_code == 422
        assert response.json() == {"detail": REUSED_KEY_MESSAGE, "errors": {"Idempotency-Key": [REUSED_KEY_MESSAGE]}}
    assert "幂等键" in REUSED_KEY_MESSAGE
    assert Dispute.objects.count() == 1
    # The original body still replays fine after the refusals.
    again = post(client, auth, body, HTTP_IDEMPOTENCY_KEY="same-key")
    assert (again.status_code, again["Idempotent-Replayed"]) == (201, "true")
