"""Demo appeal: one judged case of 大武口区, served on both parties and appealed by both; its
second-instance case (民终) at 宁02 is in trial for ``judge_02`` to decide (驳回上诉维持原判, 改判, or
发回重审). Through the services, so the periods, numbers, clocks and events are the real ones."""

from __future__ import annotations

from django.utils import timezone

from suyuan.accounts.context import COMMAND
from suyuan.accounts.models import User
from suyuan.common.errors import DomainError
from suyuan.disputes.choices import DisputeStatus, PartyRole
from suyuan.disputes.models import Dispute
from suyuan.litigation import appeals, services, serving
from suyuan.litigation.choices import CaseStatus, CaseType, Procedure, ServiceMethod
from suyuan.litigation.models import Case, JurisdictionObjection

from .network import Network


def seed(net: Network, *, exclude: set[int]) -> Case | None:
    """Returns the second-instance case, or None when no dispute of 大武口区 fits."""
    clerk, judge, upper_judge = net.users["clerk_dwk"], net.users["judge_dwk"], net.users["judge_02"]
    case = _registered_case(clerk, exclude)
    if case is None:
        return None
    services.start_trial(actor=judge, origin=COMMAND, case_id=case.pk)
    amount = case.dispute.amount
    # All today: the case may have been registered today, and nothing may predate its registration.
    services.pronounce_judgment(actor=judge, origin=COMMAND, case_id=case.pk, amount=amount,
                                main_text=f"被告于本判决生效之日起十日内给付原告 {amount} 元。", perform_within_days=10)
    for party in serving.parties_of(case):
        serving.serve_document(actor=clerk, origin=COMMAND, case_id=case.pk, party_id=party.pk,
                               method=ServiceMethod.DIRECT, sent_on=timezone.localdate(), receipt="受送达人本人签收")
    # Both parties appeal, so no appeal period is left running and judge_02 can decide at once.
    defendant = case.dispute.dispute_parties.get(role=PartyRole.RESPONDENT)
    plaintiff = case.dispute.dispute_parties.get(role=PartyRole.APPLICANT)
    appeal = appeals.file_appeal(actor=clerk, origin=COMMAND, case_id=case.pk, party_id=defendant.party_id,
                                 grounds="一审认定借款已实际交付的事实不清，请求撤销一审判决，改判驳回被上诉人的诉讼请求。")
    appeals.file_appeal(actor=clerk, origin=COMMAND, case_id=case.pk, party_id=plaintiff.party_id,
                        grounds="一审未支持逾期利息，请求改判支持全部诉讼请求。")
    assert appeal.second_case is not None
    return services.start_trial(actor=upper_judge, origin=COMMAND, case_id=appeal.second_case.pk)


def _registered_case(clerk: User, exclude: set[int]) -> Case | None:
    """A registered first-instance case of the clerk's court with a sum at stake: one already waiting, or
    a suit filed at the window on a dispute whose mediation failed and registered here."""
    court = clerk.organisation.court() if clerk.organisation else None
    objected = JurisdictionObjection.objects.values("case_id")
    waiting = (Case.objects.filter(status=CaseStatus.REGISTERED, case_type=CaseType.CIVIL_FIRST, court=court,
                                   procedure__in=[Procedure.SIMPLE, Procedure.ORDINARY], dispute__amount__gt=0)
               .exclude(dispute_id__in=exclude).exclude(pk__in=objected).order_by("pk").first())
    if waiting is not None:
        return waiting
    failed = (Dispute.objects.filter(court=court, status=DisputeStatus.MEDIATION_FAILED, amount__gt=0,
                                     cases__isnull=True).exclude(pk__in=exclude).order_by("pk")[:10])
    for dispute in failed:
        try:
            filed = services.file_suit(actor=clerk, origin=COMMAND, dispute_id=dispute.pk)
            for procedure in (Procedure.SIMPLE, Procedure.ORDINARY):
                try:
                    return services.register_case(actor=clerk, origin=COMMAND, case_id=filed.pk,
                                                  track=services.TrackChoice(procedure=procedure))
                except DomainError:
                    continue  # e.g. a sum under the small-claims limit: the other procedure, or the next dispute
        except DomainError:
            continue
    return None
