"""Each legal period against a hand-computed date, citing the article it checks.

Holidays come from the State Council schedules (国务院办公厅关于部分节假日安排的通知) as carried
by chinese_calendar: 2022 春节 1.31–2.6; 2025 春节 1.28–2.4 (2.8 Sat worked); 2026 春节 2.15–2.23
(2.14 and 2.28 Sat worked); 2026 国庆 10.1–10.7 (10.10 Sat worked).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from suyuan.common.errors import InvalidInput
from suyuan.rules import periods
from suyuan.rules.calendar import CalendarUnknown, is_working_day
from suyuan.rules.periods import CHINA

D = date.fromisoformat


@pytest.mark.parametrize(
    ("rule", "start", "procedure", "extended", "due", "article"),
    [
        # 民事诉讼法 第一百二十六条: 七日内立案. Ends on 国庆 → first working day after it.
        ("registration", "2026-09-24", None, False, "2026-10-08", "第一百二十六条"),
        # Ends on a 调休 working Saturday: not moved.
        ("registration", "2026-10-03", None, False, "2026-10-10", "第一百二十六条"),
        # Ends on an ordinary Saturday: moved to Monday.
        ("registration", "2026-03-07", None, False, "2026-03-16", "第一百二十六条"),
        # 民事诉讼法 第二百零五条: 三十日内申请司法确认. Ends inside 春节 2026 → 2.24.
        ("confirmation_application", "2026-01-16", None, False, "2026-02-24", "第二百零五条"),
        # 法释〔2011〕5号 第三条: 三日内决定是否受理.
        ("confirmation_acceptance", "2026-06-01", None, False, "2026-06-04", "第三条"),
        # 法释〔2011〕5号 第六条: 十五日内作出决定，可延长十日.
        ("confirmation_ruling", "2026-06-01", None, False, "2026-06-16", "第六条"),
        ("confirmation_ruling", "2026-06-01", None, True, "2026-06-26", "第六条"),
        # 民事诉讼法 第一百六十八条: 小额诉讼两个月审结. 12.31 + 2 months → no 2.31 → 2.28 (a worked Saturday).
        ("small_claims_trial", "2025-12-31", None, False, "2026-02-28", "第一百六十八条"),
        ("small_claims_trial", "2025-12-31", None, True, "2026-03-31", "第一百六十八条"),
        # 民事诉讼法 第一百六十四条: 简易程序三个月，可延长一个月.
        ("simple_trial", "2026-05-31", None, False, "2026-08-31", "第一百六十四条"),
        ("simple_trial", "2026-05-31", None, True, "2026-09-30", "第一百六十四条"),
        # 民事诉讼法 第一百五十二条: 普通程序六个月，可延长六个月.
        ("ordinary_trial", "2025-03-10", None, False, "2025-09-10", "第一百五十二条"),
        ("ordinary_trial", "2025-03-10", None, True, "2026-03-10", "第一百五十二条"),
        # 诉讼费用交纳办法 第二十二条: 七日内交纳.
        ("fee_payment", "2026-06-01", None, False, "2026-06-08", "第二十二条"),
        # 民事诉讼法 第一百零四条: 诉前保全后三十日内不起诉的，解除保全.
        ("preservation_lapse", "2026-06-01", None, False, "2026-07-01", "第一百零四条"),
        # 民事诉讼法（2023年修正）第二百五十条: 申请执行期间二年. 2026-03-15 is a Sunday.
        ("enforcement_application", "2024-03-15", None, False, "2026-03-16", "第二百五十条"),
        # 民事诉讼法（2023年修正）第二百一十六条: 六个月内申请再审.
        ("retrial_application", "2026-01-20", None, False, "2026-07-20", "第二百一十六条"),
        # 民事诉讼法 第九十五条: 公告三十日视为送达; ends 2022-01-31, 春节 → 2.7.
        ("service_by_publication", "2022-01-01", None, False, "2022-02-07", "第九十五条"),
        # Before 2022 (2017 text, 第九十二条): sixty days.
        ("service_by_publication", "2021-12-31", None, False, "2022-03-01", "第九十二条"),
    ],
)
def test_period(rule, start, procedure, extended, due, article):
    deadline = periods.compute(rule, start=D(start), procedure=procedure, extended=extended)
    assert deadline.due == D(due)
    assert article in deadline.citation


def test_hour_periods_run_through_holidays():
    # 民事诉讼法 第一百零四条: 诉前保全，四十八小时内作出裁定 — hours are not moved for 国庆.
    start = datetime(2026, 9, 30, 16, 0, tzinfo=CHINA)
    deadline = periods.compute("preservation_ruling", start=start)
    assert deadline.due == datetime(2026, 10, 2, 16, 0, tzinfo=CHINA)
    assert "第一百零四条" in deadline.citation


class TestRegimeBoundary:
    """最高人民法院关于严格依法规范民事案件立案与调解工作的意见, in force 2025-01-01."""

    def test_last_day_of_the_old_regime_is_thirty_days(self):
        deadline = periods.compute("court_mediation", start=D("2024-12-31"))
        assert deadline.regime.startswith("2025年前")
        assert deadline.due == D("2025-02-05")  # 1.30 falls in 春节 2025 (1.28–2.4)

    def test_pre_filing_referral_exists_until_2024_12_31(self):
        assert periods.compute("pre_filing_mediation", start=D("2024-12-31")).due == D("2025-02-05")

    def test_pre_filing_referral_is_refused_from_2025_01_01(self):
        with pytest.raises(InvalidInput, match="没有“pre_filing_mediation”期间"):
            periods.compute("pre_filing_mediation", start=D("2025-01-01"))

    @pytest.mark.parametrize(("procedure", "due"), [("ordinary", "2025-01-16"), ("simple", "2025-01-08"),
                                                    ("small_claims", "2025-01-08")])
    def test_new_regime_fifteen_or_seven_days_from_signed_receipt(self, procedure, due):
        deadline = periods.compute("court_mediation", start=D("2025-01-01"), procedure=procedure)
        assert deadline.due == D(due)
        assert "2025年起" in deadline.regime

    def test_new_regime_extension_by_thirty_days(self):
        # 15 + 30 = 45 days from 2025-01-01 → 2025-02-15, a Saturday → Monday 2.17.
        deadline = periods.compute("court_mediation", start=D("2025-01-01"), procedure="ordinary", extended=True)
        assert deadline.due == D("2025-02-17")

    def test_new_regime_needs_the_procedure(self):
        with pytest.raises(InvalidInput, match="请指定程序"):
            periods.compute("court_mediation", start=D("2025-01-01"))


def test_unknown_rule_and_unextendable_rule_are_refused():
    with pytest.raises(InvalidInput, match="没有名为"):
        periods.compute("no_such_rule", start=D("2026-01-05"))
    with pytest.raises(InvalidInput, match="没有法定的延长规定"):
        periods.compute("registration", start=D("2026-01-05"), extended=True)


def test_a_year_the_holiday_calendar_does_not_cover_gives_a_provisional_earliest_date():
    # 2026-06-15 + 12 months = 2027-06-15, a Tuesday: not moved, but flagged provisional.
    deadline = periods.compute("ordinary_trial", start=D("2026-06-15"), extended=True)
    assert deadline.due == D("2027-06-15")
    assert deadline.provisional
    # 2025-10-01 + 2 years ends on 国庆 2027 (a fixed-date holiday, 10.1–10.3, then a weekend).
    later = periods.compute("enforcement_application", start=D("2025-10-01"))
    assert later.due == D("2027-10-04")
    assert later.provisional
    assert not periods.compute("registration", start=D("2026-06-01")).provisional
    with pytest.raises(CalendarUnknown):
        is_working_day(D("2027-06-15"))


def test_every_rule_named_by_the_operator_interface_exists():
    required = {
        "registration", "confirmation_application", "confirmation_acceptance", "confirmation_ruling",
        "pre_filing_mediation", "court_mediation", "small_claims_trial", "simple_trial", "ordinary_trial",
        "fee_payment", "preservation_ruling", "preservation_lapse", "enforcement_application",
        "retrial_application", "service_by_publication",
    }
    assert required <= set(periods.rule_names())
    for rule in periods.all_rules():
        assert rule.citation.startswith("《"), rule


def test_template_tag_quotes_the_period_in_force(monkeypatch):
    from django.template import Context, Template
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: D("2025-06-03"))
    text = Template(
        '{% load legal_periods %}{% period "registration" %}|{% period "court_mediation" "simple" %}|'
        '{% period "court_mediation" "ordinary" True %}|{% period "confirmation_ruling" %}'
    ).render(Context())
    assert text == "7日|7日|30日|15日"
    monkeypatch.setattr(timezone, "localdate", lambda: D("2024-06-03"))
    # Before 2025-01-01 court-referred mediation was 30 days, whatever the procedure.
    assert Template('{% load legal_periods %}{% period "court_mediation" "simple" %}').render(Context()) == "30日"
