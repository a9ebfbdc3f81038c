"""The joint-conference (联席会议) report: the same figures as the screen, as Excel and as PDF."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from suyuan.common.choices import DisputeCategory
from suyuan.common.spreadsheets import neutralise, safe_row
from suyuan.disputes.choices import Channel
from suyuan.documents.rendering import render_pdf

from .enforcement_figures import EnforcementFigures
from .figures import FigureSection
from .indicators import INDICATORS
from .selectors import Dashboard, Ratio


def _n(value: Any) -> Any:
    return "—" if value is None else neutralise(value)


def headline(d: Dashboard) -> list[tuple[str, str, str]]:
    """(indicator, figure as shown, definition key) — the rows every export repeats in this order."""
    t = d.totals
    rate = t.rate
    return [
        ("纠纷登记量（件）", str(t.disputes), "disputes"),
        ("一审民事立案（件）", str(t.registrations), "litigation_rate"),
        ("万人成讼率", "人口数据缺失" if rate is None else str(rate), "litigation_rate"),
        ("诉前化解占比", _ratio(d.pre_suit), "pre_suit"),
        ("非诉调解成功率", _ratio(d.mediation), "mediation_success"),
        ("委托调解成功率", _ratio(d.court_mediation), "court_mediation_success"),
        ("司法确认数（件）", str(d.confirmation.numerator), "confirmation"),
        ("司法确认率", _ratio(d.confirmation), "confirmation"),
        ("自动履行率", _ratio(d.voluntary_performance), "voluntary_performance"),
        ("进入执行案件数（件）", str(d.enforcement), "enforcement"),
    ]


def _ratio(r: Ratio) -> str:
    return f"{r.display}（{r.numerator}/{r.denominator}）"


def definition_text(key: str) -> str:
    i = INDICATORS[key]
    return f"分子：{i.numerator}；分母：{i.denominator}；日期口径：{i.date_basis}。{i.note}"


def filter_label(d: Dashboard) -> str:
    """The dashboard's filters in words ("县（区）：大武口区；纠纷类别：婚姻家庭"), empty when unfiltered."""
    f = d.filters
    parts = []
    if f.county:
        names = {c.code: c.name for c in d.scope.counties}
        parts.append(f"县（区）：{names.get(f.county, f.county)}")
    if f.category:
        parts.append(f"纠纷类别：{dict(DisputeCategory.choices).get(f.category, f.category)}")
    if f.channel:
        parts.append(f"来源渠道：{dict(Channel.choices).get(f.channel, f.channel)}")
    return "；".join(str(p) for p in parts)


def _pct(rate: Any) -> str:
    return "—" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))}%"


def enforcement_rows(e: EnforcementFigures | None) -> list[tuple[str, str]]:
    if e is None:
        return []
    return [
        ("执行立案（件）", f"{e.cases}（已结 {e.concluded}）"),
        ("执行到位率", f"{_pct(e.recovery_rate)}（到位 {e.recovered} 元 / 申请 {e.applied} 元）"),
        ("执行完毕率", _pct(e.completed_rate)),
        ("终本率", _pct(e.round_ended_rate)),
        ("执行和解结案占比", _pct(e.settlement_share)),
        ("立案至首次执行措施平均天数", "—" if e.days_to_first_measure is None else str(e.days_to_first_measure)),
        ("宽限期内履行占比", _pct(e.grace_performed_share)),
    ]


def report_context(d: Dashboard, suggestions: list[Any], *, enforcement: EnforcementFigures | None = None,
                   sections: Sequence[FigureSection] = ()) -> dict[str, Any]:
    return {"d": d, "headline": headline(d), "suggestions": suggestions, "indicators": INDICATORS,
            "filter_label": filter_label(d), "enforcement_rows": enforcement_rows(enforcement),
            "sections": list(sections), "generated_at": timezone.localtime(), "today": timezone.localdate()}


