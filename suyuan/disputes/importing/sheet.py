"""Reading a batch file: CSV (UTF-8 with or without BOM, GB18030) or XLSX, checked against the template."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from suyuan.common.errors import InvalidInput


@dataclass(frozen=True)
class Column:
    key: str
    header: str


# The template, in order. Headers are what a clerk sees; keys are what the code uses.
COLUMNS: tuple[Column, ...] = (
    Column("ref", "机构内部编号"),
    Column("category", "纠纷类别"),
    Column("region_code", "发生地区划代码"),
    Column("applicant_kind", "申请人类型"),
    Column("applicant_name", "申请人名称"),
    Column("applicant_identity", "申请人证件号码"),
    Column("applicant_phone", "申请人电话"),
    Column("respondent_kind", "被申请人类型"),
    Column("respondent_name", "被申请人名称"),
    Column("respondent_identity", "被申请人证件号码"),
    Column("respondent_phone", "被申请人电话"),
    Column("respondent_address", "被申请人住址"),
    Column("amount", "标的额"),
    Column("claims", "诉讼请求"),
    Column("description", "事实与理由"),
)
HEADERS = tuple(c.header for c in COLUMNS)
KEY_BY_HEADER = {c.header: c.key for c in COLUMNS}
IDENTITY_KEYS = frozenset({"applicant_identity", "respondent_identity"})


@dataclass
class SheetRow:
    """One data row: its spreadsheet row number, its values by column key, or why it is unreadable."""

    number: int
    values: dict[str, str] = field(default_factory=dict)
    numeric_identity: frozenset[str] = frozenset()  # identity cells stored as (imprecise) numbers
    problem: str = ""


def read_sheet(content: bytes, name: str) -> list[SheetRow]:
    """Parse the file into data rows; raise ``InvalidInput`` (Chinese) when it cannot be read at all."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        records = list(_xlsx_records(content))
    elif extension == "csv":
        records = list(_csv_records(content))
    else:
        raise file_error("不支持的文件类型，请使用模板中的 XLSX 或 CSV 文件。")
    if not records or not any(_text(c) for c in records[0][1]):
        raise file_error("文件第 1 行应为表头，但该行为空。请使用模板填写，不要删除表头行。")
    header = records[0][1]
    positions = _header_positions(header)
    header_width = max(i for i, c in enumerate(header) if _text(c)) + 1
    rows: list[SheetRow] = []
    for number, cells in records[1:]:
        if not any(_text(c) for c in cells):
            continue  # Blank lines between rows are common in hand-edited files; not a row at all.
        rows.append(_sheet_row(number, cells, positions, header_width if extension == "csv" else None))
    if not rows:
        raise file_error("文件只有表头，没有数据行。")
    return rows


def file_error(message: str) -> InvalidInput:
    return InvalidInput(message, errors={"file": [message]})


def _decode_csv(content: bytes) -> str:
    # A BOM says UTF-8 for sure. Without one, strict UTF-8 rarely succeeds by accident on GB18030
    # text, so UTF-8 is tried first and GB18030 (what Chinese Excel writes for "CSV") second.
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise file_error("文件编码无法识别，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入。") from exc
    for encoding in ("utf-8", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error("文件编码无法识别，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入。")


def _csv_records(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode_csv(content)
    if "\x00" in text:
        raise file_error("文件内容不是文本格式的 CSV，请使用模板重新填写。")
    try:
        # One CSV record is one spreadsheet row even when a quoted cell holds line breaks, so the
        # record index (not the text line) is the row number a clerk sees in Excel.
        yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    except csv.Error as exc:
        raise file_error("CSV 文件格式错误（可能有未闭合的引号），无法读取。") from exc


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook  # heavy; only needed for XLSX

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt or foreign file
        raise file_error("无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏（旧版 .xls 请另存为 .xlsx）。") from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    except Exception as exc:
        raise file_error("无法读取该 Excel 文件的内容，请确认文件未损坏。") from exc
    finally:
        workbook.close()


def _text(value: Any) -> str:
    """A cell as the clerk typed it: whole numbers without ``.0``, dates as ISO, text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\ufeff", "").strip()


def _normalise_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", _text(value))
    text = "".join(text.split())
    for marker in ("(必填)", "(选填)", "*"):
        text = text.replace(marker, "")
    return text


def _header_positions(cells: list[Any]) -> dict[str, int]:
    positions: dict[str, int] = {}
    repeated: list[str] = []
    for index, cell in enumerate(cells):
        key = KEY_BY_HEADER.get(_normalise_header(cell))
        if key is None:
            continue  # Extra columns (e.g. a bank's own 备注) are ignored, not an error.
        if key in positions:
            repeated.append(_normalise_header(cell))
        positions[key] = index
    missing = [c.header for c in COLUMNS if c.key not in positions]
    if missing or repeated:
        parts = []
        if missing:
            parts.append("缺少列：" + "、".join(missing))
        if repeated:
            parts.append("重复的列：" + "、".join(repeated))
        raise file_error(f"表头与模板不符（{'；'.join(parts)}）。请下载最新模板，保留第 1 行表头后填写。")
    return positions


def _sheet_row(number: int, cells: list[Any], positions: dict[str, int], header_width: int | None) -> SheetRow:
    """``header_width`` is given for CSV only, where a row's cell count is meaningful."""
    needed = max(positions.values()) + 1
    if header_width is not None and len(cells) < needed:
        # A CSV line with too few cells is a broken line (a lost comma or quote), not empty cells:
        # importing it would shift every value into the wrong column.
        return SheetRow(
            number, problem=f"本行只有 {len(cells)} 列，表头为 {header_width} 列，可能缺少分隔符（逗号）或引号未闭合。"
        )
    if header_width is not None and any(_text(c) for c in cells[header_width:]):
        return SheetRow(
            number,
            problem=f"本行有 {len(cells)} 列，多于表头的 {header_width} 列，单元格中的逗号须用英文双引号括起。",
        )
    values: dict[str, str] = {}
    numeric: set[str] = set()
    for key, index in positions.items():
        cell = cells[index] if index < len(cells) else None
        values[key] = _text(cell)
        if key in IDENTITY_KEYS and isinstance(cell, float) and abs(cell) >= 1e15:
            # Excel keeps 15 significant digits: an 18-digit number typed into a number cell has
            # already lost its last digits, whatever the check digit now says.
            numeric.add(key)
    return SheetRow(number, values=values, numeric_identity=frozenset(numeric))
