"""Cells written to spreadsheets we hand out (Excel, CSV) cannot run as formulas.

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return, which some
spreadsheet programs skip before looking) is read as a formula by Excel, LibreOffice and WPS when
the file is opened: a party's name or a note typed as ``=HYPERLINK(...)`` would run on the clerk's
machine (CSV/formula injection, OWASP). Such text is written with a leading apostrophe, the
convention those programs show as literal text. Numbers, dates and ``None`` pass unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]
