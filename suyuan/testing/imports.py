"""Builders for batch-import tests and benchmarks: an institution that files, its rows, the file."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from suyuan.accounts.choices import Role
from suyuan.disputes.importing import HEADERS
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party

from .factories import make_credit_code, make_id_number, make_user

TOWNSHIP = "640202001000"  # 长胜街道, 大武口区: the 大武口 court's jurisdiction


def make_bank(name: str = "石嘴山示范银行股份有限公司", username: str = "bank1"):
    party = Party.objects.create(kind=PartyKind.LEGAL, name=name, credit_code=make_credit_code(), phone="09522012345")
    return make_user(Role.PARTY, party=party, username=username, full_name=name)


def bank_row(bank_user, n: int, **overrides: str) -> dict[str, str]:
    """A good row of a bank's card-debt claim, keyed by the template's Chinese headers."""
    row = {
        "机构内部编号": f"XYK-{n:05d}",
        "纠纷类别": "金融纠纷",
        "发生地区划代码": TOWNSHIP,
        "申请人类型": "法人",
        "申请人名称": bank_user.party.name,
        "申请人证件号码": bank_user.party.credit_code,
        "申请人电话": "0952-2012345",
        "被申请人类型": "自然人",
        "被申请人名称": f"持卡人{n}",
        "被申请人证件号码": make_id_number(birth="19900101"),
        "被申请人电话": "13900000001",
        "被申请人住址": "宁夏石嘴山市大武口区长胜街道某小区1号楼",
        "标的额": "12000.50",
        "诉讼请求": "请求判令被申请人偿还透支本金12000.50元；请求判令被申请人支付逾期利息",
        "事实与理由": "被申请人申领申请人信用卡后透支消费，逾期未还，经多次催收无果。",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict[str, str] | list[str]], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(row if isinstance(row, list) else [row[h] for h in HEADERS])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append([row[h] for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
