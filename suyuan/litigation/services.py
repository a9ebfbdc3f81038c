"""Writes of the litigation stage, one module per use case; this module re-exports them so that
``from suyuan.litigation import services`` and ``services.X`` keep working for every caller.

- ``casework``: scope-checked locking, role checks, timeline event + audit, clocks of a case
- ``filing``: 起诉, 一次性补正告知 and the registration period
- ``registration``: 立案 (numbering, procedure), 不予受理, change of procedure
- ``trial``: start and extension of the trial, 撤诉
- ``court_mediation``: 委托调解
- ``judgment``: 判决 with the performance notice
"""

from __future__ import annotations

from .casework import (
    COURT_ROLES,
    OPEN_STATES,
    _event,
    _lock_case,
    _lock_dispute,
    _open_clock,
    _parse_amount,
    _require_role,
    _stop_all_clocks,
    _today,
    case_ref,
    trial_clock,
)
from .court_mediation import (
    _lock_mediation,
    agree_mediation_extension,
    court_mediation_expired,
    record_mediation_outcome,
    refer_to_court_mediation,
    sign_court_mediation,
)
from .filing import (
    MAX_MATERIAL_ITEMS,
    complete_materials,
    days_left,
    file_suit,
    registration_deadline,
    registration_overdue,
    request_materials,
)
from .judgment import NON_PERFORMANCE_CONSEQUENCES, pronounce_judgment
from .registration import (
    TrackChoice,
    _start_trial_clock,
    allocate_case_number,
    change_track,
    refuse_case,
    register_case,
)
from .trial import extend_trial, start_trial, withdraw_case

__all__ = [
    "COURT_ROLES", "MAX_MATERIAL_ITEMS", "NON_PERFORMANCE_CONSEQUENCES", "OPEN_STATES", "TrackChoice",
    "_event", "_lock_case", "_lock_dispute", "_lock_mediation", "_open_clock", "_parse_amount",
    "_require_role", "_start_trial_clock", "_stop_all_clocks", "_today",
    "agree_mediation_extension", "allocate_case_number", "case_ref", "change_track", "complete_materials",
    "court_mediation_expired", "days_left", "extend_trial", "file_suit", "pronounce_judgment",
    "record_mediation_outcome", "refer_to_court_mediation", "refuse_case", "register_case",
    "registration_deadline", "registration_overdue", "request_materials", "sign_court_mediation",
    "start_trial", "trial_clock", "withdraw_case",
]
