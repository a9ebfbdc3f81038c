from datetime import date
from decimal import Decimal

import pytest

from suyuan.rules import thresholds

pytestmark = pytest.mark.django_db


def test_small_claims_limit_2023_is_half_of_ningxia_2022_wage():
    # 民事诉讼法（2023年修正）第一百六十五条: 上年度就业人员年平均工资百分之五十以下; 二倍以下可约定.
    limit = thresholds.small_claims_limit(province_code="64", on=date(2023, 6, 1))
    assert limit is not None
    assert limit.wage.year == 2022
    assert limit.amount == Decimal("57315.50")
    assert limit.agreed_max == Decimal("229262")
    assert "第一百六十五条" in limit.citation
    assert "114631" in limit.explain()


def test_small_claims_limit_before_2022_is_thirty_percent_without_agreement():
    # 民事诉讼法（2017年修正）第一百六十二条: 百分之三十以下.
    limit = thresholds.small_claims_limit(province_code="64", on=date(2021, 6, 1))
    assert limit is not None
    assert limit.amount == Decimal("29231.40")
    assert limit.agreed_max is None
    assert "第一百六十二条" in limit.citation


def test_missing_year_is_unknown_not_a_guess():
    assert thresholds.small_claims_limit(province_code="64", on=date(2025, 3, 1)) is None
    assert thresholds.small_claims_limit(province_code="11", on=date(2023, 3, 1)) is None


def test_exclusions_and_other_tests_carry_citations():
    small = {e.code for e in thresholds.small_claims_exclusions(date(2026, 1, 5))}
    assert {"foreign", "appraisal", "counterclaim", "whereabouts_unknown"} <= small
    assert all("第一百六十六条" in e.citation for e in thresholds.small_claims_exclusions(date(2026, 1, 5)))
    simple = thresholds.simple_procedure_exclusions(date(2026, 1, 5))
    assert any(e.code == "numerous_parties" for e in simple)
    assert "第二百五十七条" in simple[0].citation
    assert {g.code for g in thresholds.half_fee_grounds(date(2026, 1, 5))} == {"mediated", "withdrawn", "simple"}
    dishonest = thresholds.dishonest_list_rule(date(2026, 1, 5))
    assert dishonest is not None
    assert (dishonest.listing_years, dishonest.grace_months_min, dishonest.grace_months_max) == (2, 1, 3)
    dup = thresholds.duplicate_suit_test(date(2026, 1, 5))
    assert dup is not None
    assert "第二百四十七条" in dup.citation
    assert [c[0] for c in dup.conditions] == ["same_parties", "same_subject", "same_claims"]


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        # 诉讼费用交纳办法 第十三条第一项: 不超过1万元每件50元; 1万至10万部分2.5%; 10万至20万部分2%; 20万至50万部分1.5%.
        ("8000", "50.00"),
        ("10000", "50.00"),
        ("12000", "100.00"),  # 50 + 2000 × 2.5%
        ("100000", "2300.00"),  # 50 + 90000 × 2.5%
        ("150000", "3300.00"),  # 2300 + 50000 × 2%
        ("300000", "5800.00"),  # 2300 + 2000 + 100000 × 1.5%
        ("30000000", "191800.00"),  # 141800 up to 2000万 + 10,000,000 × 0.5%
    ],
)
def test_acceptance_fee_bands(amount, fee):
    estimate = thresholds.acceptance_fee(Decimal(amount), on=date(2026, 3, 1))
    assert estimate is not None
    assert estimate.full == Decimal(fee)
    assert estimate.half == (Decimal(fee) / 2).quantize(Decimal("0.01"))
    assert "第十三条" in estimate.citation
    assert {code for code, _, _ in estimate.relief_options} == {"defer", "reduce", "waive"}
