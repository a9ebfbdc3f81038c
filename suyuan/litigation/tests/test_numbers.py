"""Two clerks registering at the same moment get distinct, consecutive case numbers (both databases)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.litigation import services
from suyuan.litigation.choices import Procedure
from suyuan.litigation.models import Case
from suyuan.litigation.services import TrackChoice
from suyuan.testing.factories import make_user

from .helpers import ORIGIN, filed_case


@pytest.mark.django_db(transaction=True)
def test_two_clerks_registering_at_once_get_distinct_consecutive_numbers(world):
    second_clerk = make_user(Role.CLERK, organisation=world.dawukou_court, username="clerk3", full_name="陈立案")
    cases = [filed_case(world), filed_case(world)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def register(clerk, case):
        try:
            barrier.wait()
            services.register_case(actor=clerk, origin=ORIGIN, case_id=case.pk,
                                   track=TrackChoice(procedure=Procedure.SIMPLE))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=args)
               for args in ((world.clerk, cases[0]), (second_clerk, cases[1]))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    numbers = sorted(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("serial", flat=True))
    assert numbers == [1, 2]
    year = timezone.localdate().year
    expected = {f"（{year}）宁0202民初1号", f"（{year}）宁0202民初2号"}
    assert set(Case.objects.values_list("number", flat=True)) == expected


@pytest.mark.django_db
def test_numbers_are_per_court_and_type(world):
    from suyuan.litigation.models import format_case_number

    number = format_case_number(year=2026, court_code="宁0202", case_type="民初", serial=1234)
    assert number == "（2026）宁0202民初1234号"
    case = filed_case(world)
    case = services.register_case(actor=world.clerk, origin=ORIGIN, case_id=case.pk,
                                  track=TrackChoice(procedure=Procedure.SIMPLE))
    from django.db import transaction

    with transaction.atomic():
        _, serial, number = services.allocate_case_number(court=world.huinong_court, case_type="民初",
                                                          on=timezone.localdate())
    assert serial == 1 and "宁0205民初1号" in number
    with transaction.atomic():
        _, serial, _ = services.allocate_case_number(court=world.dawukou_court, case_type="民特",
                                                     on=timezone.localdate())
    assert serial == 1
