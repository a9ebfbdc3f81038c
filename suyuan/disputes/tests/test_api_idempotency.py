"""``Idempotency-Key`` on API writes: a retry never records a dispute twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from suyuan.common.idempotency import REUSED_KEY_MESSAGE
from suyuan.common.models import IdempotencyRecord
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.disputes.tests.test_api import bearer, body_of, post
from suyuan.testing.disputes import grid_input


def test_a_replay_returns_the_first_answer_without_recording_again(world, client):
    auth = bearer(world.grid_worker)
    body = body_of(grid_input(world.grid.code))
    first = post(client, auth, body, HTTP_IDEMPOTENCY_KEY="retry-0001")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    again = post(client, auth, body, HTTP_IDEMPOTENCY_KEY="retry-0001")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Dispute.objects.count() == 1
    assert DisputeEvent.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.user, record.key, record.status_code) == (world.grid_worker, "retry-0001", 201)


def test_the_same_key_with_another_body_is_refused(world, client):
    auth = bearer(world.grid_worker)
    body = body_of(grid_input(world.grid.code))
    assert post(client, auth, body, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 201
    changed = {**body, "amount": "13000"}
    response = post(client, auth, changed, HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 422
    assert response.json()["detail"] == REUSED_KEY_MESSAGE
    assert response.json()["errors"] == {"Idempotency-Key": [REUSED_KEY_MESSAGE]}
    assert Dispute.objects.count() == 1


def test_without_a_key_every_request_is_new(world, client):
    auth = bearer(world.grid_worker)
    body = body_of(grid_input(world.grid.code))
    numbers = {post(client, auth, body).json()["number"] for _ in range(2)}
    assert len(numbers) == 2
    assert Dispute.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_keys_belong_to_one_user(world, client):
    post(client, bearer(world.grid_worker), body_of(grid_input(world.grid.code)), HTTP_IDEMPOTENCY_KEY="shared")
    response = post(
        client, bearer(world.other_grid_worker), body_of(grid_input(world.other_grid.code)),
        HTTP_IDEMPOTENCY_KEY="shared",
    )
    assert response.status_code == 201
    assert Dispute.objects.count() == 2


def test_a_key_over_200_characters_is_refused(world, client):
    response = post(
        client, bearer(world.grid_worker), body_of(grid_input(world.grid.code)), HTTP_IDEMPOTENCY_KEY="k" * 201
    )
    assert response.status_code == 400
    assert response.json()["errors"]["Idempotency-Key"] == ["幂等键过长（不超过 200 个字符）。"]
    assert Dispute.objects.count() == 0
    ok = post(client, bearer(world.grid_worker), body_of(grid_input(world.grid.code)), HTTP_IDEMPOTENCY_KEY="k" * 200)
    assert ok.status_code == 201


def test_a_failed_request_does_not_use_up_its_key(world, client):
    auth = bearer(world.grid_worker)
    body = body_of(grid_input(world.grid.code))
    bad = post(client, auth, {**body, "amount": "-1"}, HTTP_IDEMPOTENCY_KEY="fix-and-retry")
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    # The client fixes the body and retries with the same key: nothing was stored, so it runs.
    good = post(client, auth, body, HTTP_IDEMPOTENCY_KEY="fix-and-retry")
    assert good.status_code == 201
    assert Dispute.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_record_once(world):
    auth = bearer(world.grid_worker)
    body = body_of(grid_input(world.grid.code))
    barrier = threading.Barrier(4)
    results: list[tuple[int, str]] = []

    def send() -> None:
        try:
            barrier.wait()
            response = post(Client(), auth, body, HTTP_IDEMPOTENCY_KEY="race")
            results.append((response.status_code, response.json().get("number", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert {status for status, _ in results} == {201}
    assert len({number for _, number in results}) == 1
    assert Dispute.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
