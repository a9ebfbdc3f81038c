"""Batch import as a service and as a command: rows in, rows rejected, idempotency, formats, roles."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from suyuan.accounts.choices import AuditAction
from suyuan.accounts.context import COMMAND
from suyuan.accounts.models import AuditEntry
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.disputes.choices import Channel, EventKind, ImportStatus
from suyuan.disputes.importing import HEADERS, create_import_job, run_import
from suyuan.disputes.models import Dispute, DisputeEvent, ImportJob
from suyuan.parties.models import Party
from suyuan.testing.factories import make_credit_code, make_id_number
from suyuan.testing.imports import TOWNSHIP, bank_row, csv_bytes, make_bank, xlsx_bytes

pytestmark = pytest.mark.django_db
HUINONG_TOWNSHIP = "640205001000"


# --- fixtures (the row builders are in suyuan/testing/imports.py) ------------------------------


@pytest.fixture
def bank(world):
    return make_bank()


def do_import(actor, content: bytes, name: str = "claims.csv", **kwargs) -> ImportJob:
    job = create_import_job(actor=actor, name=name, content=content, store=False)
    return run_import(actor=actor, origin=COMMAND, job=job, content=content, **kwargs)


def reasons(job: ImportJob) -> dict[int, str]:
    return {e["row"]: "；".join(e["reasons"]) for e in job.errors}


# --- rows in, rows out ------------------------------------------------------------------------


def test_good_rows_go_in_and_bad_rows_are_reported_with_row_number_and_reason(world, bank):
    bad_id = "640202199001010011"  # wrong check digit
    rows = [
        bank_row(bank, 1),
        bank_row(bank, 2, 机构内部编号=""),
        bank_row(bank, 3, 被申请人证件号码=bad_id),
        bank_row(bank, 4, 标的额="-100"),
        bank_row(bank, 5, 纠纷类别="信用卡"),
        bank_row(bank, 6, 被申请人类型="", 被申请人名称="", 被申请人证件号码="", 被申请人电话="", 被申请人住址=""),
        ["XYK-00007", "金融纠纷", TOWNSHIP, "法人"],  # a broken line: too few columns
    ]
    job = do_import(bank, csv_bytes(rows))

    assert (job.status, job.total, job.created, job.duplicates, job.rejected) == (ImportStatus.DONE, 7, 2, 0, 5)
    found = reasons(job)
    assert sorted(found) == [4, 5, 6, 7, 8]  # spreadsheet rows: the header is row 1
    assert "被申请人证件号码" in found[4]
    assert "校验位" in found[4]
    assert "标的额" in found[5]
    assert "负数" in found[5]
    assert "纠纷类别" in found[6]
    assert "信用卡" in found[6]
    assert "被申请人" in found[7]
    assert "列" in found[8]
    # The report never repeats personal data.
    assert bad_id not in json.dumps(job.errors, ensure_ascii=False)

    disputes = Dispute.objects.filter(import_job=job)
    assert disputes.count() == 2
    for dispute in disputes:
        assert dispute.channel == Channel.BATCH
        assert dispute.recorded_by == bank
        assert dispute.court == world.dawukou_court
        assert dispute.claims.count() == 2
        assert list(dispute.events.values_list("kind", flat=True)) == [EventKind.RECORDED]
    # Nothing of a rejected row is written, not even its respondent.
    assert not Party.objects.filter(name__in=["持卡人3", "持卡人4", "持卡人5"]).exists()
    # One audit entry for the whole job, with the counts; none per dispute.
    audit = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert audit.target_id == str(job.pk)
    assert (audit.detail["created"], audit.detail["rejected"], audit.detail["total"]) == (2, 5, 7)
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


def test_row_numbers_count_spreadsheet_rows_not_text_lines(world, bank):
    rows = [
        bank_row(bank, 1, 诉讼请求="请求偿还透支本金\n请求支付利息\n请求承担诉讼费"),
        bank_row(bank, 2, 标的额="-1"),
    ]
    job = do_import(bank, csv_bytes(rows))
    assert list(reasons(job)) == [3]  # the first row spans four text lines but is row 2
    assert Dispute.objects.get().claims.count() == 3


def test_a_row_failing_halfway_leaves_nothing_behind(world):
    """The applicant is created first, then the respondent fails: the applicant must roll back too."""
    new_company = make_credit_code()
    known = world.party_user.party  # on file as 陈当事
    rows = [
        {
            **bank_row(world.party_user, 1),
            "申请人名称": "新成立小额贷款有限公司",
            "申请人证件号码": new_company,
            "被申请人名称": "不是陈当事",
            "被申请人证件号码": known.id_number,
        }
    ]
    job = do_import(world.clerk, csv_bytes(rows))
    assert job.rejected == 1
    assert "姓名" in reasons(job)[2]
    assert not Party.objects.filter(credit_code=new_company).exists()
    assert not Dispute.objects.exists()


def test_reimporting_the_same_file_creates_nothing(world, bank):
    rows = [bank_row(bank, 1), bank_row(bank, 2, 机构内部编号=""), bank_row(bank, 3, 标的额="-1")]
    content = csv_bytes(rows)
    first = do_import(bank, content)
    assert (first.created, first.duplicates, first.rejected) == (2, 0, 1)
    events = DisputeEvent.objects.count()

    second = do_import(bank, content)
    assert (second.created, second.duplicates, second.rejected) == (0, 2, 1)
    assert Dispute.objects.count() == 2
    assert DisputeEvent.objects.count() == events
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 2


def test_a_reference_repeated_within_one_file_is_a_duplicate_unless_its_first_row_was_rejected(world, bank):
    rows = [
        bank_row(bank, 1, 标的额="-1"),  # rejected: its reference stays free
        bank_row(bank, 1),  # the same reference, now good: recorded
        bank_row(bank, 1, 标的额="-2"),  # the same reference again: a duplicate, not looked at
        bank_row(bank, 2),
    ]
    job = do_import(bank, csv_bytes(rows))
    assert (job.created, job.duplicates, job.rejected) == (2, 1, 1)
    assert set(reasons(job)) == {2}
    assert Dispute.objects.filter(import_job=job).count() == 2


def test_the_same_rows_in_xlsx_after_csv_are_duplicates(world, bank):
    rows = [bank_row(bank, 1, 机构内部编号=""), bank_row(bank, 2, 机构内部编号="")]
    assert do_import(bank, csv_bytes(rows)).created == 2
    again = do_import(bank, xlsx_bytes(rows), name="claims.xlsx")
    assert (again.created, again.duplicates) == (0, 2)


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("utf8-bom.csv", lambda rows: csv_bytes(rows, encoding="utf-8-sig")),
        ("utf8.csv", lambda rows: csv_bytes(rows, encoding="utf-8")),
        ("excel-gb18030.csv", lambda rows: csv_bytes(rows, encoding="gb18030")),
        ("workbook.xlsx", xlsx_bytes),
    ],
)
def test_csv_in_every_encoding_and_xlsx(world, bank, name, encode):
    job = do_import(bank, encode([bank_row(bank, 1), bank_row(bank, 2)]), name=name)
    assert (job.created, job.rejected) == (2, 0), job.errors
    dispute = Dispute.objects.get(source_ref=f"{bank.party.credit_code}:XYK-00001")
    assert dispute.summary.startswith("石嘴山示范银行股份有限公司与持卡人1")
    assert dispute.get_category_display() == "金融纠纷"


def test_an_identity_number_stored_as_an_excel_number_is_rejected_with_a_hint(world, bank):
    row = bank_row(bank, 1)
    while not row["被申请人证件号码"].isdigit():
        row["被申请人证件号码"] = make_id_number(birth="19900101")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    # As Excel stores an ID typed into a general cell: a number with 15 significant digits.
    sheet.append([float(row[h]) if h == "被申请人证件号码" else row[h] for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = do_import(bank, buffer.getvalue(), name="numbers.xlsx")
    assert job.rejected == 1
    assert "文本格式" in reasons(job)[2]


def test_wrong_headers_fail_the_whole_job_with_a_chinese_reason(world, bank):
    content = "编号,类别\nA1,金融纠纷\n".encode()
    job = create_import_job(actor=bank, name="wrong.csv", content=content, store=False)
    with pytest.raises(InvalidInput) as info:
        run_import(actor=bank, origin=COMMAND, job=job, content=content)
    assert "缺少列" in info.value.message
    assert "纠纷类别" in info.value.message
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "表头" in job.message
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).detail["status"] == ImportStatus.FAILED


def test_unreadable_files_fail_with_a_chinese_reason(world, bank):
    for name, content in [
        ("broken.xlsx", b"PK\x03\x04 not really a zip"),
        ("empty.csv", b""),
        ("header-only.csv", csv_bytes([])),
    ]:
        with pytest.raises(InvalidInput) as info:
            do_import(bank, content, name=name)
        assert re.search(r"[\u4e00-\u9fff]", info.value.message)


def test_the_shipped_templates_match_the_reader_and_their_example_row_imports(world, settings):
    base = settings.BASE_DIR / "docs" / "templates"
    with (base / "batch_import_template.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == HEADERS
    sheet = load_workbook(base / "batch_import_template.xlsx", read_only=True).worksheets[0]
    assert tuple(next(sheet.iter_rows(values_only=True))) == HEADERS
    # The example applicant is a (fictitious) bank; a 大武口 clerk may file it on the bank's behalf.
    for fmt in ("csv", "xlsx"):
        content = (base / f"batch_import_template.{fmt}").read_bytes()
        job = do_import(world.clerk, content, name=f"template.{fmt}")
        assert job.rejected == 0, job.errors
    assert Dispute.objects.count() == 1  # the XLSX example row is the CSV one: a duplicate


# --- who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["grid_worker", "mediator_user", "centre_staff", "judge", "sysadmin"])
def test_other_roles_cannot_import(world, role):
    actor = getattr(world, role)
    with pytest.raises(NotPermitted):
        create_import_job(actor=actor, name="x.csv", content=b"x", store=False)


def test_a_natural_person_party_cannot_import(world):
    with pytest.raises(NotPermitted):
        create_import_job(actor=world.party_user, name="x.csv", content=b"x", store=False)


def test_a_bank_cannot_file_with_another_applicant(world, bank):
    other = make_bank("另一家银行股份有限公司", username="bank2")
    job = do_import(bank, csv_bytes([bank_row(other, 1), bank_row(bank, 2)]))
    assert (job.created, job.rejected) == (1, 1)
    assert "申请人须为本机构" in reasons(job)[2]
    assert not Dispute.objects.filter(dispute_parties__party=other.party).exists()


def test_a_clerk_files_for_an_institution_within_their_court(world, bank):
    rows = [
        bank_row(bank, 1),
        bank_row(bank, 2, 发生地区划代码=HUINONG_TOWNSHIP),
        bank_row(bank, 3, 申请人类型="自然人", 申请人名称="陈当事", 申请人证件号码=world.party_user.party.id_number),
    ]
    job = do_import(world.clerk, csv_bytes(rows))
    found = reasons(job)
    assert (job.created, job.rejected) == (1, 2)
    assert "本院管辖" in found[3]
    assert "法人或非法人组织" in found[4]
    # The bank is the filer: its own later import of the same row is a duplicate, not a second case.
    again = do_import(bank, csv_bytes(rows[:1]))
    assert (again.created, again.duplicates) == (0, 1)


# --- progress ---------------------------------------------------------------------------------


def test_a_large_file_writes_progress_as_it_goes(world, bank):
    rows = [bank_row(bank, n) for n in range(1, 501)]
    seen: list[tuple[str, int]] = []

    def watch(job: ImportJob) -> None:
        stored = ImportJob.objects.get(pk=job.pk)  # what the status page would read
        seen.append((stored.status, stored.processed))

    job = do_import(bank, csv_bytes(rows), every=100, on_progress=watch)
    assert job.created == 500
    assert seen == [
        (ImportStatus.RUNNING, 100),
        (ImportStatus.RUNNING, 200),
        (ImportStatus.RUNNING, 300),
        (ImportStatus.RUNNING, 400),
        (ImportStatus.DONE, 500),
    ]


def test_progress_matches_the_rows_already_in_at_any_progress_point(world, bank):
    # Rows are committed in chunks that end at every progress point: the counts the status page
    # reads are those of the disputes already in, a bad row in the middle of a chunk is rejected alone.
    rows = [bank_row(bank, n) for n in range(1, 131)]
    rows[70]["标的额"] = "-1"
    seen: list[tuple[str, int, int, int]] = []

    def watch(job: ImportJob) -> None:
        stored = ImportJob.objects.get(pk=job.pk)
        seen.append((stored.status, stored.processed, stored.created, Dispute.objects.filter(import_job=job).count()))

    job = do_import(bank, csv_bytes(rows), every=60, on_progress=watch)
    assert seen == [
        (ImportStatus.RUNNING, 60, 60, 60),
        (ImportStatus.RUNNING, 120, 119, 119),
        (ImportStatus.DONE, 130, 129, 129),
    ]
    assert reasons(job) == {72: "标的额不能为负数。"}
    assert DisputeEvent.objects.filter(dispute__import_job=job, kind=EventKind.RECORDED).count() == 129


# --- the command ------------------------------------------------------------------------------


def _run_command(path, username: str, *extra: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_disputes", str(path), "--as", username, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_rejected_rows_progress_and_the_counts_last(world, bank, tmp_path):
    path = tmp_path / "claims.csv"
    rows = [bank_row(bank, n) for n in range(1, 6)]
    rows[1]["标的额"] = "-3"
    path.write_bytes(csv_bytes(rows))

    out, err = _run_command(path, "bank1", "--every", "2")
    lines = out.strip().splitlines()
    assert lines[-1] == "created=4 duplicates=0 rejected=1"
    assert re.fullmatch(r"created=\d+ duplicates=\d+ rejected=\d+", lines[-1])
    assert any(line.startswith("第 3 行：") and "负数" in line for line in lines[:-1])
    assert "已处理 2/5 行（40%）" in err

    out, _ = _run_command(path, "bank1")
    assert out.strip().splitlines()[-1] == "created=0 duplicates=4 rejected=1"


def test_command_fails_with_a_chinese_message_on_a_bad_file_and_exits_non_zero(world, bank, tmp_path, capsys):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("编号,金额\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="表头与模板不符"):
        _run_command(wrong, "bank1")
    with pytest.raises(CommandError, match="无法读取文件"):
        _run_command(tmp_path / "missing.csv", "bank1")
    with pytest.raises(CommandError, match="找不到用户"):
        _run_command(wrong, "nobody")

    from suyuan.disputes.management.commands.import_disputes import Command

    with pytest.raises(SystemExit) as info:
        Command().run_from_argv(["manage.py", "import_disputes", str(wrong), "--as", "bank1"])
    assert info.value.code != 0
    assert "表头与模板不符" in capsys.readouterr().err


def test_command_refuses_a_grid_worker(world, bank, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_bytes(csv_bytes([bank_row(bank, 1)]))
    with pytest.raises(CommandError, match="不能批量导入"):
        _run_command(path, world.grid_worker.username)
    assert not Dispute.objects.exists()
