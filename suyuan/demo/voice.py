"""Demo data of the voice app: the demo deputy, surveys, complaints and an invitation (deterministic).

On the 长胜街道 committee's closed referrals (mediator 马秀兰, admin 王立新): answered surveys from
the history (so the recommendation score and the leaders' figures have data), one survey just sent
(its SMS link is in /notices/sms-outbox/), three complaints in different states, and an invitation
of the demo deputy (deputy_demo) to observe a mediation, waiting for their answer.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from suyuan.accounts.context import COMMAND
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.selectors import visible_disputes
from suyuan.mediation.choices import ReferralStatus
from suyuan.mediation.models import Referral
from suyuan.voice import services
from suyuan.voice.choices import DeputyKind, SurveyStage, SurveyStatus
from suyuan.voice.models import DeputyProfile, Survey
from suyuan.voice.questions import questions_for

from .network import CHANGSHENG, Network

COMPLAINTS = [
    ("attitude", "调解员电话中语气生硬，没有耐心听我说明情况。"),
    ("delay", "调解安排一再推迟，两周没有人联系。"),
    ("fairness", "感觉调解员偏向对方，没有让我充分陈述。"),
]


def seed(rng: random.Random, net: Network) -> dict[str, int]:
    deputy = net.users["deputy_demo"]
    DeputyProfile.objects.create(user=deputy, kind=DeputyKind.NPC, body="石嘴山市人大常委会", sector="大武口区代表团")
    committee = net.committees[CHANGSHENG]
    admin, mediator_user = net.users["orgadmin_dwk"], net.users["mediator_dwk"]
    closed = list(Referral.objects.filter(organisation=committee, mediator__isnull=False,
                                          status__in=[ReferralStatus.SETTLED, ReferralStatus.FAILED])
                  .select_related("dispute", "mediator").order_by("pk")[:60])
    today = timezone.localdate()
    questions = questions_for(SurveyStage.MEDIATION)
    history = []
    for referral in closed[1:]:
        for row in referral.dispute.dispute_parties.all():
            answered = rng.random() < 0.7
            scores = {q["code"]: rng.choice([3, 4, 4, 5, 5] if referral.status == "settled" else [2, 3, 3, 4, 5])
                      for q in questions}
            history.append(Survey(
                dispute=referral.dispute, party_id=row.party_id, stage=SurveyStage.MEDIATION,
                object_ref=f"referral:{referral.pk}", mediator=referral.mediator, organisation=committee,
                questions=questions, expires_on=today - timedelta(days=1) if not answered else today,
                status=SurveyStatus.ANSWERED if answered else SurveyStatus.EXPIRED,
                answers=scores if answered else {}, answered_at=timezone.now() if answered else None,
            ))
    Survey.objects.bulk_create(history)
    sent = []
    if closed:  # one just sent through the service: SMS link and portal action
        first = closed[0]
        sent = services.create_surveys(dispute=first.dispute, stage=SurveyStage.MEDIATION,
                                       object_ref=f"referral:{first.pk}", mediator=first.mediator,
                                       organisation=committee)
    complaints = []
    for n, referral in enumerate(closed[1:4]):
        complainant = referral.dispute.dispute_parties.order_by("role", "position").first()
        assert complainant is not None  # every demo dispute has its parties
        party_id = complainant.party_id
        category, text = COMPLAINTS[n]
        c = services.file_complaint(actor=admin, origin=COMMAND, dispute_id=referral.dispute_id, target=0,
                                    category=category, description=text, complainant_id=party_id)
        complaints.append(c)
        if n >= 1:
            services.assign_complaint(actor=admin, origin=COMMAND, complaint_id=c.pk, handler_id=admin.pk)
        if n == 2:
            services.answer_complaint(actor=admin, origin=COMMAND, complaint_id=c.pk, outcome="not_upheld",
                                      answer="经调阅调解记录并询问双方，调解员已依法告知权利并充分听取陈述，投诉不属实。")
    invitations = 0
    mine = visible_disputes(mediator_user).order_by("pk")
    working = mine.filter(status=DisputeStatus.IN_MEDIATION).first() or mine.first()
    if working is not None:
        services.invite_deputy(actor=mediator_user, origin=COMMAND, dispute_id=working.pk,
                               deputy_id=deputy.pk, kind="observe", location="长胜街道人民调解委员会调解室",
                               scheduled_at=timezone.now() + timedelta(days=3), note="欢迎代表旁听并提出意见。")
        invitations = 1
    return {"surveys": len(history) + len(sent), "complaints": len(complaints), "invitations": invitations}
