"""Legal clocks: due dates from the rules, reminders, overdue, escalation by the owner's handler."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from suyuan.accounts.context import Origin
from suyuan.common.errors import Conflict, InvalidInput
from suyuan.disputes import clocks
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.models import Clock
from suyuan.disputes.services import record_dispute
from suyuan.rules.periods import CHINA
from suyuan.testing.disputes import grid_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    return record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute


def test_start_computes_due_date_with_its_citation(dispute):
    clock = clocks.start_clock(dispute=dispute, rule="registration", start=date(2026, 9, 24), subject="立案审查期限")
    assert clock.due_on == date(2026, 10, 8)  # 10.1 is 国庆: moved to the first working day
    assert "第一百二十六条" in clock.citation
    # Restarting (e.g. after complete materials arrive) replaces the open clock.
    again = clocks.start_clock(dispute=dispute, rule="registration", start=date(2026, 10, 9), subject="立案审查期限")
    assert again.due_on == date(2026, 10, 16)
    assert Clock.objects.filter(dispute=dispute, status=ClockStatus.OPEN).count() == 1


def test_sweep_reminds_then_marks_overdue_and_escalates_once(dispute, settings, monkeypatch):
    settings.SUYUAN_REMINDER_DAYS = 2
    monkeypatch.setattr(clocks, "_HANDLERS", {})
    seen = []
    clocks.register_expiry_handler("fee_payment", lambda clock: seen.append(clock.pk))
    clock = clocks.start_clock(dispute=dispute, rule="fee_payment", start=date(2026, 6, 1), subject="交纳诉讼费期限")
    assert clock.due_on == date(2026, 6, 8)
    early = clocks.sweep(now=datetime(2026, 6, 2, 9, tzinfo=CHINA))
    assert (early.reminded, early.overdue) == (0, 0)
    near = clocks.sweep(now=datetime(2026, 6, 6, 9, tzinfo=CHINA))
    assert near.reminded == 1
    assert clocks.sweep(now=datetime(2026, 6, 7, 9, tzinfo=CHINA)).reminded == 0  # reminded once
    on_last_day = clocks.sweep(now=datetime(2026, 6, 8, 23, 59, tzinfo=CHINA))
    assert on_last_day.overdue == 0  # the whole last day counts
    late = clocks.sweep(now=datetime(2026, 6, 9, 0, 1, tzinfo=CHINA))
    assert (late.overdue, late.escalated) == (1, 1)
    assert seen == [clock.pk]
    assert clocks.sweep(now=datetime(2026, 6, 10, tzinfo=CHINA)).overdue == 0
    kinds = list(dispute.events.values_list("kind", flat=True))
    assert kinds.count("clock.reminder") == 1
    assert kinds.count("clock.overdue") == 1


def test_stopped_clock_is_not_swept(dispute):
    clocks.start_clock(dispute=dispute, rule="fee_payment", start=date(2026, 6, 1), subject="交纳诉讼费期限")
    clocks.stop_clock(dispute=dispute, rule="fee_payment")
    assert clocks.sweep(now=datetime(2026, 7, 1, tzinfo=CHINA)).overdue == 0
    assert Clock.objects.get().status == ClockStatus.MET


def test_lawful_extension_once_with_reason(world, dispute):
    clock = clocks.start_clock(dispute=dispute, rule="simple_trial", start=date(2026, 5, 31), subject="审理期限")
    with pytest.raises(InvalidInput):
        clocks.extend_clock(clock=clock, actor=world.judge, origin=Origin(via="test"), reason=" ")
    extended = clocks.extend_clock(clock=clock, actor=world.judge, origin=Origin(via="test"), reason="院长批准")
    assert extended.due_on == date(2026, 9, 30)  # 民事诉讼法 第一百六十四条: +1 month
    with pytest.raises(Conflict):
        clocks.extend_clock(clock=extended, actor=world.judge, origin=Origin(via="test"), reason="再次")
    assert dispute.events.filter(kind="clock.extend").count() == 1


def test_rule_without_extension_refuses(world, dispute):
    clock = clocks.start_clock(dispute=dispute, rule="registration", start=date(2026, 6, 1), subject="立案审查期限")
    with pytest.raises(InvalidInput, match="没有法定的延长规定"):
        clocks.extend_clock(clock=clock, actor=world.clerk, origin=Origin(via="test"), reason="x")


def test_extension_not_counted_shifts_another_clock(world, dispute):
    trial = clocks.start_clock(dispute=dispute, rule="simple_trial", start=date(2026, 5, 31), subject="审理期限")
    moved = clocks.extend_clock(clock=trial, actor=world.judge, origin=Origin(via="test"),
                                reason="委托调解延长期间不计入审理期限", extra_days=30)
    assert moved.due_on == date(2026, 9, 30)
    assert not moved.extended
