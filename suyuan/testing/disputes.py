"""Builders for dispute input as a channel would submit it."""

from __future__ import annotations

from suyuan.disputes.choices import AuthorityKind, Channel, PartyRole
from suyuan.disputes.services import ClaimInput, DisputeInput
from suyuan.parties.choices import PartyKind
from suyuan.parties.services import PartyInput

from .factories import make_id_number


def grid_input(region_code: str, *, applicant_id: str | None = None, amount: str = "12000",
               applicant_name: str = "陈当事", respondent_name: str = "李四") -> DisputeInput:
    return DisputeInput(
        channel=Channel.GRID_WORKER,
        category="debt",
        description="2025年3月被申请人向申请人借款一万二千元，约定半年归还，至今未还。",
        region_code=region_code,
        parties=[
            (PartyRole.APPLICANT, PartyInput(kind=PartyKind.NATURAL, name=applicant_name,
                                              id_number=applicant_id or make_id_number(), phone="13900000088")),
            (PartyRole.RESPONDENT, PartyInput(kind=PartyKind.NATURAL, name=respondent_name,
                                               id_number=make_id_number(birth="19900215"), phone="13800000002")),
        ],
        claims=[ClaimInput("请求被申请人归还借款 12000 元", amount)],
        amount=amount,
        authority_kind=AuthorityKind.WRITTEN,
        authority_note="当事人在授权书上签字",
    )
