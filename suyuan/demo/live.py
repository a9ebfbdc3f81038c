"""The few disputes left at live stages for the demo accounts, driven through the real services.

These steps are taken "now" (when the seed runs), like any user's action, so their documents,
signatures and legal periods are genuine; everything else in the demo is back-dated history.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from suyuan.accounts.context import COMMAND
from suyuan.disputes.choices import Channel
from suyuan.disputes.models import Dispute

from .network import CHANGSHENG, DAWUKOU, Network

RECEIPT, SIGNATURE, REGISTRATION, PERFORMANCE = "receipt", "signature", "registration", "performance"


def reserve(net: Network) -> dict[str, int]:
    """Pick (deterministically, the most recent fitting ones) the disputes kept for the live stages."""
    person = net.users["party_demo"].party
    court = net.courts[DAWUKOU]
    mine = Dispute.objects.filter(dispute_parties__party=person, dispute_parties__role="applicant")
    out: dict[str, int] = {}
    with_amount = mine.filter(amount__gt=0).order_by("-created_at", "number").values_list("pk", flat=True)
    if with_amount:
        out[PERFORMANCE] = with_amount[0]
    signature = mine.exclude(pk__in=out.values()).order_by("-created_at", "number").values_list("pk", flat=True)
    if signature:
        out[SIGNATURE] = signature[0]
    others = Dispute.objects.exclude(pk__in=out.values()).exclude(dispute_parties__party=person)
    receipt = (others.filter(region__code__startswith=CHANGSHENG[:9], court=court)
               .order_by("-created_at", "number").values_list("pk", flat=True))
    if receipt:
        out[RECEIPT] = receipt[0]
    registration = (others.exclude(pk__in=out.values()).filter(court=court, channel=Channel.COURT_WINDOW)
                    .exclude(Q(channel=Channel.BATCH)).order_by("-created_at", "number").values_list("pk", flat=True))
    if registration:
        out[REGISTRATION] = registration[0]
    return out


def live_ids(reserved: dict[str, int]) -> set[int]:
    """The reserved disputes that the history leaves alone (the performing one is back-dated history)."""
    return {pk for key, pk in reserved.items() if key != PERFORMANCE}


def drive(net: Network, reserved: dict[str, int]) -> None:
    from suyuan.litigation.services import file_suit
    from suyuan.mediation import agreements, consent, services
    from suyuan.mediation.choices import ConsentKind, ConsentVia, SessionMode

    users = net.users
    committee = net.committees[CHANGSHENG]
    if RECEIPT in reserved:
        referral = services.refer_dispute(actor=users["centre_dwk"], origin=COMMAND, dispute_id=reserved[RECEIPT],
                                          organisation_id=committee.pk, note="邻里纠纷，请就近调解")
        services.assign_mediator(actor=users["orgadmin_dwk"], origin=COMMAND, referral_id=referral.pk,
                                 mediator_id=net.demo_mediator.pk)
    if SIGNATURE in reserved:
        dispute = Dispute.objects.select_related("court").get(pk=reserved[SIGNATURE])
        centre = {c.pk: k for k, c in zip(("dwk", "hn", "pl"), net.courts.values(), strict=False)}
        referrer = users[f"centre_{centre.get(dispute.court_id, 'dwk')}"]
        referral = services.refer_dispute(actor=referrer, origin=COMMAND, dispute_id=dispute.pk,
                                          organisation_id=committee.pk, note="当事人申请由长胜街道调委会调解")
        mediator = users["mediator_dwk"]
        services.assign_mediator(actor=users["orgadmin_dwk"], origin=COMMAND, referral_id=referral.pk,
                                 mediator_id=net.demo_mediator.pk)
        services.accept_referral(actor=mediator, origin=COMMAND, referral_id=referral.pk)
        for link in dispute.dispute_parties.order_by("role", "position"):
            consent.record_consent(actor=mediator, origin=COMMAND, dispute_id=dispute.pk, party_id=link.party_id,
                                   kind=ConsentKind.MEDIATION, given=True, via=ConsentVia.ON_SITE,
                                   note="调解员现场询问并记录")
        services.schedule_session(actor=mediator, origin=COMMAND, referral_id=referral.pk, mode=SessionMode.IN_PERSON,
                                  scheduled_at=timezone.now(), location="长胜街道人民调解委员会调解室",
                                  summary="双方就赔偿金额和履行期限达成一致")
        amount = (dispute.amount or Decimal(6000)) * Decimal("0.8")
        amount = amount.quantize(Decimal("1"))
        draft = agreements.draft_agreement(
            actor=mediator, origin=COMMAND, referral_id=referral.pk, amount=amount,
            terms=f"一、被申请人于协议生效后三十日内向申请人支付{amount}元。\n二、双方就本纠纷再无其他争议。",
            instalments=[agreements.InstalmentInput(due=timezone.localdate() + timedelta(days=30), amount=amount)],
        )
        agreements.issue_agreement(actor=mediator, origin=COMMAND, agreement_id=draft.pk)
    if REGISTRATION in reserved:
        file_suit(actor=users["clerk_dwk"], origin=COMMAND, dispute_id=reserved[REGISTRATION])


def live_numbers() -> list[tuple[str, str, str]]:
    """(account, dispute number, what waits there) for the printed table; empty before seeding."""
    from suyuan.enforcement.models import PerformancePlan
    from suyuan.litigation.choices import CaseStatus, CaseType
    from suyuan.litigation.models import Case
    from suyuan.mediation.models import Agreement, Referral

    rows: list[tuple[str, str, str]] = []
    referral = Referral.objects.filter(status="assigned", mediator__user__username="mediator_dwk").select_related(
        "dispute").first()
    if referral is not None:
        rows.append(("mediator_dwk", referral.dispute.number, "待调解员签收的调解委派"))
    agreement = Agreement.objects.filter(
        status="awaiting_signatures", dispute__dispute_parties__party__user__username="party_demo").select_related(
        "dispute").first()
    if agreement is not None:
        rows.append(("party_demo", agreement.dispute.number, "待本人签署的调解协议"))
    case = Case.objects.filter(status="filed", court__users__username="clerk_dwk").select_related("dispute").first()
    if case is not None:
        rows.append(("clerk_dwk", case.dispute.number, "待登记立案的起诉"))
    plan = PerformancePlan.objects.filter(status="performing", obligee__user__username="party_demo").select_related(
        "dispute").first()
    if plan is not None:
        rows.append(("party_demo", plan.dispute.number, "分期履行中（第1期已付）"))
    appeal = Case.objects.filter(case_type=CaseType.CIVIL_SECOND, status=CaseStatus.IN_TRIAL,
                                 court__users__username="judge_02").first()
    if appeal is not None:
        # The court of second instance sees its case, not the dispute: the case number, found under 诉讼.
        rows.append(("judge_02", appeal.number, "待作出二审裁判的上诉案件（在“诉讼”中打开）"))
    return rows
