"""R2 for the files a masked role can download (issue 15): none carries a full ID number, credit
code or phone. PDFs are read back with pdftotext, workbooks with openpyxl, CSV as text.

What a masked role (grid worker, centre staff, leader; the party uploading a batch) can download:

- the dispute documents (PDF) of the disputes it can see. Those that list the parties with their
  identity numbers in full (the mediation agreement, the application for judicial confirmation)
  are refused to it (403), the others print ID numbers and credit codes masked;
- the leaders' joint-conference report (PDF and Excel): figures only, no party;
- the batch import's error report (CSV and Excel) for its uploader: row numbers and reasons,
  scrubbed;
- the dispute list and workbench queue workbooks: ``test_masking_properties.py`` (10,000 values).

Generated values: ``SUYUAN_MASKING_EXPORT_EXAMPLES`` batches (default 3) of ``BATCH`` of each kind
(rendering PDFs costs about a second each, so fewer than the page test's 10,000).
"""

from __future__ import annotations

import io
import os
import subprocess
from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from suyuan.accounts.context import Origin
from suyuan.common.masking import mask_credit_code, mask_id_number
from suyuan.disputes.importing.jobs import create_import_job
from suyuan.disputes.models import Dispute
from suyuan.disputes.permissions import FULL_PERSONAL_DATA_ROLES
from suyuan.disputes.services import record_dispute
from suyuan.disputes.tasks import run_import_job
from suyuan.documents.choices import DocumentKind
from suyuan.documents.rendering import carries_full_identities
from suyuan.documents.services import render_document
from suyuan.testing.disputes import grid_input
from suyuan.testing.imports import bank_row, csv_bytes, make_bank

from .test_masking_properties import _attach, _leaks, _Rollback, credit_codes, id_numbers, mobiles

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("SUYUAN_MASKING_EXPORT_EXAMPLES", "3"))
BATCH = 10
ORIGIN = Origin(via="test", ip="127.0.0.1")
AGREEMENT = {"agreement_date": date(2026, 3, 2), "amount": "12000", "application_date": date(2026, 3, 3),
             "terms": ["被申请人于2026年4月30日前向申请人支付人民币 12000.00 元。"]}
# Every document that lists the parties with an identity line, and who makes it.
DOCUMENTS = [
    (DocumentKind.MEDIATION_AGREEMENT, "mediator_user", AGREEMENT),
    (DocumentKind.CONFIRMATION_APPLICATION, "mediator_user", AGREEMENT),
    (DocumentKind.CORRECTION_NOTICE, "clerk", {"notice_date": date(2026, 3, 2), "missing": ["借条原件的复印件"]}),
    (DocumentKind.LITIGATION_RISK_NOTICE, "clerk", {"notice_date": date(2026, 3, 2)}),
]
batches = st.tuples(
    st.lists(id_numbers(), min_size=BATCH, max_size=BATCH, unique=True),
    st.lists(credit_codes(), min_size=BATCH, max_size=BATCH, unique=True),
    st.lists(mobiles, min_size=BATCH, max_size=BATCH, unique=True),
)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def pdf_text(body: bytes) -> str:
    """The PDF's text with all white space removed, so a value wrapped across lines still matches."""
    assert body.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_dispute_documents_never_give_a_masked_role_a_full_identity(world, report_figure):
    masked = [world.grid_worker, world.centre_staff, world.leader]
    assert not {u.role for u in masked} & FULL_PERSONAL_DATA_ROLES
    clients = [(u, client_for(u)) for u in masked]
    clerk = client_for(world.clerk)
    tally = {"refused": 0, "read back": 0, "values": 0}

    @SETTINGS
    @given(batch=batches)
    def check(batch: tuple[list[str], list[str], list[str]]) -> None:
        ids, codes, phones = batch
        try:
            with transaction.atomic():
                dispute = record_dispute(actor=world.grid_worker, origin=ORIGIN,
                                         data=grid_input(world.grid.code)).dispute
                Dispute.objects.filter(pk=dispute.pk).update(mediator=world.mediator,
                                                             handling_organisation=world.committee)
                _attach(dispute, ids, codes, phones)
                for kind, maker, context in DOCUMENTS:
                    document = render_document(dispute=dispute, kind=kind, context=context,
                                               actor=getattr(world, maker), origin=ORIGIN)
                    url = f"/documents/{document.pk}/download/"
                    full = carries_full_identities(kind)
                    # The clerk's copy shows what the document prints: the read-back is not blind.
                    text = pdf_text(body(clerk.get(url)))
                    expected = ids + codes if full else [mask_id_number(n) for n in ids] + [
                        mask_credit_code(c) for c in codes]
                    assert _leaks(text, expected) == expected, (kind, "the PDF lists every party")
                    for user, client in clients:
                        page = client.get(f"/disputes/{dispute.number}/").content.decode()
                        response = client.get(url)
                        if full:
                            assert response.status_code == 403, (user.role, kind)
                            assert "本岗位不可下载" in page
                            tally["refused"] += 1
                            continue
                        assert response.status_code == 200, (user.role, kind)
                        text = pdf_text(body(response))
                        for values in (ids, codes, phones):
                            assert not _leaks(text, values), (user.role, kind, _leaks(text, values)[:3])
                        tally["read back"] += 1
                raise _Rollback
        except _Rollback:
            pass
        tally["values"] += len(ids)

    check()
    report_figure(f"R2 documents: {EXAMPLES} batches of {BATCH} ID numbers, credit codes and phones; "
                  f"{tally['read back']} PDFs downloaded by masked roles and read back, none with a full value; "
                  f"{tally['refused']} downloads of documents with full identities refused (403)")
    assert tally["values"] == EXAMPLES * BATCH


