"""Small claims (CPL 2023 art. 165/166), simple procedure (art. 160; 民诉法解释 art. 257), complexity."""

from datetime import date
from decimal import Decimal

import pytest

from suyuan.triage.choices import Path, Track
from suyuan.triage.track import TriageFacts, propose_track

ON = date(2023, 6, 1)  # the 2022 Ningxia wage 114,631 yuan applies: limit 50 % = 57,315.50
LIMIT = Decimal("57315.50")


def facts(amount="10000", text="借款到期未还。", cause="民间借贷纠纷", parties=2, category="debt"):
    return TriageFacts(amount=Decimal(amount) if amount is not None else None, cause=cause, category=category,
                       parties=parties, text=text, province_code="64", on=ON)


@pytest.mark.django_db
def test_small_claims_at_the_limit_and_one_cent_above():
    assert propose_track(facts(amount=str(LIMIT))).track == Track.SMALL_CLAIMS
    above = propose_track(facts(amount=str(LIMIT + Decimal("0.01"))))
    assert above.track == Track.SIMPLE
    assert any("第一百六十五条" in f.citation for f in above.small_claims)
    assert any("57315.50" in f.value for f in above.small_claims)


@pytest.mark.django_db
@pytest.mark.parametrize(("kwargs", "label"), [
    ({"cause": "离婚纠纷", "category": "family"}, "人身关系、财产确权案件"),
    ({"text": "被告系外籍人士。"}, "涉外案件"),
    ({"text": "需对房屋质量进行鉴定。"}, "需要评估、鉴定"),
    ({"text": "被告下落不明。"}, "一方当事人下落不明"),
    ({"text": "被告提出反诉。"}, "当事人提出反诉"),
])
def test_each_small_claims_exclusion_of_article_166(kwargs, label):
    result = propose_track(facts(**kwargs))
    assert result.track != Track.SMALL_CLAIMS
    hit = [f for f in result.small_claims if label in f.label]
    assert hit and "第一百六十六条" in hit[0].citation and hit[0].value


@pytest.mark.django_db
def test_simple_procedure_exclusions():
    gone = propose_track(facts(amount="200000", text="被告下落不明。"))
    assert gone.track == Track.ORDINARY
    assert any("起诉时被告下落不明" in f.label and "第二百五十七条" in f.citation for f in gone.simple)
    many = propose_track(facts(amount="200000", parties=12))
    assert many.track == Track.ORDINARY
    assert any("人数众多" in f.label for f in many.simple)
    plain = propose_track(facts(amount="200000"))
    assert plain.track == Track.SIMPLE and "第一百六十条" in plain.simple[0].citation


@pytest.mark.django_db
def test_every_complexity_factor_is_shown_and_path_follows():
    result = propose_track(facts(amount="2000000", cause="建设工程施工合同纠纷", text="涉外，需鉴定，被告反诉。",
                                 parties=4, category="contract"), litigated=True)
    labels = [f.label for f in result.complexity]
    assert labels == ["当事人人数", "标的额", "案由", "涉外因素", "需要鉴定、评估", "反诉", "群体性纠纷"]
    assert result.score == 2 + 2 + 2 + 3 + 2 + 2 and result.path == Path.ORDINARY
    small = propose_track(facts(category="neighbour"))
    assert small.path == Path.PEOPLES_MEDIATION and small.path_reasons


@pytest.mark.django_db
def test_unknown_wage_year_is_said_not_guessed():
    result = propose_track(TriageFacts(amount=Decimal("100"), cause="民间借贷纠纷", category="debt", parties=2,
                                       text="", province_code="64", on=date(2040, 1, 1)))
    assert result.track != Track.SMALL_CLAIMS
    assert "无法判断" in result.small_claims[0].value


@pytest.mark.parametrize(("on", "length", "citation"), [
    (date(2024, 6, 1), "30 日", "法释〔2016〕14号"),
    (date(2025, 6, 1), "7 日（可延长 30 日）", "2025年1月1日起施行"),
])
def test_court_referred_mediation_quotes_the_period_in_force_that_day(on, length, citation):
    from suyuan.triage.track import recommend_path

    path, reasons = recommend_path(TriageFacts(amount=Decimal("50000"), cause="买卖合同纠纷", category="contract",
                                               parties=2, text="", on=on), Track.SIMPLE, 2, litigated=True)
    assert path == Path.COURT_REFERRED_MEDIATION
    assert length in reasons[0] and citation in reasons[0]
