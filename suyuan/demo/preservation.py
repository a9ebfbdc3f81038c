"""Demo preservations at the 大武口区 court: pre-suit preservations on disputes in mediation (保调对接),
one accepted and waiting for its ruling, the others granted with a bank deposit frozen. Deterministic
for a seed; written through the services, so clocks, numbers and timeline events are the real ones.
"""

from __future__ import annotations

import random
from decimal import Decimal

from suyuan.accounts.context import COMMAND
from suyuan.disputes.choices import DisputeStatus, PartyRole
from suyuan.disputes.models import Dispute
from suyuan.preservation import measures, services
from suyuan.preservation.choices import AssetKind, MeasureKind, PreservationKind

from .network import Network

BANKS = ("石嘴山银行大武口支行", "中国工商银行石嘴山分行", "宁夏银行石嘴山分行", "中国农业银行石嘴山大武口支行")


def seed(rng: random.Random, net: Network, *, exclude: set[int], count: int = 3) -> int:
    clerk, judge = net.users["clerk_dwk"], net.users["judge_dwk"]
    court = clerk.organisation.court() if clerk.organisation else None
    chosen: list[int] = []
    # Disputes in mediation first (保调对接), then ones just recorded, each at the court's desk.
    for status in (DisputeStatus.IN_MEDIATION, DisputeStatus.RECORDED):
        candidates = list(
            Dispute.objects.filter(status=status, court=court, amount__gte=Decimal("1000"))
            .exclude(pk__in=exclude).order_by("pk").values_list("pk", flat=True)[:200]
        )
        chosen += sorted(rng.sample(candidates, min(count - len(chosen), len(candidates))))
    for n, pk in enumerate(chosen):
        dispute = Dispute.objects.get(pk=pk)
        roles = {r.role: r.party_id for r in dispute.dispute_parties.all()}
        if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles or dispute.amount is None:
            continue
        amount = dispute.amount
        bank = rng.choice(BANKS)
        clue = services.ClueInput(kind="bank", institution=bank, identifier=f"62305800{rng.randrange(10**7, 10**8)}")
        data = services.PreservationInput(
            kind=PreservationKind.PRE_SUIT, applicant_party_id=roles[PartyRole.APPLICANT],
            respondent_party_id=roles[PartyRole.RESPONDENT], amount=str(amount), security_amount=str(amount),
            security_note="保险公司诉讼财产保全责任保险保函", clues=f"被申请人在{bank}开有账户",
            clue_items=(clue,),
        )
        p = services.apply_preservation(actor=clerk, origin=COMMAND, dispute_id=pk, data=data)
        services.accept_preservation(actor=clerk, origin=COMMAND, preservation_id=p.pk)
        if n == 0:
            continue  # one left waiting for its ruling: the 48-hour clock shows
        services.rule_preservation(actor=judge, origin=COMMAND, preservation_id=p.pk, grant=True)
        measures.place_measure(actor=clerk, origin=COMMAND, preservation_id=p.pk, asset_kind=AssetKind.BANK,
                               asset=f"{rng.choice(BANKS)}账户（尾号 {rng.randrange(1000, 9999)}）",
                               kind=MeasureKind.FREEZE, amount=str(amount))
    return len(chosen)
