"""Exports neutralise formula injection: text that a spreadsheet would run is written as text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suyuan.common.spreadsheets import neutralise, safe_row


@pytest.mark.parametrize("text", ["=1+1", "+86 139", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd",
                                  '=HYPERLINK("http://x","点击")'])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["借款纠纷", "（2026）宁0202民初1号", "1+1", "a=b", "", None, 12, -5,
                                   Decimal("-3.5"), 1.5])
def test_other_values_pass_unchanged(value):
    assert neutralise(value) == value


def test_safe_row_keeps_order_and_length():
    assert safe_row(["=x", 1, "y"]) == ["'=x", 1, "y"]
