"""Every credit-measure ground and period at its edges, with the citation the refusal or decision names."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from suyuan.common.errors import Conflict, InvalidInput
from suyuan.enforcement import credit, credit_listing, credit_rules
from suyuan.enforcement.credit_choices import CreditMeasureKind, GraceStatus
from suyuan.enforcement.models import CreditGrace, CreditMeasure
from suyuan.parties.models import Party
from suyuan.rules import periods
from suyuan.rules.calendar import add_months
from suyuan.testing.factories import make_id_number

from .credit_helpers import ORIGIN, open_case

TODAY = timezone.localdate


@pytest.fixture
def case(world, performing):
    return open_case(world, performing)


# --- the data itself ------------------------------------------------------------------------------

def test_rules_regimes_follow_the_date_of_the_decision():
    assert credit_rules.listing_rules(date(2017, 5, 1)).regime == "失信被执行人名单规定（2017）"
    old = credit_rules.listing_rules(date(2017, 4, 30))
    assert old.regime == "失信被执行人名单规定（2013）" and old.listing_years == 0
    assert "法释〔2013〕17号" in old.grounds["able_refuses"].citation
    assert credit_rules.restriction_rules(date(2015, 7, 22)).regime == "限制消费规定（2015年修正）"
    assert "法释〔2010〕8号" in credit_rules.restriction_rules(date(2015, 7, 21)).grounds["notice_lapsed"].citation
    with pytest.raises(InvalidInput, match="宽限期"):
        credit_rules.grace_rules(date(2019, 12, 15))


def test_every_listing_ground_cites_its_item_of_article_one():
    rules = credit_rules.listing_rules(date(2026, 1, 5))
    items = ["第一项", "第二项", "第三项", "第四项", "第五项", "第六项"]
    assert [g.citation.rsplit("第一条", 1)[1] for g in rules.grounds.values()] == items
    assert all("法释〔2017〕7号" in g.citation for g in rules.grounds.values())
    assert set(rules.term_grounds) == set(rules.grounds) - {"able_refuses"}


def test_review_period_is_fifteen_days_from_the_request():
    deadline = periods.compute("credit_review", start=date(2026, 3, 2))
    assert deadline.rule.length == 15 and "第十二条" in deadline.citation
    assert periods.compute("credit_review", start=date(2016, 3, 1)).rule.regime == "失信被执行人名单规定（2013）"


def test_unknown_ground_is_refused_naming_the_allowed_ones():
    rules = credit_rules.listing_rules(date(2026, 1, 5))
    with pytest.raises(InvalidInput) as exc:
        credit_rules.pick(rules.grounds, ["poor"], what="纳入失信被执行人名单的情形", field="grounds")
    assert "第一条第一项" in exc.value.message and "poor" in exc.value.message


# --- listing period (第二条) -----------------------------------------------------------------------

@pytest.mark.parametrize(("grounds", "ext", "years", "expected"), [
    (["able_refuses"], [], 0, 0),
    (["obstruct"], [], 0, 2),
    (["obstruct"], ["violent_serious"], 1, 3),
    (["obstruct", "evade"], ["multiple"], 3, 5),
    (["property_report", "breach_restriction", "breach_settlement"], ["multiple"], 2, 4),
])
def test_listing_period_edges(grounds, ext, years, expected):
    rules = credit_rules.listing_rules(date(2026, 1, 5))
    assert credit_listing.listing_period(rules=rules, grounds=grounds, extension_grounds=ext,
                                         extra_years=years) == expected


@pytest.mark.parametrize(("grounds", "ext", "years", "message"), [
    (["obstruct"], ["violent_serious"], 4, "延长 1 至 3 年"),
    (["obstruct"], ["violent_serious"], 0, "延长 1 至 3 年"),
    (["obstruct"], [], 1, "须具有法定情形"),
    (["evade"], ["violent_serious"], 1, "以伪造证据、暴力、威胁等方法妨碍、抗拒执行"),
    (["evade"], ["multiple"], 1, "只认定了一项失信行为"),
    (["able_refuses"], ["multiple"], 1, "没有固定纳入期限"),
])
def test_listing_extension_refused_outside_article_two(grounds, ext, years, message):
    rules = credit_rules.listing_rules(date(2026, 1, 5))
    with pytest.raises(InvalidInput) as exc:
        credit_listing.listing_period(rules=rules, grounds=grounds, extension_grounds=ext, extra_years=years)
    assert message in exc.value.message and "第二条" in exc.value.message


def test_no_extension_under_the_2013_provisions():
    rules = credit_rules.listing_rules(date(2016, 6, 1))
    assert credit_listing.listing_period(rules=rules, grounds=["obstruct"], extension_grounds=[], extra_years=0) == 0
    with pytest.raises(InvalidInput, match="不能延长"):
        credit_listing.listing_period(rules=rules, grounds=["obstruct"], extension_grounds=["multiple"], extra_years=1)


# --- grace period (法发〔2019〕35号) ------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("months", ["0", "4", "", "两"])
def test_grace_outside_one_to_three_months_is_refused(world, case, months):
    with pytest.raises(InvalidInput) as exc:
        credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=months, reasons="暂无财产")
    assert "1 至 3 个月" in exc.value.message and "法发〔2019〕35号" in exc.value.message
    assert not CreditGrace.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("months", [1, 3])
def test_grace_at_its_edges_runs_to_the_month_day(world, case, months):
    grace = credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=months, reasons="暂无财产")
    assert grace.ends_on == add_months(TODAY(), months) and grace.status == GraceStatus.RUNNING
    assert "法发〔2019〕35号" in grace.citation


@pytest.mark.django_db
def test_grace_needs_reasons(world, case):
    with pytest.raises(InvalidInput, match="理由"):
        credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=2, reasons="  ")


# --- 限制消费 (法释〔2015〕17号 第一条) ----------------------------------------------------------------

@pytest.mark.django_db
def test_restriction_refused_until_the_notice_period_has_passed(world, case):
    for notice_due, needle in [(None, "请填写执行通知书指定的履行期限"), (TODAY(), "尚未届满")]:
        with pytest.raises(InvalidInput) as exc:
            credit.restrict_consumption(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                        grounds=["notice_lapsed"], reasons="未履行", notice_due=notice_due)
        assert needle in exc.value.message and "法释〔2015〕17号）第一条第一款" in exc.value.message
    assert not CreditMeasure.objects.exists()
    measure = credit.restrict_consumption(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                          grounds=["notice_lapsed"], reasons="未履行",
                                          notice_due=TODAY() - timedelta(days=1))
    assert measure.kind == CreditMeasureKind.CONSUMPTION_RESTRICTION and measure.document is not None
    assert "第一条第一款" in measure.grounds_text


@pytest.mark.django_db
def test_restriction_as_a_consequence_of_listing_needs_a_listing(world, case):
    with pytest.raises(InvalidInput, match="第一条第二款"):
        credit.restrict_consumption(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                    grounds=["listed_dishonest"], reasons="已失信")


@pytest.mark.django_db
def test_restriction_lift_grounds_of_article_nine(world, case):
    measure = credit.restrict_consumption(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                          grounds=["notice_lapsed"], reasons="未履行",
                                          notice_due=TODAY() - timedelta(days=1))
    with pytest.raises(InvalidInput, match="第九条"):
        credit.lift_measure(actor=world.enforcer, origin=ORIGIN, measure_id=measure.pk, ground="settlement_performed")
    lifted = credit.lift_measure(actor=world.enforcer, origin=ORIGIN, measure_id=measure.pk, ground="security")
    assert lifted.end_citation.endswith("第九条") and lifted.end_ground == "security"


# --- 失信名单 (法释〔2017〕7号 第一、三、四条) ----------------------------------------------------------

def _list(world, case, **kwargs):
    kwargs.setdefault("reasons", "经查被执行人有收入而拒不履行")
    return credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("ground", ["able_refuses", "obstruct", "evade", "property_report", "breach_restriction",
                                    "breach_settlement"])
def test_each_ground_of_article_one_lists(world, case, ground):
    measure = _list(world, case, grounds=[ground])
    expected_end = None if ground == "able_refuses" else add_months(TODAY(), 24)
    assert measure.ends_on == expected_end and measure.grounds == [ground]


@pytest.mark.django_db
def test_listing_with_extension_ends_later(world, case):
    measure = _list(world, case, grounds=["obstruct", "evade"], extension_grounds=["violent_serious"], extra_years=3)
    assert measure.ends_on == add_months(TODAY(), 60) and measure.extra_years == 3


@pytest.mark.django_db
@pytest.mark.parametrize("bar", ["security", "seized_sufficient", "later_order", "not_able"])
def test_bars_of_article_three_refuse_listing_on_item_one(world, case, bar):
    with pytest.raises(InvalidInput) as exc:
        _list(world, case, grounds=["able_refuses"], bars=[bar])
    assert "第三条" in exc.value.message and "第一条第一项" in exc.value.message
    assert not CreditMeasure.objects.exists()


@pytest.mark.django_db
def test_bars_of_article_three_do_not_bar_other_grounds(world, case):
    assert _list(world, case, grounds=["evade"], bars=["not_able"]).ends_on is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("age_days", "refused"), [(-1, True), (0, False)])
def test_a_minor_is_never_listed(world, case, age_days, refused):
    today = TODAY()
    try:
        eighteenth = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        eighteenth = today.replace(year=today.year - 18, day=28)
    born = eighteenth - timedelta(days=age_days)  # -1: born a day later, still 17 today
    Party.objects.filter(pk=case.respondent_id).update(id_number=make_id_number(birth=born.strftime("%Y%m%d")))
    case.respondent.refresh_from_db()
    if refused:
        with pytest.raises(InvalidInput) as exc:
            _list(world, case, grounds=["evade"])
        assert "未成年人" in exc.value.message and "第四条" in exc.value.message
    else:
        assert _list(world, case, grounds=["evade"]).pk


@pytest.mark.django_db
def test_no_listing_while_the_grace_period_runs_nor_after_performance_in_it(world, case):
    grace = credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=1, reasons="暂无财产")
    with pytest.raises(Conflict, match="宽限期"):
        _list(world, case, grounds=["able_refuses"])
    credit.record_grace_performance(actor=world.enforcer, origin=ORIGIN, grace_id=grace.pk, note="已付清")
    with pytest.raises(Conflict, match="宽限期内履行完毕"):
        _list(world, case, grounds=["able_refuses"])
    assert not CreditMeasure.objects.filter(kind=CreditMeasureKind.DISHONEST_LIST).exists()


@pytest.mark.django_db
def test_removal_grounds_of_article_ten(world, case):
    measure = _list(world, case, grounds=["able_refuses"])
    with pytest.raises(InvalidInput, match="第十条"):
        credit.lift_measure(actor=world.enforcer, origin=ORIGIN, measure_id=measure.pk, ground="security")
    removed = credit.lift_measure(actor=world.enforcer, origin=ORIGIN, measure_id=measure.pk,
                                  ground="settlement_performed")
    assert "第十条第一款第二项" in removed.end_citation
