"""R1: schemathesis fuzzes /api/v1/ from its own OpenAPI document, as every role and anonymously.

Each case goes through Django's real WSGI handler (middleware, authentication, ninja, the database
of the engine under test). For every response: no 5xx, status code, content type, headers and
body as the schema declares them, and every 4xx explains itself in Chinese (``detail``).

The number of generated cases is ``SUYUAN_FUZZ_CASES`` (1,000 in the normal run; the longer drill
``scripts/fuzz_api.sh`` asks for 5,000). They are spread evenly over roles × operations, half
schema-valid data and half schema-violating data. The figure is printed at the end.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from config.wsgi import application
from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import issue_api_token
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.testing.factories import make_user

pytestmark = pytest.mark.django_db
CASES = int(os.environ.get("SUYUAN_FUZZ_CASES", "1000"))
# The suite replays the same cases every run (a CI failure is reproducible, never a random red);
# the drill (scripts/fuzz_api.sh) explores new ones each time.
RANDOM = os.environ.get("SUYUAN_FUZZ_RANDOM") == "1"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role.values]
CONFIG = schemathesis.Config.from_dict({
    "checks": {
        # Schema-valid data may still break a domain rule the schema cannot state (a region code that
        # does not exist, an ID number's check digit, a date in the future): that is a 400 with the
        # reasons. Never a 422 (the schema and the validator disagree) and never a 5xx.
        "positive_data_acceptance": {"expected-statuses": ["2XX", "400", "401", "403", "404", "409", "429"]},
    },
})


@pytest.fixture
def in_process_wsgi() -> Iterator[None]:
    """Keep the test's connection (and its transaction) across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(in_process_wsgi):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


def users_by_role(world) -> dict[str, User]:  # type: ignore[no-untyped-def]
    users = [world.party_user, world.grid_worker, world.mediator_user, world.org_admin, world.centre_staff,
             world.clerk, world.judge, world.enforcer, world.leader, world.sysadmin, world.auditor]
    by_role = {u.role: u for u in users}
    by_role[Role.SECURITY_ADMIN] = make_user(Role.SECURITY_ADMIN, username="secadmin1")
    by_role[Role.DEPUTY] = make_user(Role.DEPUTY, username="deputy1")  # NPC deputy / CPPCC member (voice)
    assert set(by_role) == set(Role.values)
    return by_role


@schemathesis.check
def errors_in_chinese(ctx, response, case):  # type: ignore[no-untyped-def]
    """Every 4xx answer carries a ``detail`` in Chinese, in the API's one error shape."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and set(body) >= {"detail", "errors"}, f"错误响应格式不对：{body!r}"
        assert CHINESE.search(str(body["detail"])), f"{response.status_code} 的说明不是中文：{body['detail']!r}"


def _strategy(operation, numbers: list[str]):  # type: ignore[no-untyped-def]
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    if "{number}" in operation.path:
        # Random numbers only reach "not found"; real ones (visible to some roles, not others) reach the reads.
        strategies += [
            st.sampled_from(numbers).flatmap(
                lambda n, mode=mode: operation.as_strategy(generation_mode=mode, path_parameters={"number": n})
            )
            for mode in modes
        ]
    return st.one_of(strategies)


def fuzz_cell(operation, numbers, headers, examples, record) -> None:  # type: ignore[no-untyped-def]
    @settings(max_examples=examples, deadline=None, database=None, derandomize=not RANDOM,
              suppress_health_check=list(HealthCheck))
    @given(case=_strategy(operation, numbers))
    def fuzz(case):  # type: ignore[no-untyped-def]
        response = case.call_and_validate(headers=headers, additional_checks=[errors_in_chinese])
        record(response.status_code)

    fuzz()


def test_fuzz_every_operation_as_every_role(world, api_schema, report_figure):
    # Disputes in two districts: each role sees some, none or all of them.
    numbers = [
        record_dispute(actor=actor, origin=Origin(via="test"), data=grid_input(grid.code)).dispute.number
        for actor, grid in [(world.grid_worker, world.grid), (world.other_grid_worker, world.other_grid)]
    ]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    per_cell = math.ceil(CASES / (len(ROLES) * len(operations)))
    by_role = users_by_role(world)
    tally: Counter[tuple[str, int]] = Counter()

    for role in ROLES:
        headers = {} if role == ANONYMOUS else {
            "Authorization": f"Bearer {issue_api_token(user=by_role[role], origin=Origin(via='test'))}"
        }
        for operation in operations:
            fuzz_cell(operation, numbers, headers, per_cell, lambda status, role=role: tally.update([(role, status)]))

    total = sum(tally.values())
    statuses = Counter[int]()
    for (_, status), n in tally.items():
        statuses[status] += n
    report_figure(f"R1 API fuzzing: {total} cases = {len(ROLES)} roles (incl. anonymous) × {len(operations)} "
                  f"operations; statuses {dict(sorted(statuses.items()))}")
    assert total >= CASES
    assert not [s for s in statuses if s >= 500]
