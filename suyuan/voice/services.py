"""Writes of the voice app, one module per use case (re-exported here)."""

from .complaints import (  # noqa: F401
    answer_complaint,
    assign_complaint,
    close_complaint,
    file_complaint,
    reopen_complaint,
    withdraw_complaint,
)
from .deputies import (  # noqa: F401
    answer_feedback,
    cancel_invitation,
    invite_deputy,
    leave_feedback,
    record_attendance,
    respond_to_invitation,
)
from .surveys import answer_survey, create_surveys, expire_due_surveys  # noqa: F401
