"""After judgment: service with proof, appeal periods per party, the effective date, the appeal to
宁02, retrial pre-review with the six-month check, judicial aid; every new period at its edges."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from suyuan.accounts.choices import Role
from suyuan.common.errors import Conflict, InvalidInput, NotFound
from suyuan.disputes.models import Clock
from suyuan.disputes.workflow import SYSTEM
from suyuan.litigation import after_selectors, appeals, judicial_aid, retrial, services, serving
from suyuan.litigation.choices import AidStatus, CaseStatus, CaseType, Procedure, RetrialStatus, ServiceMethod
from suyuan.litigation.lifecycle_after import AID, RETRIAL
from suyuan.litigation.models import Appeal, Case, JudicialAid, RetrialApplication, ServiceRecord
from suyuan.litigation.selectors import visible_cases
from suyuan.rules import periods
from suyuan.testing import lifecycles
from suyuan.testing.factories import make_user

from .helpers import ORIGIN, registered_case

CHINA = ZoneInfo("Asia/Shanghai")


def at(now, day: date) -> None:
    now.set(datetime(day.year, day.month, day.day, 10, 0, tzinfo=CHINA))


def judged(world, procedure: str = Procedure.SIMPLE) -> Case:
    case = registered_case(world, procedure=procedure)
    services.start_trial(actor=world.judge, origin=ORIGIN, case_id=case.pk)
    services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=case.pk, amount="12000",
                                main_text="被告于判决生效之日起十日内偿还原告借款12000元。",
                                **({"perform_by": date(2025, 7, 30)} if procedure == Procedure.SMALL_CLAIMS
                                   else {"perform_within_days": 10}))
    return Case.objects.get(pk=case.pk)


def parties(case: Case):
    applicant, respondent = serving.parties_of(case)
    return applicant, respondent


def serve(world, case, party, method=ServiceMethod.DIRECT, **kwargs):
    kwargs.setdefault("receipt", "受送达人本人签收")
    return serving.serve_document(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=party.pk,
                                  method=method, sent_on=kwargs.pop("sent_on", services._today()), **kwargs)


# --- periods at their edges ----------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "start", "due", "article"), [
    ("appeal_judgment", date(2021, 12, 31), date(2022, 1, 17), "（2017年修正）第一百六十四条第一款"),  # 1-15: Sat
    ("appeal_judgment", date(2022, 1, 1), date(2022, 1, 17), "第一百七十一条第一款"),  # 1-16 is a Sunday
    ("appeal_judgment", date(2025, 6, 3), date(2025, 6, 18), "第一百七十一条第一款"),
    ("appeal_judgment", date(2025, 9, 20), date(2025, 10, 9), "第一百七十一条第一款"),  # National Day holiday
    ("appeal_ruling", date(2021, 12, 31), date(2022, 1, 10), "（2017年修正）第一百六十四条第二款"),
    ("appeal_ruling", date(2025, 6, 3), date(2025, 6, 13), "第一百七十一条第二款"),
    ("retrial_review", date(2021, 12, 31), date(2022, 3, 31), "（2017年修正）第二百零四条"),
    ("retrial_review", date(2023, 12, 31), date(2024, 4, 1), "（2021年修正）第二百一十一条"),  # 3-31 is a Sunday
    ("retrial_review", date(2024, 1, 1), date(2024, 4, 1), "（2023年修正）第二百一十五条"),
    ("second_instance_judgment", date(2021, 12, 20), date(2022, 3, 21), "（2017年修正）第一百七十六条第一款"),
    ("second_instance_judgment", date(2025, 6, 20), date(2025, 9, 22), "第一百八十三条第一款"),  # 9-20 is a Saturday
    ("second_instance_ruling", date(2025, 6, 20), date(2025, 7, 21), "第一百八十三条第二款"),  # 7-20 is a Sunday
])
def test_periods_after_judgment_at_their_edges(rule, start, due, article):
    deadline = periods.compute(rule, start=start)
    assert deadline.due == due
    assert article in deadline.citation


# --- service and the effective date ----------------------------------------------------------------


@pytest.mark.django_db
def test_each_party_has_their_own_appeal_period_and_the_judgment_takes_effect_after_the_last(world, now):
    case = judged(world)
    applicant, respondent = parties(case)
    first = serve(world, case, applicant)
    at(now, date(2025, 6, 5))
    second = serve(world, case, respondent, method=ServiceMethod.POST, tracking_number="1180012345678",
                   receipt="回执载明 2025-06-05 签收")
    assert first.appeal_due == date(2025, 6, 18) and second.appeal_due == date(2025, 6, 20)
    assert "第一百七十一条" in second.appeal_citation
    state = serving.judgment_effectiveness(case)
    assert state is not None and state.state == "running" and state.effective_on == date(2025, 6, 21)
    assert serving.effective_on(case) is None
    assert serving.effective_on(case, today=date(2025, 6, 21)) == date(2025, 6, 21)
    assert case.dispute.events.filter(kind="case.served").count() == 2


@pytest.mark.django_db
def test_effective_date_waits_for_every_party(world):
    case = judged(world)
    applicant, _ = parties(case)
    serve(world, case, applicant)
    state = serving.judgment_effectiveness(case, today=date(2025, 12, 1))
    assert state is not None and state.state == "pending_service" and state.effective_on is None


@pytest.mark.django_db
def test_electronic_service_needs_the_partys_consent(world):
    case = judged(world)
    applicant, _ = parties(case)
    with pytest.raises(InvalidInput, match="第九十条"):
        serve(world, case, applicant, method=ServiceMethod.ELECTRONIC)
    assert not ServiceRecord.objects.exists()
    serving.record_service_consent(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=applicant.pk,
                                   address="chen@example.cn")
    record = serve(world, case, applicant, method=ServiceMethod.ELECTRONIC, receipt="")
    assert record.address == "chen@example.cn"


@pytest.mark.django_db
def test_post_without_tracking_number_and_duplicate_service_are_refused(world):
    case = judged(world)
    applicant, _ = parties(case)
    with pytest.raises(InvalidInput, match="邮件单号"):
        serve(world, case, applicant, method=ServiceMethod.POST)
    serve(world, case, applicant)
    with pytest.raises(Conflict):
        serve(world, case, applicant)


@pytest.mark.django_db
def test_service_by_publication_is_deemed_served_when_the_30_days_end(world):
    case = judged(world)
    _, respondent = parties(case)
    record = serve(world, case, respondent, method=ServiceMethod.PUBLICATION, receipt="")
    assert record.served_on == date(2025, 7, 3) and "第九十五条" in record.citation
    assert record.appeal_due == date(2025, 7, 18)


@pytest.mark.django_db
def test_a_party_sees_only_their_own_service_records(world):
    case = judged(world)
    applicant, respondent = parties(case)
    serve(world, case, applicant)
    serve(world, case, respondent)
    assert after_selectors.service_records_of(world.clerk, case).count() == 2
    own = after_selectors.service_records_of(world.party_user, case)
    assert [r.party_id for r in own] == [world.party_user.party_id]


@pytest.mark.django_db
def test_small_claims_judgment_is_final_and_cannot_be_appealed(world):
    case = judged(world, procedure=Procedure.SMALL_CLAIMS)
    applicant, _ = parties(case)
    record = serve(world, case, applicant)
    assert record.appeal_due is None and "第一百六十五条" in record.appeal_citation
    assert serving.effective_on(case) == case.judgment.pronounced_on
    with pytest.raises(InvalidInput, match="第一百六十五条"):
        appeals.file_appeal(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="不服判决")
    assert not Appeal.objects.exists()


# --- appeal to 宁02 ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_late_appeal_is_refused_and_nothing_is_written(world, now):
    case = judged(world)
    applicant, _ = parties(case)
    serve(world, case, applicant)
    at(now, date(2025, 6, 19))
    with pytest.raises(InvalidInput, match=r"已超过上诉期限.*第一百七十一条"):
        appeals.file_appeal(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="认定事实错误")
    case.refresh_from_db()
    assert case.status == CaseStatus.JUDGED
    assert not Appeal.objects.exists() and not Case.objects.filter(case_type=CaseType.CIVIL_SECOND).exists()
    assert not case.dispute.events.filter(kind__in=["case.appeal", "case.transferred"]).exists()


@pytest.mark.django_db
def test_appeal_in_time_sends_the_file_to_the_intermediate_court(world, now):
    case = judged(world)
    applicant, respondent = parties(case)
    serve(world, case, applicant)
    at(now, date(2025, 6, 5))
    serve(world, case, respondent, receipt="被告本人签收")
    at(now, date(2025, 6, 20))  # the respondent's last day
    appeal = appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=respondent.pk,
                                 grounds="请求撤销一审判决")
    case.refresh_from_db()
    second = appeal.second_case
    assert case.status == CaseStatus.APPEALED and appeal.transferred_at is not None
    assert second is not None and second.court == world.intermediate_court
    assert second.number == "（2025）宁02民终1号" and second.status == CaseStatus.REGISTERED
    assert serving.judgment_effectiveness(case).state == "appealed"
    upper_clerk = make_user(Role.CLERK, organisation=world.intermediate_court, username="clerk02")
    upper_judge = make_user(Role.JUDGE, organisation=world.intermediate_court, username="judge02")
    for user in (upper_clerk, upper_judge):
        assert set(visible_cases(user).values_list("pk", flat=True)) == {case.pk, second.pk}
    # The basic court still sees its own case (and the second-instance case of its dispute);
    # another basic court sees neither.
    assert visible_cases(world.clerk).filter(pk=case.pk).exists()
    assert not visible_cases(world.other_clerk).filter(pk__in=[case.pk, second.pk]).exists()
    assert case.dispute.events.filter(kind="case.transferred").exists()
    # The second instance's own period runs from its registration (第一百八十三条), shown on its case.
    clock = services.trial_clock(second)
    assert clock is not None and clock.rule == "second_instance_judgment"
    assert clock.due_on == date(2025, 9, 22) and "第一百八十三条" in clock.citation


@pytest.mark.django_db
def test_a_second_appellant_joins_the_same_second_instance_case(world):
    case = judged(world)
    applicant, respondent = parties(case)
    serve(world, case, applicant)
    serve(world, case, respondent)
    one = appeals.file_appeal(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="判赔数额过低")
    two = appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=case.pk, party_id=respondent.pk,
                              grounds="不应承担还款责任")
    assert one.second_case_id == two.second_case_id
    with pytest.raises(Conflict):
        appeals.file_appeal(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="再次上诉")


# --- retrial pre-review ------------------------------------------------------------------------------


def effective_case(world, now) -> Case:
    case = judged(world)
    for party in parties(case):
        serve(world, case, party)
    return case  # both served 2025-06-03: effective 2025-06-19


@pytest.mark.django_db
def test_late_retrial_application_is_refused_and_nothing_is_written(world, now):
    case = effective_case(world, now)
    at(now, date(2025, 12, 20))
    with pytest.raises(InvalidInput, match=r"超过法定期限.*第二百一十六条"):
        retrial.apply_for_retrial(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="有新的证据")
    assert not RetrialApplication.objects.exists()
    assert not Clock.objects.filter(rule="retrial_review").exists()
    assert not case.dispute.events.filter(kind__startswith="retrial.").exists()


@pytest.mark.django_db
def test_retrial_before_the_judgment_is_effective_is_refused(world, now):
    case = judged(world)
    with pytest.raises(InvalidInput, match="尚未发生法律效力"):
        retrial.apply_for_retrial(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="有新的证据")


@pytest.mark.django_db
def test_retrial_on_the_last_day_is_received_explained_and_decided(world, now):
    case = effective_case(world, now)
    at(now, date(2025, 12, 19))
    app = retrial.apply_for_retrial(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="有新的证据")
    assert app.court == world.intermediate_court and app.effective_on == date(2025, 6, 19)
    assert app.review_due == date(2026, 3, 19) and "第二百一十五条" in app.review_citation
    with pytest.raises(InvalidInput, match="释明"):
        retrial.review_retrial(actor=world.clerk, origin=ORIGIN, retrial_id=app.pk, explanation=" ")
    app = retrial.review_retrial(actor=world.clerk, origin=ORIGIN, retrial_id=app.pk,
                                 explanation="已告知申请再审的法定事由和证据要求")
    app = retrial.decide_retrial(actor=world.judge, origin=ORIGIN, retrial_id=app.pk, accept=False,
                                 reasons="所称新证据在原审中已经质证，不属于新的证据")
    assert app.status == RetrialStatus.DECLINED
    assert not Clock.objects.filter(rule="retrial_review", status="open").exists()
    counts = after_selectors.retrial_counts(world.leader)
    assert counts == [{"court": world.intermediate_court.short_name, "status": "declined", "count": 1}]
    assert after_selectors.retrial_counts(world.other_clerk) == []


# --- judicial aid ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_judicial_aid_application_review_and_decision(world):
    case = judged(world)
    aid = judicial_aid.apply_for_judicial_aid(actor=world.party_user, origin=ORIGIN, case_id=case.pk,
                                              grounds="因病丧失劳动能力，生活困难", documents="低保证明")
    aid = judicial_aid.review_judicial_aid(actor=world.clerk, origin=ORIGIN, aid_id=aid.pk, note="材料齐全")
    with pytest.raises(InvalidInput, match="金额"):
        judicial_aid.decide_judicial_aid(actor=world.judge, origin=ORIGIN, aid_id=aid.pk, grant=True, reasons="困难")
    aid = judicial_aid.decide_judicial_aid(actor=world.judge, origin=ORIGIN, aid_id=aid.pk, grant=True,
                                           reasons="符合救助条件", amount="8000")
    assert aid.status == AidStatus.GRANTED and aid.amount == 8000
    with pytest.raises(NotFound):
        judicial_aid.review_judicial_aid(actor=world.other_clerk, origin=ORIGIN, aid_id=aid.pk)


# --- lifecycles: every allowed and forbidden edge ------------------------------------------------------

ROLES = [Role.PARTY, Role.CLERK, Role.JUDGE, Role.LEADER, SYSTEM]
PAYLOAD = {"explanation": "已释明", "reasons": "理由", "amount": "1000"}


def actors(world):
    return {Role.PARTY: world.party_user, Role.CLERK: world.clerk, Role.JUDGE: world.judge,
            Role.LEADER: world.leader, SYSTEM: None}


@pytest.mark.django_db
@pytest.mark.parametrize("state", RETRIAL.states.values)
def test_every_retrial_edge_from(world, now, state):
    case = effective_case(world, now)
    at(now, date(2025, 7, 1))
    app = retrial.apply_for_retrial(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="新证据")
    assert lifecycles.walk_state(RETRIAL, app, state, actors(world), payload=PAYLOAD) == \
        len(RETRIAL.actions()) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("state", AID.states.values)
def test_every_judicial_aid_edge_from(world, state):
    case = judged(world)
    aid = judicial_aid.apply_for_judicial_aid(actor=world.party_user, origin=ORIGIN, case_id=case.pk, grounds="困难")
    assert lifecycles.walk_state(AID, aid, state, actors(world), payload=PAYLOAD) == len(AID.actions()) * len(ROLES)
    assert JudicialAid.objects.count() == 1
