"""Mainland China phone numbers (phonenumbers), shared by parties and the mediator roster."""

from __future__ import annotations

import phonenumbers

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}

# What was learnt of each number seen: (national number, mobile or not), or why it was refused.
# A number is validated at the boundary and classified again when a notice is addressed to it
# (``notices.recipients``: SMS only to a mobile), a batch import's ten thousand debtors within
# seconds: the national form's answer is kept with the typed form's, so the second look costs a
# dict look-up instead of a second parse (~60 µs). The metadata is fixed for the process; the
# table is emptied when it reaches its bound.
_FORMAT, _NOT_CN = "format", "not_cn"
_KNOWN: dict[str, tuple[str, bool] | str] = {}
_KNOWN_MAX = 50_000


def _classify(raw: str) -> tuple[str, bool] | str:
    known = _KNOWN.get(raw)
    if known is not None:
        return known
    result: tuple[str, bool] | str
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        result = _FORMAT
    else:
        if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
            result = _NOT_CN
        else:
            national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
            result = (national.replace(" ", "").replace("-", ""), phonenumbers.number_type(parsed) in MOBILE_TYPES)
    if len(_KNOWN) >= _KNOWN_MAX:
        _KNOWN.clear()
    _KNOWN[raw] = result
    if isinstance(result, tuple):
        _KNOWN[result[0]] = result  # the national form is the same number
    return result


def clean_phone(value: str, *, mobile_only: bool = False, label: str = "联系电话") -> str:
    """A valid mainland number in national format without separators, or ``ValueError`` in Chinese.

    ``mobile_only`` is for people we send SMS to (mediators on the roster).
    """
    raw = str(value).strip().replace(" ", "").replace("-", "")
    if not raw:
        raise ValueError(f"请填写{label}。")
    result = _classify(raw)
    if result == _FORMAT:
        raise ValueError(f"{label}格式不正确。")
    if result == _NOT_CN:
        raise ValueError(f"{label}不是有效的中国大陆号码。")
    assert isinstance(result, tuple)
    national, mobile = result
    if mobile_only and not mobile:
        raise ValueError(f"请填写{label}（不接受固定电话）。")
    return national
