"""Satisfaction surveys: created when a stage closes, answered once by SMS link or in the portal.

The SMS link carries a signed token (``django.core.signing``: the survey id and its last day,
salted for this purpose) so a party without a password can answer; the survey's own state makes
it one survey, one answer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from suyuan.accounts.context import WORKER, Origin
from suyuan.accounts.models import User
from suyuan.common.errors import InvalidInput, NotFound
from suyuan.disputes.models import Dispute, DisputeEvent, DisputeParty
from suyuan.disputes.workflow import apply
from suyuan.network.models import Mediator, Organisation
from suyuan.rules import periods

from . import notify
from .choices import SurveyStage, SurveyStatus
from .lifecycle import SURVEY
from .models import Survey
from .questions import questions_for

RULE = "survey_answer"
SALT = "suyuan.voice.survey"
KEY = "voice.survey"


def make_token(survey: Survey) -> str:
    return signing.dumps({"s": survey.pk, "e": survey.expires_on.isoformat()}, salt=SALT, compress=True)


def survey_from_token(token: str) -> Survey:
    """The survey a link names; a forged or altered link is NotFound (we do not say which)."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise NotFound("评价链接无效，请核对短信中的链接。") from exc
    survey = Survey.objects.select_related("dispute", "mediator", "organisation", "party").filter(
        pk=data.get("s")
    ).first()
    if survey is None or survey.expires_on.isoformat() != data.get("e"):
        raise NotFound("评价链接无效，请核对短信中的链接。")
    return survey


def link_for(survey: Survey) -> str:
    return settings.SUYUAN_PUBLIC_URL + reverse("voice:survey_link", args=[make_token(survey)])


def create_surveys(*, dispute: Dispute, stage: str, object_ref: str, mediator: Mediator | None = None,
                   organisation: Organisation | None = None) -> list[Survey]:
    """One survey per party of ``dispute`` about the stage that just closed; call inside its transaction.

    Idempotent per (dispute, party, stage, object): a step replayed does not send a second link.
    The notice hangs on the closing step's own timeline event (the last one written).
    """
    today = timezone.localdate()
    deadline = periods.compute(RULE, start=today)
    expires_on = deadline.due if isinstance(deadline.due, date) else timezone.localtime(deadline.due).date()
    questions = questions_for(stage)
    event = _last_event(dispute)
    created: list[Survey] = []
    for row in DisputeParty.objects.filter(dispute=dispute).select_related("party").order_by("role", "position"):
        survey, new = Survey.objects.get_or_create(
            dispute=dispute, party=row.party, stage=stage, object_ref=object_ref,
            defaults={"mediator": mediator, "organisation": organisation, "questions": questions,
                      "expires_on": expires_on},
        )
        if not new:
            continue
        created.append(survey)
        if event is not None:
            stage_label = SurveyStage(stage).label
            text = (f"纠纷 {dispute.number} 的{stage_label}已结束。请您对本次{stage_label}服务作出评价（1–5 分），"
                    f"{expires_on:%Y年%m月%d日}前有效。评价不影响案件处理结果。")
            notify.to_party(event=event, party=row.party, key=KEY, title=f"请评价{stage_label}服务", text=text,
                            link=reverse("voice:survey", args=[survey.pk]),
                            sms_text=f"{text}评价链接：{link_for(survey)}")
    return created


def _last_event(dispute: Dispute) -> DisputeEvent | None:
    seq = DisputeEvent.objects.filter(dispute=dispute).aggregate(m=Max("seq"))["m"]
    return DisputeEvent.objects.filter(dispute=dispute, seq=seq).first() if seq else None


def parse_answers(survey: Survey, data: Any) -> dict[str, int]:
    """Scores from a form or JSON body: ``q_<code>`` or ``<code>`` → 1..5; bad values are refused."""
    answers: dict[str, int] = {}
    for q in survey.questions:
        raw = data.get(f"q_{q['code']}", data.get(q["code"]))
        if raw in (None, ""):
            continue
        try:
            answers[q["code"]] = int(str(raw))
        except ValueError as exc:
            raise InvalidInput("评分须为 1 至 5 分。", errors={f"q_{q['code']}": ["评分须为 1 至 5 分。"]}) from exc
    return answers


def answer_survey(*, survey_id: int, actor: User | None, origin: Origin, answers: dict[str, int],
                  comment: str = "", token_checked: bool = False) -> Survey:
    """Record the party's one answer. ``actor`` None only after the SMS link's token was checked."""
    if actor is None and not token_checked:
        raise NotFound()
    comment = comment.strip()
    if len(comment) > 500:
        raise InvalidInput("意见建议不能超过 500 字。", errors={"comment": ["意见建议不能超过 500 字。"]})
    with transaction.atomic():
        survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
        if survey is None:
            raise NotFound()
        if survey.status != SurveyStatus.ANSWERED and survey.expires_on < timezone.localdate():
            raise InvalidInput(f"该评价已于 {survey.expires_on:%Y年%m月%d日} 截止，不能再提交。感谢您的关注。")
        if survey.status == SurveyStatus.ANSWERED:
            raise InvalidInput("您已提交过本次评价，每次评价只能提交一次。感谢您的反馈。")

        def effect(s: Survey) -> None:
            s.answers, s.comment, s.answered_at = answers, comment, timezone.now()

        return apply(SURVEY, survey, "answer", actor=actor, origin=origin, payload={"answers": answers},
                     effect=effect, summary="当事人提交满意度评价" + ("（短信链接）" if actor is None else ""),
                     data={"stage": survey.stage})


def expire_due_surveys(today: date | None = None) -> int:
    """Mark surveys past their last day expired (every sweep, and ``manage.py expire_surveys``)."""
    today = today or timezone.localdate()
    n = 0
    for pk in Survey.objects.filter(status=SurveyStatus.SENT, expires_on__lt=today).values_list("pk", flat=True):
        apply(SURVEY, pk, "expire", actor=None, origin=WORKER, summary="评价期满未提交")
        n += 1
    return n
