"""Every governance indicator, defined once: what is counted, over what, on which date.

The dashboard, the joint-conference report (screen, Excel and PDF) and the tests all read these
definitions; the figures come from ``selectors``. Periods are whole calendar months in Beijing
time (Asia/Shanghai); an event belongs to the month in which it was written on the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    numerator: str
    denominator: str
    date_basis: str
    note: str = ""


INDICATORS: dict[str, Indicator] = {i.key: i for i in [
    Indicator(
        "litigation_rate", "万人成讼率",
        "期间内登记立案的一审民事案件数（民初，案件“登记立案”事件）；"
        "本系统不受理行政案件，行政一审（行初）不在其中",
        "常住人口（万人），取自区划数据所载来源（第七次全国人口普查）；乡镇（街道）无官方人口数据时不计算",
        "立案登记之日所在月份",
        "按纠纷发生地所在县（区）、乡镇（街道）归属；期间不足一年时为该期间内的比率，未年化。",
    ),
    Indicator(
        "disputes", "纠纷登记量",
        "期间内登记的纠纷数（“纠纷登记”事件），按来源渠道、县（区）、乡镇（街道）、纠纷类别分列", "—",
        "纠纷登记之日所在月份",
    ),
    Indicator(
        "mediation_success", "非诉调解成功率",
        "调解委派以“调解协议生效，调解成功”结束的件数",
        "调解委派以“调解成功”或“终止调解（调解不成）”结束的件数（撤回的不计入）",
        "调解结束之日所在月份",
    ),
    Indicator(
        "pre_suit", "诉前化解占比",
        "非诉调解成功的调解委派数（调解委派以“调解协议生效，调解成功”结束）",
        "同期非诉调解成功数与登记立案的一审民事案件数之和",
        "调解结束之日或立案登记之日所在月份",
        "衡量纠纷在起诉前化解的比重；调解不成后起诉的纠纷只计入分母中的立案。",
    ),
    Indicator(
        "court_mediation_success", "委托调解成功率",
        "立案后委托调解以“调解成功，以其他方式结案”结束的案件数",
        "委托调解以调解成功或“调解不成，转入审理”（含期限届满转审）结束的案件数",
        "委托调解结束之日所在月份",
    ),
    Indicator(
        "confirmation", "司法确认数与确认率",
        "裁定确认调解协议有效的司法确认申请数",
        "已作出裁定的司法确认申请数（确认有效、驳回申请、不予受理）",
        "裁定之日所在月份",
    ),
    Indicator(
        "voluntary_performance", "自动履行率",
        "履行完毕（未申请强制执行）的履行方案数，含逾期后又履行完毕的",
        "履行终结的履行方案数：履行完毕或申请强制执行",
        "履行完毕确认或申请强制执行之日所在月份",
    ),
    Indicator(
        "enforcement", "进入执行案件数",
        "期间内申请强制执行的履行方案数（即新立执行案件数）", "—",
        "申请强制执行之日所在月份",
    ),
    Indicator(
        "recovery_rate", "执行到位率",
        "期间内执行立案的案件已执行到位金额之和",
        "这些案件申请执行的金额之和",
        "执行立案之日所在月份",
        "按执行立案时间统计；含尚未结案的案件。",
    ),
    Indicator(
        "completed_rate", "执行完毕率",
        "期间内执行立案、以“执行完毕”结案的案件数",
        "这些案件中已结案的案件数（含终结本次执行程序）",
        "执行立案之日所在月份",
    ),
    Indicator(
        "durations", "各阶段平均用时与第90百分位用时",
        "纠纷在该阶段停留的时长之和（自进入该阶段的时间线事件至离开该阶段的事件，按秒计），平均用时以天计、保留一位小数",
        "期间内离开该阶段的停留次数；第90百分位按整日数（不足一日的部分舍去）取最近秩法，即升序第⌈0.9n⌉次停留的整日数",
        "离开该阶段之日所在月份",
        "期末仍停留在该阶段的纠纷不计入。",
    ),
    Indicator(
        "mediator_performance", "调解员与调解组织成效",
        "调解成功件数；其中履行方案已履行完毕件数、逾期未履行或申请强制执行件数",
        "调解成功件数（“履行保持率” = 已履行完毕 ÷（已履行完毕 + 逾期或申请执行），尚在履行中的不计入）",
        "调解委派办结之日所在月份；履行结果取统计时的最新状态",
    ),
    Indicator(
        "grid_activity", "网格员工作量",
        "网格员登记的纠纷数、填写的跟进记录数", "—",
        "事件写入时间线之日所在月份",
    ),
    Indicator(
        "trend", "月度趋势与同比",
        "每月纠纷登记量、立案量", "上年同月的同一数值（同比增幅 =（本月 − 上年同月）÷ 上年同月）",
        "事件所在月份",
        "上年同月为零时不计算同比。",
    ),
]}
