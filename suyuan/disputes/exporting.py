"""Excel export of dispute lists. Personal data never leaves unmasked through an export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from django.utils import timezone
from openpyxl import Workbook

from suyuan.common.spreadsheets import safe_row
from suyuan.network.selectors import region_label

from .models import Dispute

HEADERS = ["纠纷编号", "纠纷名称", "类别", "状态", "来源渠道", "发生地", "管辖法院", "标的额（元）",
           "申请人", "被申请人", "申请人联系电话", "登记时间"]


def disputes_workbook(disputes: Iterable[Dispute], out: BinaryIO) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("纠纷清单")
    ws.append(HEADERS)
    count = 0
    rows = disputes.prefetch_related("dispute_parties__party").select_related(  # type: ignore[attr-defined]
        "region__parent__parent__parent", "court"
    )
    for d in rows:
        applicants = [dp.party for dp in d.dispute_parties.all() if dp.role == "applicant"]
        respondents = [dp.party for dp in d.dispute_parties.all() if dp.role == "respondent"]
        ws.append(safe_row([
            d.number, d.summary, d.get_category_display(), d.get_status_display(), d.get_channel_display(),
            region_label(d.region), d.court.name, float(d.amount) if d.amount is not None else None,
            "、".join(p.name for p in applicants), "、".join(p.name for p in respondents),
            "、".join(p.masked_phone for p in applicants),
            timezone.localtime(d.created_at).strftime("%Y-%m-%d %H:%M"),
        ]))
        count += 1
    wb.save(out)
    return count
