from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_last_line_is_stable():
    line = run("registration", "--start", "2026-09-24")
    assert line.startswith("due=2026-10-08 regime=")
    assert "citation=《中华人民共和国民事诉讼法》" in line


def test_hours_print_a_date_time():
    assert run("preservation_ruling", "--start", "2026-09-30T16:00").startswith("due=2026-10-02T16:00 ")


def test_procedure_and_extension_options():
    assert run("court_mediation", "--start", "2025-01-01", "--procedure", "ordinary", "--extended").startswith(
        "due=2025-02-17 "
    )


def test_rule_not_in_force_is_refused_in_chinese():
    with pytest.raises(CommandError, match="2025-01-01 适用的规则体系中没有"):
        run("pre_filing_mediation", "--start", "2025-01-01")


def test_bad_date_is_refused_in_chinese():
    with pytest.raises(CommandError, match="起算日期格式"):
        run("registration", "--start", "2026/13/01")
