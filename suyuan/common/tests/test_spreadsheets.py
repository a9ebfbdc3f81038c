"""Exports neutralise formula injection: text that a spreadsheet would run is written as text."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from suyuan.accounts.context import Origin
from suyuan.common.spreadsheets import neutralise, safe_row
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input


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


@pytest.mark.django_db
def test_the_dispute_export_writes_a_formula_summary_as_text(client, world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="web"), data=data).dispute
    Dispute.objects.filter(pk=dispute.pk).update(summary='=HYPERLINK("http://evil.example","查看")')
    client.force_login(world.clerk)
    response = client.get(reverse("disputes:export"))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s"  # stored as text, not as a formula
    assert cell.value == '\'=HYPERLINK("http://evil.example","查看")'
