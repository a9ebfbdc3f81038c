"""Registration (立案): numbering, the procedure (track), refusal, a change of procedure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict, InvalidInput
from suyuan.common.sequences import next_value
from suyuan.disputes import clocks
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Clock
from suyuan.disputes.workflow import apply
from suyuan.network.models import Organisation

from . import tracks
from .casework import (
    COURT_ROLES,
    _event,
    _lock_case,
    _require_role,
    _today,
    case_ref,
    trial_clock,
)
from .choices import TRIAL_RULES, CaseStatus, Procedure
from .lifecycle import CASE
from .models import Case, format_case_number


def allocate_case_number(*, court: Organisation, case_type: str, on: date) -> tuple[int, int, str]:
    """The next serial for the court, year and type; call inside the registration transaction.

    ``next_value`` holds the counter's row lock until commit, so two clerks registering at once get
    distinct consecutive serials, and a rolled-back registration leaves no gap.
    """
    if not court.court_code:
        raise InvalidInput("受理法院没有案号代字，不能编立案号。")
    serial = next_value(f"case:{court.court_code}:{on.year}:{case_type}")
    number = format_case_number(year=on.year, court_code=court.court_code, case_type=case_type, serial=serial)
    return on.year, serial, number


@dataclass(frozen=True)
class TrackChoice:
    procedure: str
    fast_track: bool = False
    small_claims_agreed: bool = False
    exclusions: tuple[str, ...] = ()


def register_case(*, actor: User, origin: Origin, case_id: int, track: TrackChoice,
                  expected_version: int | None = None) -> Case:
    """立案: number the case, fix the procedure and start the trial period from today."""
    _require_role(actor, COURT_ROLES, "登记立案")
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        today = _today()
        errors = tracks.check_track(case, procedure=track.procedure, fast_track=track.fast_track,
                                    agreed=track.small_claims_agreed, exclusions=list(track.exclusions), on=today)
        if errors:
            raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
        now = timezone.now()

        def effect(c: Case) -> None:
            c.year, c.serial, c.number = allocate_case_number(court=c.court, case_type=c.case_type, on=today)
            c.procedure = track.procedure
            c.fast_track = track.fast_track
            c.small_claims_agreed = track.small_claims_agreed
            c.registered_at = now
            c.registered_by = actor

        case = apply(CASE, case, "register", actor=actor, origin=origin, effect=effect,
                     payload={"procedure": track.procedure}, expected_version=expected_version)
        clocks.stop_clock(dispute=case.dispute, rule="registration", object_ref=case_ref(case))
        clock = _start_trial_clock(case)
        _event(case, kind="case.numbered", title="编立案号", actor=actor, origin=origin,
               summary=f"案号 {case.number}；{case.get_procedure_display()}{'（速裁）' if case.fast_track else ''}，"
                       f"审理期限至 {clock.due_on}（{clock.citation}）",
               data={"number": case.number, "procedure": case.procedure, "fast_track": case.fast_track})
    return case


def register_by_system(*, action: str, summary: str, origin: Origin, **fields: Any) -> tuple[Case, Clock]:
    """A case the court registers on another act's strength, through the system edge ``action`` (a
    transfer received, a remand): created with ``fields``, numbered at its court today, its trial
    period started."""
    now = timezone.now()
    today = timezone.localdate(now)
    case = Case.objects.create(filed_at=now, materials_complete_on=today, **fields)

    def effect(c: Case) -> None:
        c.year, c.serial, c.number = allocate_case_number(court=c.court, case_type=c.case_type, on=today)
        c.registered_at = now

    case = apply(CASE, case, action, actor=None, origin=origin, effect=effect, summary=summary)
    return case, _start_trial_clock(case)


def _start_trial_clock(case: Case) -> Clock:
    rule = TRIAL_RULES[Procedure(case.procedure)]
    assert case.registered_at is not None
    # The trial period runs from registration, also after a change of procedure (民诉法解释 第二百五十八条).
    return clocks.start_clock(dispute=case.dispute, rule=rule, start=timezone.localdate(case.registered_at),
                              subject=f"审理期限（{case.get_procedure_display()}）", object_ref=case_ref(case),
                              procedure=case.procedure)


def refuse_case(*, actor: User, origin: Origin, case_id: int, reason: str, expected_version: int | None = None) -> Case:
    """不予受理: a reasoned ruling; the dispute's court stage ends."""
    _require_role(actor, COURT_ROLES, "裁定不予受理")
    reason = reason.strip()
    with transaction.atomic():
        case = _lock_case(actor, case_id)

        def effect(c: Case) -> None:
            c.refusal_reason = reason
            c.closed_at = timezone.now()

        case = apply(CASE, case, "refuse", actor=actor, origin=origin, payload={"reason": reason}, effect=effect,
                     expected_version=expected_version, summary=f"裁定不予受理。理由：{reason[:300]}")
        clocks.stop_clock(dispute=case.dispute, rule="registration", object_ref=case_ref(case))
        apply(DISPUTE, case.dispute_id, "close_case", actor=actor, origin=origin, summary="法院裁定不予受理")
    return case


def change_track(*, actor: User, origin: Origin, case_id: int, track: TrackChoice,
                 expected_version: int | None = None) -> Case:
    """Change the procedure of a registered case; the trial period still runs from registration."""
    _require_role(actor, COURT_ROLES, "调整审理程序")
    with transaction.atomic():
        case = _lock_case(actor, case_id)
        if expected_version is not None and case.version != expected_version:
            raise Conflict("该案件已被他人处理，请刷新后重试。")
        if case.status not in {CaseStatus.REGISTERED, CaseStatus.IN_COURT_MEDIATION, CaseStatus.IN_TRIAL}:
            raise Conflict(f"案件当前状态为“{case.get_status_display()}”，不能调整审理程序。")
        errors = tracks.check_track(case, procedure=track.procedure, fast_track=track.fast_track,
                                    agreed=track.small_claims_agreed, exclusions=list(track.exclusions), on=_today())
        if errors:
            raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
        before = case.get_procedure_display()
        old = trial_clock(case)
        if old is not None:
            clocks.stop_clock(dispute=case.dispute, rule=old.rule, object_ref=case_ref(case),
                              outcome=ClockStatus.CANCELLED)
        case.procedure, case.fast_track = track.procedure, track.fast_track
        case.small_claims_agreed = track.small_claims_agreed
        case.version += 1
        case.save(update_fields=["procedure", "fast_track", "small_claims_agreed", "version"])
        clock = _start_trial_clock(case)
        _event(case, kind="case.track", title="调整审理程序", actor=actor, origin=origin,
               summary=f"{before} → {case.get_procedure_display()}{'（速裁）' if case.fast_track else ''}，"
                       f"审理期限至 {clock.due_on}（{clock.citation}）",
               data={"procedure": case.procedure, "fast_track": case.fast_track})
    return case
