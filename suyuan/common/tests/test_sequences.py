"""Gapless counters: unique, consecutive, a rolled-back number is handed out again."""

import pytest
from django.db import transaction

from suyuan.common.models import Counter
from suyuan.common.sequences import next_value

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_values_are_consecutive_and_a_rolled_back_value_is_reused():
    with transaction.atomic():
        assert [next_value("t") for _ in range(3)] == [1, 2, 3]
    taken: list[int] = []

    def take_and_fail() -> None:
        with transaction.atomic():
            taken.append(next_value("t"))
            raise Rollback

    with pytest.raises(Rollback):
        take_and_fail()
    assert taken == [4]
    with transaction.atomic():
        assert next_value("t") == 4
        assert next_value("other") == 1
    assert dict(Counter.objects.values_list("name", "value")) == {"t": 4, "other": 1}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_value("t")
