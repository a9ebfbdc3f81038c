"""Writes of the disputes app, one module per use case; this module re-exports them so that
``from suyuan.disputes import services`` and ``services.X`` keep working for every caller.

- ``intake``: the input of any channel, its validation (in Chinese), the look-ups a batch job remembers
- ``recording``: ``record_dispute``, one dispute with its number, parties, claims and first event
- ``recording_bulk``: ``record_disputes``, a batch chunk's rows validated one by one, written at once
- ``details``: corrections, evidence, follow-up notes, the clerk's party-match decision
"""

from __future__ import annotations

from .details import add_evidence, add_follow_up, review_party_match, update_dispute_details
from .intake import MAX_AMOUNT, ClaimInput, DisputeInput, batch_intake, parse_amount
from .recording import Recorded, record_dispute

__all__ = [
    "MAX_AMOUNT", "ClaimInput", "DisputeInput", "Recorded", "add_evidence", "add_follow_up", "batch_intake",
    "parse_amount", "record_dispute", "review_party_match", "update_dispute_details",
]
