"""The dispute export writes text a spreadsheet would run as a formula as plain text."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from suyuan.accounts.context import Origin
from suyuan.disputes.models import Dispute
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input


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
