"""What the voice app plugs into the apps below it, from ``VoiceConfig.ready()``.

* ``Lifecycle.after`` on the stage lifecycles: when mediation, judicial confirmation, trial or
  enforcement closes, each party gets a satisfaction survey (SMS link and portal).
* ``register_party_actions``: an open survey is a "评价" action in the party's portal.
* ``mediation.quality.register_quality_source``: satisfaction and upheld complaints feed the
  mediator recommendation score.
* ``register_event_sink``: a reminder or overdue notice of a complaint's handling clock reaches the
  organisation's admins (the clock itself is staff-only: parties are not told).
* ``register_audience``: the voice app's own event kinds are not fanned out to every party.
* ``register_sweep_step``: every sweep expires the surveys past their last day.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.disputes.party_actions import PartyAction
from suyuan.disputes.workflow import Transition

from .choices import ComplaintOutcome, ComplaintStatus, SurveyStage, SurveyStatus
from .models import Complaint, Survey

# (lifecycle step) → survey stage. Only steps that end the stage for the parties.
MEDIATION_CLOSED = {"settle", "fail"}
CONFIRMATION_CLOSED = {"confirm", "reject", "refuse"}
TRIAL_CLOSED = {"judge", "settle"}
ENFORCEMENT_CLOSED = {"complete", "complete_settlement", "end_round", "terminate"}


def on_referral_step(referral: Any, row: Transition, actor: User | None, origin: Origin,
                     payload: dict[str, Any]) -> None:
    # A referral ended before any mediator took it has no service to judge.
    if row.action in MEDIATION_CLOSED and referral.mediator_id is not None:
        from .surveys import create_surveys

        create_surveys(dispute=referral.dispute, stage=SurveyStage.MEDIATION, object_ref=f"referral:{referral.pk}",
                       mediator=referral.mediator, organisation=referral.organisation)


def on_confirmation_step(application: Any, row: Transition, actor: User | None, origin: Origin,
                         payload: dict[str, Any]) -> None:
    if row.action in CONFIRMATION_CLOSED:
        from .surveys import create_surveys

        create_surveys(dispute=application.dispute, stage=SurveyStage.CONFIRMATION,
                       object_ref=f"confirmation:{application.pk}", organisation=application.court)


def on_case_step(case: Any, row: Transition, actor: User | None, origin: Origin, payload: dict[str, Any]) -> None:
    if row.action in TRIAL_CLOSED:
        from .surveys import create_surveys

        create_surveys(dispute=case.dispute, stage=SurveyStage.TRIAL, object_ref=f"case:{case.pk}",
                       organisation=case.court)


def on_enforcement_step(case: Any, row: Transition, actor: User | None, origin: Origin,
                        payload: dict[str, Any]) -> None:
    if row.action in ENFORCEMENT_CLOSED:
        from .surveys import create_surveys

        create_surveys(dispute=case.dispute, stage=SurveyStage.ENFORCEMENT, object_ref=f"enforcement:{case.pk}",
                       organisation=case.court)


def survey_actions(user: User, dispute: Dispute) -> Iterable[PartyAction]:
    from suyuan.disputes.stage_rows import has_rows
    from suyuan.rules.periods import rule_in_force

    from .selectors import open_surveys
    from .stage_rows import SURVEY_ROWS

    if not has_rows(dispute, SURVEY_ROWS):
        return
    today = timezone.localdate()
    citation = rule_in_force("survey_answer", on=today).citation
    for survey in open_surveys(user, dispute.pk).filter(expires_on__gte=today):
        label = survey.get_stage_display()
        yield PartyAction(kind="survey", title=f"评价{label}服务", url=reverse("voice:survey", args=[survey.pk]),
                          due=survey.expires_on, citation=citation,
                          explanation=f"{label}已结束，请为本次服务打分（1–5 分）。"
                                      "评价不影响案件处理结果，截止后不能再提交。")


def public_quality(mediator_ids: Iterable[int]) -> dict[int, Any]:
    """The parties' view of each mediator: mean satisfaction, less upheld complaints."""
    from suyuan.mediation.quality import QualityNote

    ids = list(mediator_ids)
    scores: dict[int, tuple[float, int]] = {}
    for survey in Survey.objects.filter(mediator_id__in=ids, status=SurveyStatus.ANSWERED).only("mediator_id",
                                                                                                  "answers"):
        score = survey.score
        if score is not None:
            total, n = scores.get(survey.mediator_id, (0.0, 0))  # type: ignore[arg-type]
            scores[survey.mediator_id] = (total + score, n + 1)  # type: ignore[index]
    upheld = dict(
        Complaint.objects.filter(mediator_id__in=ids, outcome__in=[ComplaintOutcome.UPHELD, ComplaintOutcome.PARTLY])
        .exclude(status=ComplaintStatus.WITHDRAWN).values_list("mediator_id").annotate(n=Count("pk"))
    )
    notes: dict[int, Any] = {}
    for pk in ids:
        total, n = scores.get(pk, (0.0, 0))
        bad = int(upheld.get(pk, 0))
        if not n and not bad:
            continue
        part = (total / n - 1) / 4 if n else 0.5
        part = max(part - 0.1 * bad, 0.0)
        texts = [f"当事人满意度 {total / n:.1f}/5（{n} 份评价）"] if n else ["暂无当事人评价"]
        if bad:
            texts.append(f"投诉经核查属实 {bad} 件")
        notes[pk] = QualityNote(part=part, text="；".join(texts))
    return notes


