"""Masking of personal data for lists, exports and logs (e.g. 640202********1234, 138****5678)."""

from __future__ import annotations

import re


def mask_id_number(value: str) -> str:
    """Keep the six-digit division code and the last four characters."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


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


# Patterns used to scrub free text (log lines): 18-character resident IDs, mobile numbers.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def scrub(text: str) -> str:
    text = ID_NUMBER_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    return PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
