"""Batch filing by institutions: read a CSV/XLSX in the documented template and record every row.

The template is ``docs/templates/batch_import_template.{csv,xlsx}`` (documented in
``docs/batch-import.md``). Each data row becomes one ``DisputeInput`` on the ``BATCH`` channel and
goes through ``record_dispute`` like any other intake, so validation, party resolution, numbering
and the RECORDED timeline event are the same as at the window. What this package adds:

* ``sheet``: reading the file (UTF-8 with or without BOM, GB18030 as Chinese Excel writes it,
  XLSX) and checking the header row against the template;
* ``rows``: mapping a row onto the intake input, its ``source_ref`` (the filer and the
  institution's own reference, or a digest of the row, so importing a file twice records nothing
  new), its reasons in a clerk's words, and who may import;
* ``jobs``: running a job with progress, a per-row report with the spreadsheet row number a clerk
  sees (header = row 1) and never the row's personal data, and one audit entry per job.
"""

from .jobs import (
    PROGRESS_EVERY,
    check_import_file,
    create_import_job,
    get_own_import_job,
    own_import_jobs,
    register_import_finished,
    report_csv,
    report_xlsx,
    run_import,
    start_import,
)
from .rows import check_can_import, filer_identity, flatten_errors, row_digest, row_to_input, source_ref_for
from .sheet import COLUMNS, HEADERS, SheetRow, read_sheet

__all__ = [
    "COLUMNS",
    "HEADERS",
    "PROGRESS_EVERY",
    "SheetRow",
    "check_can_import",
    "check_import_file",
    "create_import_job",
    "filer_identity",
    "flatten_errors",
    "get_own_import_job",
    "own_import_jobs",
    "read_sheet",
    "register_import_finished",
    "report_csv",
    "report_xlsx",
    "row_digest",
    "row_to_input",
    "run_import",
    "source_ref_for",
    "start_import",
]