def report_pdf(d: Dashboard, suggestions: list[Any], *, enforcement: EnforcementFigures | None = None,
               sections: Sequence[FigureSection] = ()) -> bytes:
    return render_pdf("governance/pdf/report.html",
                      report_context(d, suggestions, enforcement=enforcement, sections=sections))


def report_xlsx(d: Dashboard, suggestions: list[Any], *, enforcement: EnforcementFigures | None = None,
                sections: Sequence[FigureSection] = ()) -> bytes:
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = "指标"
    ws.append([f"{d.scope.title}诉源治理联席会议报告", d.filters.period_label, filter_label(d) or "全部"])
    ws.append(["指标", "数值", "定义"])
    for name, figure, key in headline(d):
        ws.append(safe_row([name, figure, definition_text(key)]))
    if d.source_note:
        ws.append(["数据来源", "只读副本", d.source_note])

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> None:
        s = wb.create_sheet(title)
        s.append(header)
        for row in rows:
            s.append([_n(v) for v in row])
        for cell in s[1]:
            cell.font = bold

    sheet("万人成讼率", ["县（区）", "常住人口", "人口数据来源", "纠纷登记", "一审民事立案", "万人成讼率"],
          [[c.name, c.population, c.population_source, c.disputes, c.registrations,
            str(c.rate) if c.rate is not None else "人口数据缺失"] for c in d.counties])
    sheet("乡镇热点", ["乡镇（街道）", "县（区）", "纠纷登记", "一审民事立案", "万人成讼率", "主要纠纷类别",
                      "非诉调解成功率"],
          [[t.name, t.county_name, t.disputes, t.registrations,
            str(t.rate) if t.rate is not None else "人口数据缺失", t.top_category, t.mediation.display]
           for t in d.townships])
    sheet("来源渠道", ["来源渠道", "纠纷登记"], [[k, v] for k, v in d.channels])
    sheet("纠纷类别", ["纠纷类别", "纠纷登记"], [[k, v] for k, v in d.categories])
    sheet("月度趋势", ["月份", "纠纷登记", "上年同月", "同比（%）", "一审民事立案", "上年同月立案"],
          [[r.label, r.disputes, r.disputes_last_year, str(r.yoy) if r.yoy is not None else None, r.registrations,
            r.registrations_last_year] for r in d.trend])
    sheet("阶段用时", ["阶段", "件次", "平均用时（天）", "第90百分位（整日）"],
          [[s.label, s.n, str(s.avg_days) if s.avg_days is not None else None,
            str(s.p90_days) if s.p90_days is not None else None] for s in d.stages])
    perf_header = ["名称", "调解成功", "调解不成", "调解成功率", "已履行完毕", "逾期或申请执行", "履行中", "履行保持率"]
    for title, rows in (("调解员成效", d.mediators), ("调解组织成效", d.organisations)):
        sheet(title, perf_header, [[r.name, r.settled, r.failed, r.success.display, r.performed, r.broken,
                                    r.performing, r.holding.display] for r in rows])
    sheet("网格员工作量", ["网格员", "登记纠纷", "跟进记录"],
          [[g.name, g.recorded, g.follow_ups] for g in d.grid_workers])
    sheet("司法建议", ["编号", "标题", "建议对象", "跟踪责任人", "回复期限", "状态"],
          [[s.number, s.title, s.addressee, s.owner.display_name, s.deadline.isoformat(), s.get_status_display()]
           for s in suggestions])
    if enforcement is not None:
        sheet("执行指标", ["指标", "数值"], [list(r) for r in enforcement_rows(enforcement)])
    taken = set(wb.sheetnames)
    for section in sections:
        for table in section.tables:
            name = table.title[:31]
            while name in taken:  # Excel sheet names are unique and at most 31 characters
                name = f"{name[:28]}{len(taken)}"
            taken.add(name)
            sheet(name, list(table.headings), [list(r) for r in table.rows])
    for cell in ws[2]:
        cell.font = bold
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