def test_the_leaders_report_lists_no_party(world):
    """The joint-conference report (PDF, Excel) is figures: no party's identity or phone in it."""
    dispute = record_dispute(actor=world.grid_worker, origin=ORIGIN, data=grid_input(world.grid.code)).dispute
    parties = [dp.party for dp in dispute.dispute_parties.select_related("party")]
    values = [p.id_number or p.credit_code for p in parties] + [p.phone for p in parties]
    assert len([v for v in values if v]) >= 3
    client = client_for(world.leader)
    month = f"{date.today():%Y-%m}"
    query = {"start": month, "end": month}
    pdf = client.get("/governance/report.pdf", query)
    xlsx = client.get("/governance/report.xlsx", query)
    assert pdf.status_code == 200 and xlsx.status_code == 200
    for text in (pdf_text(pdf.content), xlsx_text(xlsx.content)):
        assert "大武口区" in text  # the read-back reads the report
        assert not _leaks(text, [v for v in values if v])


@SETTINGS
@given(batch=batches)
def test_the_import_error_report_never_repeats_the_rows_identities(world, batch):
    """CSV and Excel error reports go back to the uploader (a party, a masked role): reasons only."""
    ids, _codes, phones = batch
    try:
        with transaction.atomic():
            bank = make_bank()
            rows = []
            for n, (id_number, phone) in enumerate(zip(ids, phones, strict=True)):
                # Half with a mistyped check digit (the reason names the field), half with a bad amount.
                wrong = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
                rows.append(bank_row(bank, n, 被申请人证件号码=wrong if n % 2 else id_number, 被申请人电话=phone,
                                     **({} if n % 2 else {"标的额": "十二万"})))
            job = create_import_job(actor=bank, name="claims.csv", content=csv_bytes(rows), store=True)
            run_import_job.call(job.pk, "127.0.0.1")
            job.refresh_from_db()
            assert job.rejected == len(rows), job.errors[:2]
            client = client_for(bank)
            csv = client.get(f"/disputes/import/{job.pk}/errors.csv")
            xlsx = client.get(f"/disputes/import/{job.pk}/errors.xlsx")
            assert csv.status_code == 200 and xlsx.status_code == 200
            wrongs = [r["被申请人证件号码"] for r in rows]
            for text in (csv.content.decode("utf-8-sig"), xlsx_text(xlsx.content)):
                assert "校验位" in text  # the reasons are there
                for values in (ids, wrongs, phones, [bank.party.credit_code]):
                    assert not _leaks(text, values), _leaks(text, values)[:3]
            raise _Rollback
    except _Rollback:
        pass