def on_event(event: DisputeEvent) -> None:
    """A complaint's handling clock reminds or runs out: tell the organisation's admins."""
    from .complaints import RULE

    data = event.data or {}
    if event.kind not in {"clock.reminder", "clock.overdue"} or data.get("rule") != RULE:
        return
    prefix, _, pk = str(data.get("object", "")).partition(":")
    complaint = Complaint.objects.filter(pk=int(pk)).first() if prefix == "complaint" and pk.isdigit() else None
    if complaint is None:
        return
    from . import notify

    overdue = event.kind == "clock.overdue"
    users = notify.organisation_admins(complaint.organisation_id)
    notify.to_users(event=event, users=users, key="voice.complaint_clock",
                    title="投诉办理已超期" if overdue else "投诉办理期限提醒",
                    link=reverse("voice:complaint", args=[complaint.pk]),
                    text=f"投诉 {complaint.number} 的办理期限{'已于' if overdue else '将于'} "
                         f"{complaint.due_on:%Y年%m月%d日} 届满（{complaint.due_citation}），请尽快答复投诉人。")


def connect() -> None:
    from suyuan.disputes.clocks import register_sweep_step
    from suyuan.disputes.events import register_event_sink
    from suyuan.disputes.party_actions import register_party_actions
    from suyuan.enforcement.lifecycle import ENFORCEMENT_CASE
    from suyuan.litigation.lifecycle import CASE, CONFIRMATION
    from suyuan.mediation.lifecycle import REFERRAL
    from suyuan.mediation.quality import register_quality_source
    from suyuan.notices.recipients import register_audience, register_staff_only_clock

    from .complaints import RULE
    from .surveys import expire_due_surveys

    for lifecycle, hook in ((REFERRAL, on_referral_step), (CONFIRMATION, on_confirmation_step),
                            (CASE, on_case_step), (ENFORCEMENT_CASE, on_enforcement_step)):
        if hook not in lifecycle.after:
            lifecycle.after.append(hook)
    register_party_actions(survey_actions)
    register_quality_source(public_quality)
    register_event_sink(on_event)
    register_staff_only_clock(RULE)
    register_sweep_step("expired_surveys", lambda now: expire_due_surveys(timezone.localdate(now)))
    for kind in ("complaint.filed", "complaint.assign", "complaint.answer", "complaint.reopen", "complaint.close",
                 "complaint.withdraw", "invitation.feedback", "invitation.feedback_answered"):
        register_audience(kind, frozenset())


