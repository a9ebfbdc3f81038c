"""Masking of personal data for lists, exports and logs (e.g. 640202********1234, 138****5678).

ID numbers, unified social credit codes and phones are masked alike for every role that may not
see them in full (``disputes.permissions.FULL_PERSONAL_DATA_ROLES`` see them after an audited
reveal). A credit code is printed on the organisation's business licence, but a dispute platform
that lists it beside the dispute tells who is in a dispute with whom: the pairing is what is
personal here, so the code is masked in lists, exports, logs and the API (issue 15, R2).
"""

from __future__ import annotations

import re


def mask_id_number(value: str) -> str:
    """Keep the six-digit division code and the last four characters."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_credit_code(value: str) -> str:
    """GB 32100: keep the registration authority, the organisation type and the division code's
    first four characters, and the last four (three of the organisation code and the check
    character); the eight in between are hidden, as for an ID number."""
    return mask_id_number(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    digits = value.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_address(value: str) -> str:
    """Keep the district part (up to the first 区/县/镇/街道), hide the rest."""
    if not value:
        return ""
    match = re.search(r"(区|县|市|镇|乡|街道)", value)
    keep = match.end() if match and match.end() <= 12 else min(6, len(value))
    return value[:keep] + "****"


def mask_name(value: str) -> str:
    """张三丰 → 张**; organisations keep their names (they are public)."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


# Patterns used to scrub free text (log lines): 18-character resident IDs, unified social credit
# codes (GB 32100: 18 characters of digits and capitals without I, O, S, V, Z; any such token is
# masked, check character valid or not, since a mistyped code is still someone's), mobile numbers.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
CREDIT_CODE_RE = re.compile(
    r"(?<![0-9A-Za-z])([0-9A-HJ-NPQRTUWXY]{6})([0-9A-HJ-NPQRTUWXY]{8})([0-9A-HJ-NPQRTUWXY]{4})(?![0-9A-Za-z])",
    re.IGNORECASE,
)
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def scrub(text: str) -> str:
    text = ID_NUMBER_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = CREDIT_CODE_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    return PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
