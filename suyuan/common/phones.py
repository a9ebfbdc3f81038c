"""Mainland China phone numbers (phonenumbers), shared by parties and the mediator roster."""

from __future__ import annotations

import phonenumbers

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def clean_phone(value: str, *, mobile_only: bool = False, label: str = "联系电话") -> str:
    """A valid mainland number in national format without separators, or ``ValueError`` in Chinese.

    ``mobile_only`` is for people we send SMS to (mediators on the roster).
    """
    raw = str(value).strip().replace(" ", "").replace("-", "")
    if not raw:
        raise ValueError(f"请填写{label}。")
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{label}格式不正确。") from exc
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"{label}不是有效的中国大陆号码。")
    if mobile_only and phonenumbers.number_type(parsed) not in MOBILE_TYPES:
        raise ValueError(f"请填写{label}（不接受固定电话）。")
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national.replace(" ", "").replace("-", "")
