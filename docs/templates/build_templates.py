"""Regenerate the batch-import templates from ``suyuan.disputes.importing.COLUMNS``.

    .venv/bin/python docs/templates/build_templates.py

Writes ``batch_import_template.csv`` (UTF-8 with BOM, so Excel shows the Chinese headers) and
``batch_import_template.xlsx`` (identity and code columns formatted as text, drop-down lists for
the category and party types, a second sheet with instructions). The example row is fictitious;
its identity numbers only have valid check digits.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402
from openpyxl.worksheet.datavalidation import DataValidation  # noqa: E402

from suyuan.common.choices import DisputeCategory  # noqa: E402
from suyuan.disputes.importing import COLUMNS, HEADERS  # noqa: E402

EXAMPLE = {
    "ref": "XYK-2026-000001",
    "category": "金融纠纷",
    "region_code": "640202001000",
    "applicant_kind": "法人",
    "applicant_name": "示例银行股份有限公司",
    "applicant_identity": "91640202MA7F2B3C18",
    "applicant_phone": "0952-2012345",
    "respondent_kind": "自然人",
    "respondent_name": "张某某",
    "respondent_identity": "640202198503120012",
    "respondent_phone": "13900000001",
    "respondent_address": "宁夏石嘴山市大武口区长胜街道某小区1号楼1单元101室",
    "amount": "35218.60",
    "claims": "请求判令被申请人偿还信用卡透支本金32000元；请求判令被申请人支付利息及违约金3218.60元",
    "description": (
        "被申请人于2023年5月在申请人处申领信用卡，截至2025年12月31日尚欠透支本金及利息共计35218.60元，"
        "经多次催收仍未归还。"
    ),
}
TEXT_COLUMNS = {
    "ref",
    "region_code",
    "applicant_identity",
    "applicant_phone",
    "respondent_identity",
    "respondent_phone",
}
REQUIRED = {c.key for c in COLUMNS} - {"ref", "respondent_phone", "respondent_address", "amount"}
NOTES = [
    (
        "机构内部编号",
        "选填。本机构对该笔纠纷的唯一编号（不超过 100 个字符）。填写后，同一编号重复导入不会重复登记；"
        "不填则按整行内容判断是否重复。",
    ),
    (
        "纠纷类别",
        "必填。可选："
        + "、".join(str(c.label) for c in DisputeCategory)
        + "。信用卡、贷款纠纷填“金融纠纷”或“借贷债务”。",
    ),
    ("发生地区划代码", "必填。12 位统计用区划代码，精确到乡镇（街道），如 640202001000（大武口区长胜街道）。"),
    ("申请人类型/被申请人类型", "必填。自然人、法人或非法人组织。"),
    (
        "申请人证件号码/被申请人证件号码",
        "必填。自然人填 18 位公民身份号码，法人和非法人组织填 18 位统一社会信用代码。请保持单元格为文本格式。",
    ),
    ("申请人", "机构自行导入时，申请人须为本机构本身；法院立案人员代机构导入时，申请人须为法人或非法人组织。"),
    ("申请人电话", "必填。手机号或带区号的固定电话。"),
    ("被申请人电话/住址", "选填，便于送达和调解联系。"),
    ("标的额", "选填。单位：元，最多两位小数，不能为负数。"),
    ("诉讼请求", "必填。多项请求用中文分号“；”或换行分隔。"),
    ("事实与理由", "必填。不少于 10 个字，不超过 5000 字。"),
    ("其他", "第 1 行为表头，请勿修改或删除；从第 2 行起每行一件纠纷。示例行（第 2 行）为虚构数据，导入前请删除。"),
]


def build_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow([EXAMPLE[c.key] for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def build_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "纠纷"
    sheet.append(list(HEADERS))
    sheet.append([EXAMPLE[c.key] for c in COLUMNS])
    required_fill = PatternFill("solid", fgColor="FDE2E2")
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        if column.key in REQUIRED:
            header.fill = required_fill
        sheet.column_dimensions[letter].width = 40 if column.key in {"claims", "description"} else 20
        if column.key in TEXT_COLUMNS:
            # Text format for the whole column: Excel would otherwise turn an 18-digit number into
            # 6.40202E+17 and lose its last digits.
            for row in range(2, 5001):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.key in {"claims", "description"}:
            sheet.cell(row=2, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    letters = {c.key: sheet.cell(row=1, column=i).column_letter for i, c in enumerate(COLUMNS, start=1)}
    categories = DataValidation(
        type="list", formula1='"' + ",".join(str(c.label) for c in DisputeCategory) + '"', allow_blank=True
    )
    kinds = DataValidation(type="list", formula1='"自然人,法人,非法人组织"', allow_blank=True)
    sheet.add_data_validation(categories)
    sheet.add_data_validation(kinds)
    categories.add(f"{letters['category']}2:{letters['category']}5000")
    for key in ("applicant_kind", "respondent_kind"):
        kinds.add(f"{letters[key]}2:{letters[key]}5000")
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for item in NOTES:
        notes.append(list(item))
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 100
    notes["A1"].font = notes["B1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    (HERE / "batch_import_template.csv").write_bytes(build_csv())
    (HERE / "batch_import_template.xlsx").write_bytes(build_xlsx())
    print("wrote", HERE / "batch_import_template.csv", HERE / "batch_import_template.xlsx")  # noqa: T201
