"""The second instance decides: affirmed or amended judgments take effect when served (终审) and the dispute
performs; a remand registers the retrial at the court below, once; only the court of second instance decides,
and only once every party's appeal period has ended; refusals write nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from suyuan.accounts.choices import Role
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.choices import ClockStatus, DisputeStatus
from suyuan.disputes.models import Clock
from suyuan.litigation import appeals, second_instance, services, serving
from suyuan.litigation.casework import case_ref
from suyuan.litigation.choices import AppealOutcome, CaseStatus, CaseType, Procedure
from suyuan.litigation.models import AppealDecision, Case
from suyuan.testing.factories import make_user

from .helpers import ORIGIN
from .test_after_judgment import judged, parties, serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def upper_judge(world):  # type: ignore[no-untyped-def]
    return make_user(Role.JUDGE, organisation=world.intermediate_court, username="judge02")


def appealed(world, *, both: bool = True) -> tuple[Case, Case]:  # type: ignore[no-untyped-def]
    """A judged case served on both parties and appealed by the defendant (and, by default, by the plaintiff
    too, so that no appeal period is still running when the second instance decides)."""
    first = judged(world)
    applicant, respondent = parties(first)
    serve(world, first, applicant)
    serve(world, first, respondent)
    appeal = appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=first.pk, party_id=respondent.pk,
                                 grounds="请求撤销一审判决，改判驳回原告的诉讼请求")
    if both:
        appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=first.pk, party_id=applicant.pk,
                            grounds="请求改判支持原告的全部诉讼请求")
    second = appeal.second_case
    assert second is not None
    return Case.objects.get(pk=first.pk), second


def in_trial(judge, second: Case) -> Case:  # type: ignore[no-untyped-def]
    services.start_trial(actor=judge, origin=ORIGIN, case_id=second.pk)
    return Case.objects.get(pk=second.pk)


def test_an_appeal_takes_the_dispute_back_into_litigation(world):  # type: ignore[no-untyped-def]
    first, _ = appealed(world)
    assert first.dispute.status == DisputeStatus.IN_LITIGATION
    assert first.dispute.events.filter(kind="dispute.appeal").exists()


def test_affirmed_the_first_judgment_takes_effect_when_served(world, upper_judge):  # type: ignore[no-untyped-def]
    first, second = appealed(world)
    second = in_trial(upper_judge, second)
    decision = second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                             outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    second.refresh_from_db()
    first.refresh_from_db()
    judgment = first.judgment
    today = services._today()
    assert second.status == CaseStatus.JUDGED and decision.retrial_case is None
    assert "第一百七十七条" in decision.citation
    assert judgment.effective_on == today
    assert judgment.perform_by is not None and today + timedelta(days=10) <= judgment.perform_by
    assert judgment.perform_by <= today + timedelta(days=20)  # ten days, moved off a holiday at most
    assert first.dispute.status == DisputeStatus.PERFORMING
    assert first.dispute.events.filter(kind="case.judgment_effective").exists()
    assert first.dispute.events.filter(kind="case.appeal_decided", data__outcome="affirm").exists()
    # The second instance's period is met; nothing of the first instance is left running.
    assert Clock.objects.get(object_ref=case_ref(second), rule="second_instance_judgment").status == ClockStatus.MET
    with pytest.raises(Conflict, match="已经作出裁判"):
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="再次裁判")


def test_amended_the_second_judgment_is_what_is_performed_from_its_service(world, upper_judge, now):  # type: ignore[no-untyped-def]
    first, second = appealed(world)
    second = in_trial(upper_judge, second)
    pronounced = services._today()
    now.advance(days=3)
    second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk, outcome=AppealOutcome.AMEND,
                                  main_text="撤销一审判决；被上诉人于判决生效之日起十五日内偿还借款8000元。",
                                  amount="8000", perform_within_days=15, pronounced_on=pronounced,
                                  served_on=pronounced + timedelta(days=2))
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == CaseStatus.JUDGED
    # Final on service (rules data ``second_instance.effective = "served"``), not on pronouncement.
    assert second.judgment.amount == Decimal("8000")
    assert second.judgment.effective_on == pronounced + timedelta(days=2)
    assert second.judgment.perform_by is not None and second.judgment.document_id is not None
    assert first.judgment.effective_on is None  # replaced, never effective
    assert first.dispute.status == DisputeStatus.PERFORMING
    assert serving.judgment_effectiveness(first).state == "amended"
    final = serving.judgment_effectiveness(second)
    assert final is not None and final.state == "final" and final.effective_on == second.judgment.effective_on


def test_remanded_the_court_below_registers_the_retrial_under_the_ordinary_procedure(world, upper_judge):  # type: ignore[no-untyped-def]
    first, second = appealed(world)
    second = in_trial(upper_judge, second)
    with pytest.raises(InvalidInput) as refused:
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.REMAND, main_text="撤销原判，发回重审。")
    assert "reasons" in refused.value.errors
    decision = second_instance.decide_appeal(
        actor=upper_judge, origin=ORIGIN, case_id=second.pk, outcome=AppealOutcome.REMAND,
        main_text="撤销一审判决，发回原审法院重审。", reasons="原判决认定借款交付的基本事实不清")
    second.refresh_from_db()
    retrial = decision.retrial_case
    assert second.status == CaseStatus.REMANDED
    assert retrial is not None and retrial.court == first.court and retrial.case_type == CaseType.CIVIL_FIRST
    assert retrial.procedure == Procedure.ORDINARY and retrial.status == CaseStatus.REGISTERED
    assert retrial.number != first.number and "民初" in retrial.number
    clock = services.trial_clock(retrial)
    assert clock is not None and clock.rule == "ordinary_trial"
    first.refresh_from_db()
    assert first.dispute.status == DisputeStatus.IN_LITIGATION  # tried again
    assert first.judgment.effective_on is None
    # The court below tries the retrial: its judge sees and can act on the new case.
    services.start_trial(actor=world.judge, origin=ORIGIN, case_id=retrial.pk)


def test_bad_decisions_are_refused_and_nothing_is_written(world, upper_judge):  # type: ignore[no-untyped-def]
    first, second = appealed(world)
    events = first.dispute.events.count()
    with pytest.raises(NotPermitted):
        second_instance.decide_appeal(actor=world.clerk, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    stranger = make_user(Role.JUDGE, organisation=world.other_clerk.organisation, username="judge0205")
    with pytest.raises(NotFound):  # another basic court's judge does not even see the appeal
        second_instance.decide_appeal(actor=stranger, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    with pytest.raises(Conflict):  # not in trial yet
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    second = in_trial(upper_judge, second)
    events = first.dispute.events.count()
    with pytest.raises(InvalidInput) as refused:
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AMEND, main_text="改判", amount="8000")
    assert "perform_within_days" in refused.value.errors
    with pytest.raises(InvalidInput):
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="维持", amount="100")
    with pytest.raises(InvalidInput):
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                      outcome="overturn", main_text="x")
    with pytest.raises(InvalidInput) as refused:  # served before it was pronounced
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="维持",
                                      served_on=services._today() - timedelta(days=1))
    assert "served_on" in refused.value.errors
    with pytest.raises(Conflict, match="二审裁判"):  # a 民终 case is not decided by the first-instance form
        services.pronounce_judgment(actor=upper_judge, origin=ORIGIN, case_id=second.pk, amount="1",
                                    main_text="x", perform_within_days=5)
    with pytest.raises(Conflict, match="民终"):  # and a first-instance case is not decided by this one
        second_instance.decide_appeal(actor=world.judge, origin=ORIGIN, case_id=first.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="x")
    with pytest.raises(Conflict, match="终审"):  # a 民终 case is served with its decision, no appeal period
        serving.serve_document(actor=upper_judge, origin=ORIGIN, case_id=second.pk, party_id=parties(first)[0].pk,
                               method="direct", sent_on=services._today(), receipt="本人签收")
    assert first.dispute.events.count() == events and not AppealDecision.objects.exists()
    second.refresh_from_db()
    assert second.status == CaseStatus.IN_TRIAL


def test_the_upper_judge_decides_from_the_case_page_and_both_cases_show_it(world, upper_judge, client):  # type: ignore[no-untyped-def]
    first, second = appealed(world)
    second = in_trial(upper_judge, second)
    client.force_login(upper_judge)
    page = client.get(f"/litigation/cases/{second.pk}/").content.decode()
    assert 'id="appeal-decision-form"' in page and "录入判决及履行告知" not in page
    back = client.post(f"/litigation/cases/{second.pk}/appeal-decision/",
                       {"outcome": "amend", "main_text": "改判", "amount": "8000", "version": second.version})
    assert back.status_code == 302 and not AppealDecision.objects.exists()  # no period: refused, shown in Chinese
    follow = client.get(back["Location"]).content.decode()
    assert "履行期间" in follow
    client.post(f"/litigation/cases/{second.pk}/appeal-decision/",
                {"outcome": "affirm", "main_text": "驳回上诉，维持原判。", "version": second.version})
    assert AppealDecision.objects.get().outcome == AppealOutcome.AFFIRM
    assert "判决驳回上诉，维持原判决" in client.get(f"/litigation/cases/{second.pk}/").content.decode()
    client.force_login(world.clerk)
    first_page = client.get(f"/litigation/cases/{first.pk}/").content.decode()
    assert 'id="appeal-decision"' in first_page and "维持原判，本判决于" in first_page


def test_the_court_of_second_instance_reads_the_evidence_in_the_file(world, upper_judge, client, settings, tmp_path):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suyuan.accounts.models import AuditEntry
    from suyuan.disputes.services import add_evidence

    settings.MEDIA_ROOT = tmp_path
    first, second = appealed(world)
    evidence = add_evidence(actor=world.clerk, origin=ORIGIN, number=first.dispute.number,
                            upload=SimpleUploadedFile("借条.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf"),
                            description="借条原件扫描件")
    url = f"/litigation/cases/{second.pk}/evidence/{evidence.pk}/"
    client.force_login(upper_judge)
    page = client.get(f"/litigation/cases/{second.pk}/").content.decode()
    assert 'id="case-evidence"' in page and f'href="{url}"' in page and "借条原件扫描件" in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="read_file", target_id=str(evidence.pk), actor=upper_judge).exists()
    # Another basic court's judge, and the party (who reads evidence on the dispute page), get nothing here.
    client.force_login(make_user(Role.JUDGE, organisation=world.other_clerk.organisation, username="judge0205"))
    assert client.get(url).status_code == 404
    client.force_login(world.party_user)
    assert client.get(url).status_code == 404
    assert 'id="case-evidence"' not in client.get(f"/litigation/cases/{first.pk}/").content.decode()


def test_only_the_court_of_second_instance_decides(world, upper_judge):  # type: ignore[no-untyped-def]
    _, second = appealed(world)
    with pytest.raises(NotFound):  # the judge below reads the appeal but takes no step on it
        services.start_trial(actor=world.judge, origin=ORIGIN, case_id=second.pk)
    second = in_trial(upper_judge, second)
    with pytest.raises(NotPermitted, match="第二审法院"):
        second_instance.decide_appeal(actor=world.judge, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    assert not AppealDecision.objects.exists()


def test_the_decision_waits_for_every_partys_appeal_period_and_closes_the_appeal(world, upper_judge, now):  # type: ignore[no-untyped-def]
    first, second = appealed(world, both=False)
    applicant, _ = parties(first)
    second = in_trial(upper_judge, second)
    with pytest.raises(Conflict, match="上诉期尚未届满"):
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                      outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    now.advance(days=20)
    second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                  outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    with pytest.raises(Conflict, match="已经作出裁判"):
        appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=first.pk, party_id=applicant.pk,
                            grounds="再行上诉")


def test_a_retried_case_is_not_remanded_twice(world, upper_judge, now):  # type: ignore[no-untyped-def]
    _, second = appealed(world)
    second = in_trial(upper_judge, second)
    retrial = second_instance.decide_appeal(
        actor=upper_judge, origin=ORIGIN, case_id=second.pk, outcome=AppealOutcome.REMAND,
        main_text="撤销原判，发回重审。", reasons="认定基本事实不清").retrial_case
    assert retrial is not None
    services.start_trial(actor=world.judge, origin=ORIGIN, case_id=retrial.pk)
    services.pronounce_judgment(actor=world.judge, origin=ORIGIN, case_id=retrial.pk, amount="10000",
                                main_text="被告于判决生效之日起十日内偿还原告借款10000元。", perform_within_days=10)
    retried = Case.objects.get(pk=retrial.pk)
    for party in parties(retried):
        serve(world, retried, party)
    appeal = appeals.file_appeal(actor=world.clerk, origin=ORIGIN, case_id=retried.pk, party_id=parties(retried)[1].pk,
                                 grounds="不服重审判决")
    now.advance(days=20)
    again = in_trial(upper_judge, appeal.second_case)
    with pytest.raises(InvalidInput, match="不得再次发回重审"):
        second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=again.pk,
                                      outcome=AppealOutcome.REMAND, main_text="发回重审", reasons="事实不清")
    decision = second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=again.pk,
                                             outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    assert decision.first_case_id == retried.pk and retried.dispute.__class__.objects.get(
        pk=retried.dispute_id).status == DisputeStatus.PERFORMING


def test_an_appeal_filed_before_the_dispute_followed_appeals_is_decided_all_the_same(world, upper_judge):  # type: ignore[no-untyped-def]
    from suyuan.disputes.models import Dispute

    first, second = appealed(world)
    Dispute.objects.filter(pk=first.dispute_id).update(status=DisputeStatus.PERFORMING)  # as the old code left it
    second = in_trial(upper_judge, second)
    second_instance.decide_appeal(actor=upper_judge, origin=ORIGIN, case_id=second.pk,
                                  outcome=AppealOutcome.AFFIRM, main_text="驳回上诉，维持原判。")
    dispute = Dispute.objects.get(pk=first.dispute_id)
    assert dispute.status == DisputeStatus.PERFORMING
    assert [e.kind for e in dispute.events.filter(kind__in=["dispute.appeal", "dispute.decide_appeal"])
            .order_by("seq")][-2:] == ["dispute.appeal", "dispute.decide_appeal"]
