"""The credit measures end to end: grace → restriction → performance; lapse; expiry; the debtor's review."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import AuditEntry
from suyuan.common.errors import Conflict, NotFound, NotPermitted
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.clocks import sweep
from suyuan.disputes.models import Clock
from suyuan.documents.models import Document
from suyuan.enforcement import credit, credit_listing, credit_rules, credit_selectors
from suyuan.enforcement.credit_choices import CreditMeasureKind, CreditMeasureStatus, GraceStatus, ReviewStatus
from suyuan.enforcement.models import CreditGrace, CreditMeasure
from suyuan.rules import periods
from suyuan.testing.factories import make_user

from .credit_helpers import ORIGIN, open_case

YESTERDAY = lambda: timezone.localdate() - timedelta(days=1)  # noqa: E731


@pytest.fixture
def case(world, performing):
    return open_case(world, performing)


def _after(day):
    return datetime.combine(day + timedelta(days=1), time(1), tzinfo=periods.CHINA)


@pytest.mark.django_db
def test_performance_in_grace_lists_nothing_and_lifts_the_restriction(world, case):
    grace = credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=2,
                              reasons="暂无财产，愿筹款")
    measure = credit.restrict_consumption(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                          grounds=["notice_lapsed"], reasons="未履行", notice_due=YESTERDAY())
    assert measure.grace_id == grace.pk
    kinds = set(Document.objects.filter(dispute=case.dispute).values_list("kind", flat=True))
    assert kinds == {"credit_grace_notice", "consumption_restriction_order"}
    credit.record_grace_performance(actor=world.enforcer, origin=ORIGIN, grace_id=grace.pk, note="已付清全部款项")
    grace.refresh_from_db()
    measure.refresh_from_db()
    assert grace.status == GraceStatus.PERFORMED
    assert measure.status == CreditMeasureStatus.LIFTED and measure.end_ground == "performed"
    assert not CreditMeasure.objects.filter(kind="dishonest_list").exists()
    events = list(case.dispute.events.values_list("kind", flat=True))
    for kind in ["credit_grace.opened", "credit_measure.decided", "credit_grace.perform", "credit_measure.lift"]:
        assert kind in events
    assert Clock.objects.get(rule="credit_grace").status == ClockStatus.MET
    assert AuditEntry.objects.filter(target_type="credit_grace").count() == 2  # opened, performed
    assert credit_selectors.grace_figures(world.enforcer) == {"started": 1, "ended_in_performance": 1,
                                                              "lapsed": 0, "running": 0}
    assert credit_selectors.grace_figures(world.other_clerk)["started"] == 0  # another court sees none


@pytest.mark.django_db
def test_lapse_prompts_the_officer_and_never_lists(world, case):
    grace = credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=1, reasons="暂无财产")
    sweep(now=_after(grace.ends_on - timedelta(days=1)))
    grace.refresh_from_db()
    assert grace.status == GraceStatus.RUNNING
    sweep(now=_after(grace.ends_on))
    grace.refresh_from_db()
    assert grace.status == GraceStatus.LAPSED
    event = case.dispute.events.get(kind="credit_grace.lapse")
    assert "系统不会自动纳入" in event.summary
    assert not CreditMeasure.objects.exists()
    listed = credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, grounds=["evade"],
                                           reasons="转移财产")
    assert listed.grace_id == grace.pk


@pytest.mark.django_db
def test_listing_expires_at_the_end_of_its_period(world, case):
    measure = credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                            grounds=["property_report"], reasons="拒不报告财产")
    sweep(now=_after(measure.ends_on))
    measure.refresh_from_db()
    assert measure.status == CreditMeasureStatus.EXPIRED and "第十条第二款" in measure.end_citation


@pytest.mark.django_db
def test_review_request_upheld_corrects_the_listing(world, case):
    measure = credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                            grounds=["able_refuses"], reasons="有收入拒不履行")
    debtor = make_user(Role.PARTY, party=case.respondent, full_name=case.respondent.name)
    with pytest.raises(NotPermitted):
        credit_listing.request_review(actor=world.party_user, origin=ORIGIN, measure_id=measure.pk,
                                      grounds=["inaccurate"], statement="不是我")
    review = credit_listing.request_review(actor=debtor, origin=ORIGIN, measure_id=measure.pk,
                                           grounds=["should_not_list"], statement="我已提供担保")
    assert review.due_on == periods.compute("credit_review", start=timezone.localdate()).due
    with pytest.raises(Conflict):
        credit_listing.request_review(actor=debtor, origin=ORIGIN, measure_id=measure.pk,
                                      grounds=["inaccurate"], statement="再次申请")
    credit_listing.decide_review(actor=world.enforcer, origin=ORIGIN, review_id=review.pk, uphold=True,
                                 decision="担保属实")
    review.refresh_from_db()
    measure.refresh_from_db()
    assert review.status == ReviewStatus.UPHELD and measure.status == CreditMeasureStatus.CORRECTED
    assert Clock.objects.get(rule="credit_review").status == ClockStatus.MET


@pytest.mark.django_db
def test_review_rejected_keeps_the_listing(world, case):
    measure = credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                            grounds=["evade"], reasons="转移财产")
    debtor = make_user(Role.PARTY, party=case.respondent, full_name=case.respondent.name)
    review = credit_listing.request_review(actor=debtor, origin=ORIGIN, measure_id=measure.pk,
                                           grounds=["inaccurate"], statement="金额不对")
    credit_listing.decide_review(actor=world.enforcer, origin=ORIGIN, review_id=review.pk, uphold=False,
                                 decision="记载无误")
    measure.refresh_from_db()
    assert measure.status == CreditMeasureStatus.IN_FORCE


@pytest.mark.django_db
def test_only_the_officer_of_the_court_decides(world, case):
    with pytest.raises(NotPermitted):
        credit.open_grace(actor=world.judge, origin=ORIGIN, case_id=case.pk, months=1, reasons="x")
    other = make_user(Role.ENFORCEMENT, organisation=world.huinong_court)
    with pytest.raises(NotFound):
        credit.open_grace(actor=other, origin=ORIGIN, case_id=case.pk, months=1, reasons="x")
    assert not CreditGrace.objects.exists()


@pytest.mark.django_db
def test_second_grace_and_second_restriction_are_conflicts(world, case):
    credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=1, reasons="暂无财产")
    with pytest.raises(Conflict):
        credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=1, reasons="暂无财产")
    assert CreditGrace.objects.count() == 1


@pytest.mark.django_db
def test_case_page_panel_refuses_with_the_article(client, world, case):
    client.force_login(world.enforcer)
    page = client.get(reverse("enforcement:case", args=[case.pk]))
    assert "给予宽限期" in page.content.decode() and "派发网格协助任务" in page.content.decode()
    response = client.post(reverse("enforcement:credit_act", args=[case.pk, "grace_open"]),
                           {"months": "5", "reasons": "x"}, follow=True)
    assert "法发〔2019〕35号" in response.content.decode()
    assert not CreditGrace.objects.exists()


@pytest.mark.django_db
def test_no_grace_once_listed(world, case):
    credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, grounds=["evade"],
                                  reasons="转移财产")
    with pytest.raises(Conflict, match="纳入前给予"):
        credit.open_grace(actor=world.enforcer, origin=ORIGIN, case_id=case.pk, months=1, reasons="暂无财产")


@pytest.mark.django_db
def test_listing_issues_the_mandatory_restriction_and_a_revoked_listing_takes_it_along(world, case):
    listing = credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                            grounds=["able_refuses"], reasons="有收入拒不履行")
    restriction = CreditMeasure.objects.get(case=case, kind=CreditMeasureKind.CONSUMPTION_RESTRICTION)
    assert restriction.status == CreditMeasureStatus.IN_FORCE and restriction.grounds == ["listed_dishonest"]
    assert "第一条第二款" in restriction.grounds_text and "应当采取限制消费措施" in restriction.reasons
    assert restriction.document is not None  # the 限制消费令 is made, as when the officer issues it by hand
    titles = list(case.dispute.events.filter(kind="credit_measure.decided").values_list("title", flat=True))
    assert titles == ["纳入失信被执行人名单", "发布限制消费令"]
    debtor = make_user(Role.PARTY, party=case.respondent, full_name=case.respondent.name)
    review = credit_listing.request_review(actor=debtor, origin=ORIGIN, measure_id=listing.pk,
                                           grounds=["should_not_list"], statement="我已提供担保")
    credit_listing.decide_review(actor=world.enforcer, origin=ORIGIN, review_id=review.pk, uphold=True,
                                 decision="担保属实")
    restriction.refresh_from_db()
    assert restriction.status == CreditMeasureStatus.CORRECTED  # its only ground is gone


@pytest.mark.django_db
def test_a_restriction_already_in_force_is_not_issued_twice_and_survives_a_revoked_listing(world, case):
    earlier = credit.restrict_consumption(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                          grounds=["notice_lapsed"], reasons="未履行", notice_due=YESTERDAY())
    listing = credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                            grounds=["evade"], reasons="转移财产")
    assert CreditMeasure.objects.filter(case=case, kind=CreditMeasureKind.CONSUMPTION_RESTRICTION).count() == 1
    credit.correct_measure(actor=world.enforcer, origin=ORIGIN, measure_id=listing.pk, note="误列")
    earlier.refresh_from_db()
    assert earlier.status == CreditMeasureStatus.IN_FORCE  # it rests on its own ground (第一条第一款)


@pytest.mark.django_db
def test_a_failed_restriction_leaves_no_listing_behind(world, case, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("PDF renderer down")

    monkeypatch.setattr(credit, "render_document", broken)
    with pytest.raises(RuntimeError):
        credit_listing.list_dishonest(actor=world.enforcer, origin=ORIGIN, case_id=case.pk,
                                      grounds=["evade"], reasons="转移财产")
    assert not CreditMeasure.objects.exists()
    assert not case.dispute.events.filter(kind="credit_measure.decided").exists()


def test_the_2010_rules_make_no_restriction_mandatory_on_listing():
    assert credit_rules.restriction_rules(date(2012, 1, 1)).on_listing is None
    assert credit_rules.restriction_rules(date(2026, 1, 1)).on_listing.code == "listed_dishonest"
