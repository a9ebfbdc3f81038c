"""Fees: 7 days to pay from the notice (诉讼费用交纳办法 第二十二条), half-fee grounds, relief decisions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from suyuan.common.errors import Conflict, InvalidInput
from suyuan.disputes.models import Clock
from suyuan.litigation import fees
from suyuan.litigation.choices import FeeStatus, ReliefDecision
from suyuan.rules import periods

from .helpers import ORIGIN, registered_case


@pytest.mark.django_db
def test_fee_notice_payment_and_half_fee_ground(world):
    case = registered_case(world)
    with pytest.raises(InvalidInput):
        fees.notify_fee(actor=world.clerk, origin=ORIGIN, case_id=case.pk, amount="75", half_fee_ground="friendship")
    notice = fees.notify_fee(actor=world.clerk, origin=ORIGIN, case_id=case.pk, amount="75", half_fee_ground="simple")
    assert notice.due == periods.compute("fee_payment", start=timezone.localdate()).due
    assert "第二十二条" in notice.citation
    with pytest.raises(Conflict):
        fees.notify_fee(actor=world.clerk, origin=ORIGIN, case_id=case.pk, amount="75")
    notice = fees.record_fee_payment(actor=world.clerk, origin=ORIGIN, notice_id=notice.pk)
    assert notice.status == FeeStatus.PAID
    assert Clock.objects.get(rule="fee_payment").status == "met"


@pytest.mark.django_db
def test_fee_relief_is_applied_for_and_decided_with_reasons(world):
    case = registered_case(world)
    relief = fees.apply_fee_relief(actor=world.party_user, origin=ORIGIN, case_id=case.pk, kind="defer",
                                   grounds="领取最低生活保障金")
    with pytest.raises(InvalidInput):
        fees.decide_fee_relief(actor=world.clerk, origin=ORIGIN, relief_id=relief.pk, granted=False, reason="")
    relief = fees.decide_fee_relief(actor=world.clerk, origin=ORIGIN, relief_id=relief.pk, granted=True, reason="")
    assert relief.decision == ReliefDecision.GRANTED
    assert case.dispute.events.filter(kind="case.fee_relief_decided").exists()
