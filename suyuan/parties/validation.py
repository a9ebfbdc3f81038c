"""Validation of identity numbers and phones (python-stdnum, phonenumbers)."""

from __future__ import annotations

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from suyuan.common.phones import clean_phone as common_clean_phone


def clean_id_number(value: str) -> str:
    """Normalise and validate an 18-digit resident identity number (GB 11643, with check digit)."""
    raw = value.strip().upper().replace(" ", "")
    try:
        return str(ric.validate(raw))
    except InvalidChecksum as exc:
        raise ValueError("身份证号码校验位错误，请核对后重新输入。") from exc
    except InvalidLength as exc:
        raise ValueError("身份证号码应为 18 位。") from exc
    except InvalidComponent as exc:
        raise ValueError("身份证号码中的出生日期或地区码无效。") from exc
    except (InvalidFormat, ValidationError) as exc:
        raise ValueError("身份证号码格式不正确。") from exc


def clean_credit_code(value: str) -> str:
    """Normalise and validate an 18-character unified social credit code (GB 32100, check char)."""
    raw = value.strip().upper().replace(" ", "")
    try:
        return str(uscc.validate(raw))
    except InvalidChecksum as exc:
        raise ValueError("统一社会信用代码校验位错误，请核对后重新输入。") from exc
    except InvalidLength as exc:
        raise ValueError("统一社会信用代码应为 18 位。") from exc
    except (InvalidFormat, InvalidComponent, ValidationError) as exc:
        raise ValueError("统一社会信用代码格式不正确。") from exc


def clean_phone(value: str) -> str:
    """A mainland mobile or fixed-line number, returned in national format without spaces."""
    return common_clean_phone(value)
