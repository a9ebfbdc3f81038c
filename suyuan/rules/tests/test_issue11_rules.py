"""The seven issue-11 rules through ``manage.py deadline``, last line ``due=… regime=… citation=…``.

appeal_judgment / appeal_ruling / retrial_review are written by the "judgment" helper and
enforcement_objection by the "enfcore" helper: on the periods branch alone those four cases fail
with "没有名为 … 的期间规则" until their data files are merged (the coordinator runs this file
after merging). The expected dates follow the statutes, not their files; for retrial_review only the law is
asserted (its article number moved between revisions and is that helper's to verify).
KNOWN FAILING on wip/periods until those branches land — not skipped on purpose.
"""

from io import StringIO

import pytest
from django.core.management import call_command

CASES = [
    # rule, args, due, article in the citation
    ("answer", ["--start", "2025-03-03"], "2025-03-18", "第一百二十八条"),
    ("appeal_judgment", ["--start", "2025-03-03"], "2025-03-18", "第一百七十一条"),
    ("appeal_ruling", ["--start", "2025-03-03"], "2025-03-13", "第一百七十一条"),
    ("evidence", ["--start", "2025-03-03", "--procedure", "simple", "--days", "10"], "2025-03-13", "第九十九条"),
    ("enforcement_objection", ["--start", "2025-03-03"], "2025-03-18", "第二百三十六条"),
    ("retrial_review", ["--start", "2025-03-03"], "2025-06-03", "民事诉讼法"),
    ("limitation", ["--start", "2021-03-15"], "2024-03-15", "第一百八十八条"),
]


@pytest.mark.parametrize(("rule", "args", "due", "article"), CASES, ids=[c[0] for c in CASES])
def test_deadline_command_for_issue11_rule(rule, args, due, article):
    out = StringIO()
    call_command("deadline", rule, *args, stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith(f"due={due} regime=")
    assert " citation=" in last and article in last.split(" citation=", 1)[1]
