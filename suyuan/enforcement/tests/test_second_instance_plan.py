"""A final second-instance judgment becomes the performance plan: the affirmed first-instance sum, or the
amended sum, due at the end of the period counted from the day the final judgment is served (终审)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suyuan.enforcement import selectors
from suyuan.litigation import second_instance
from suyuan.litigation.choices import AppealOutcome
from suyuan.litigation.tests.helpers import ORIGIN
from suyuan.litigation.tests.test_second_instance import appealed, in_trial, upper_judge  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("outcome", "extra", "total"), [
    (AppealOutcome.AFFIRM, {}, Decimal("12000")),
    (AppealOutcome.AMEND, {"amount": "8000", "perform_within_days": 15}, Decimal("8000")),
])
def test_the_final_judgment_is_the_plan(world, upper_judge, outcome, extra, total):  # type: ignore[no-untyped-def]  # noqa: F811
    first, second = appealed(world)
    assert selectors.original_plan(first.dispute_id) is None  # an appealed judgment never gets a plan
    second = in_trial(upper_judge, second)
    second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk, outcome=outcome,
                                  main_text="二审判决", **extra)
    plan = selectors.original_plan(first.dispute_id)
    second.refresh_from_db()
    first.refresh_from_db()
    judgment = first.judgment if outcome == AppealOutcome.AFFIRM else second.judgment
    assert plan is not None and plan.total == total
    assert [i.due for i in plan.instalments.all()] == [judgment.perform_by]
