"""Edges of the issue-11 periods owned here: answer, evidence (bounded), limitation."""

from datetime import date

import pytest

from suyuan.common.errors import InvalidInput
from suyuan.rules import periods


def test_answer_fifteen_days_last_day_counted_from_the_day_after_receipt():
    d = periods.compute("answer", start=date(2025, 3, 3))
    assert d.due == date(2025, 3, 18)
    assert "第一百二十八条" in d.citation


def test_answer_last_day_on_national_day_moves_to_the_first_working_day():
    d = periods.compute("answer", start=date(2024, 9, 16))
    assert d.nominal == date(2024, 10, 1)
    assert d.due == date(2024, 10, 8)


def test_answer_regime_boundary_2022():
    assert "第一百二十五条" in periods.compute("answer", start=date(2021, 12, 31)).citation
    assert "第一百二十八条" in periods.compute("answer", start=date(2022, 1, 1)).citation


def test_evidence_needs_a_procedure():
    with pytest.raises(InvalidInput, match="请指定程序"):
        periods.compute("evidence", start=date(2025, 3, 3))


@pytest.mark.parametrize(
    ("procedure", "days", "due"),
    [("ordinary", 15, date(2025, 3, 18)), ("ordinary", 30, date(2025, 4, 2)),
     ("simple", 15, date(2025, 3, 18)), ("simple", 1, date(2025, 3, 4)),
     ("small_claims", 7, date(2025, 3, 10))],
)
def test_evidence_choice_within_the_bound(procedure, days, due):
    d = periods.compute("evidence", start=date(2025, 3, 3), procedure=procedure, days=days)
    assert d.due == due
    assert d.days == days
    assert "第九十九条" in d.citation


@pytest.mark.parametrize(("procedure", "days"), [("ordinary", 14), ("simple", 16), ("small_claims", 8),
                                                 ("simple", 0)])
def test_evidence_choice_outside_the_bound_is_refused_naming_the_rule(procedure, days):
    with pytest.raises(InvalidInput, match="第九十九条") as exc:
        periods.compute("evidence", start=date(2025, 3, 3), procedure=procedure, days=days)
    assert "不符合规定" in exc.value.message


def test_evidence_without_a_choice_uses_the_bound():
    assert periods.compute("evidence", start=date(2025, 3, 3), procedure="small_claims").due == date(2025, 3, 10)
    assert periods.compute("evidence", start=date(2025, 3, 3), procedure="ordinary").due == date(2025, 3, 18)


def test_evidence_small_claims_article_by_regime():
    assert "第二百七十五条" in periods.compute("evidence", start=date(2022, 4, 10), procedure="small_claims").citation
    assert "第二百七十七条" in periods.compute("evidence", start=date(2022, 4, 9), procedure="small_claims").citation


def test_days_refused_for_a_fixed_period():
    with pytest.raises(InvalidInput, match="法定固定期间"):
        periods.compute("answer", start=date(2025, 3, 3), days=10)


def test_limitation_three_years_under_the_civil_code():
    d = periods.compute("limitation", start=date(2021, 3, 15))
    assert d.due == date(2024, 3, 15)
    assert d.regime == "民法典"
    assert "民法典》第一百八十八条" in d.citation


def test_limitation_last_day_in_spring_festival_moves_to_the_day_after_the_holiday():
    # 2021-02-12 + 3 years = 2024-02-12, inside the 2024 Spring Festival holiday (02-10 … 02-17);
    # 民法典 第二百零三条: the day after the holiday ends. 2024-02-18 was a 调休 working Sunday.
    d = periods.compute("limitation", start=date(2021, 2, 12))
    assert d.nominal == date(2024, 2, 12)
    assert d.due == date(2024, 2, 18)
    assert "第二百零三条" in d.citation


def test_limitation_regime_boundaries():
    assert periods.compute("limitation", start=date(2020, 12, 31)).regime == "民法总则"
    assert periods.compute("limitation", start=date(2021, 1, 1)).regime == "民法典"
    assert periods.compute("limitation", start=date(2017, 10, 1)).regime == "民法总则"


def test_limitation_two_years_expired_before_the_general_provisions_stays_two_years():
    d = periods.compute("limitation", start=date(2015, 6, 10))
    assert d.regime == "民法通则"
    assert d.due == date(2017, 6, 12)  # 2017-06-10 was a Saturday
    assert "民法通则》第一百三十五条" in d.citation


def test_limitation_two_years_still_running_on_2017_10_01_becomes_three():
    d = periods.compute("limitation", start=date(2016, 1, 10))
    assert d.due == date(2019, 1, 10)
    assert d.regime.startswith("民法总则")
    assert "法释〔2018〕12号" in d.citation


def test_limitation_carry_over_boundary_day():
    # 2015-10-08 + 2 years = 2017-10-08, on/after 2017-10-01: still running → three years.
    assert periods.compute("limitation", start=date(2015, 10, 8)).due == date(2018, 10, 8)
    # 2015-09-28 + 2 years = 2017-09-28, before 2017-10-01: expired under 民法通则.
    assert periods.compute("limitation", start=date(2015, 9, 28)).due == date(2017, 9, 28)
