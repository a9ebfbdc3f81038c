"""Phone validation gives the same answers whether or not the number was seen before."""

from __future__ import annotations

import pytest

from suyuan.common import phones
from suyuan.common.phones import clean_phone


@pytest.fixture(autouse=True)
def _forget() -> None:
    phones._KNOWN.clear()


def test_a_typed_mobile_then_its_national_form_as_mobile():
    assert clean_phone("138-0000-0000") == "13800000000"
    assert "13800000000" in phones._KNOWN  # the national form was learnt with the typed one
    assert clean_phone("13800000000", mobile_only=True) == "13800000000"


@pytest.mark.parametrize("seen_first", [False, True])
def test_a_fixed_line_is_valid_but_not_a_mobile_either_way(seen_first):
    if seen_first:
        assert clean_phone("0952-2012345") == "09522012345"
    with pytest.raises(ValueError, match="不接受固定电话"):
        clean_phone("09522012345", mobile_only=True, label="手机号")
    assert clean_phone("0952 2012345") == "09522012345"


@pytest.mark.parametrize(("value", "message"), [("abc", "格式不正确"), ("12345", "不是有效的中国大陆号码"),
                                               ("+1 212 555 0100", "不是有效的中国大陆号码")])
def test_a_refused_number_is_refused_again_with_the_callers_label(value, message):
    for label in ("联系电话", "手机号"):
        with pytest.raises(ValueError, match=f"{label}{message}"):
            clean_phone(value, label=label)


def test_the_table_is_bounded(monkeypatch):
    monkeypatch.setattr(phones, "_KNOWN_MAX", 4)
    for n in range(10):
        clean_phone(f"1380000000{n}")
    assert len(phones._KNOWN) <= 4 + 1
    assert clean_phone("13800000009", mobile_only=True) == "13800000009"
