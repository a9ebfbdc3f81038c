from decimal import Decimal

import pytest

from suyuan.accounts.context import Origin
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.disputes.choices import EventKind
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import visible_disputes
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input

WEB = Origin(via="web", ip="127.0.0.1")


def test_grid_worker_records_for_a_party_and_the_court_sees_it(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    recorded = record_dispute(actor=world.grid_worker, origin=WEB, data=data)
    dispute = recorded.dispute
    assert recorded.created
    assert dispute.number.startswith("SY-")
    assert dispute.court == world.dawukou_court
    assert dispute.amount == Decimal("12000.00")
    # One identity per real party: the applicant resolved to the party user's identity.
    assert dispute.dispute_parties.filter(party=world.party_user.party).exists()
    event = dispute.events.get()
    assert event.kind == EventKind.RECORDED
    assert event.actor == world.grid_worker
    assert event.ip == "127.0.0.1"
    assert visible_disputes(world.clerk).filter(pk=dispute.pk).exists()
    assert visible_disputes(world.party_user).filter(pk=dispute.pk).exists()
    assert not visible_disputes(world.other_clerk).filter(pk=dispute.pk).exists()
    assert not visible_disputes(world.other_grid_worker).filter(pk=dispute.pk).exists()
    assert not visible_disputes(world.sysadmin).exists()


def test_grid_worker_cannot_record_outside_their_grid(world):
    with pytest.raises(InvalidInput) as info:
        record_dispute(actor=world.grid_worker, origin=WEB, data=grid_input(world.other_grid.code))
    assert "region_code" in info.value.errors
    assert Dispute.objects.count() == 0


def test_invalid_id_and_negative_amount_are_reported_together_and_nothing_is_written(world):
    data = grid_input(world.grid.code, amount="-5")
    data.parties[0][1].id_number = "640202198503120011"  # wrong check digit
    with pytest.raises(InvalidInput) as info:
        record_dispute(actor=world.grid_worker, origin=WEB, data=data)
    messages = str(info.value.errors)
    assert "校验位" in messages
    assert "负数" in messages
    assert Dispute.objects.count() == 0


def test_a_role_cannot_use_another_roles_channel(world):
    with pytest.raises(NotPermitted):
        record_dispute(actor=world.clerk, origin=WEB, data=grid_input(world.grid.code))


def test_the_same_parties_category_and_amount_again_is_flagged_as_a_suspected_duplicate(world):
    data = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    first = record_dispute(actor=world.grid_worker, origin=WEB, data=data).dispute
    again = record_dispute(actor=world.grid_worker, origin=WEB, data=data).dispute
    assert first.duplicate_of is None  # its respondent was new: nothing earlier to compare with
    assert again.duplicate_of == first
    assert [e.kind for e in again.events.order_by("seq")] == [EventKind.RECORDED, EventKind.DUPLICATE_SUSPECTED]
    assert list(again.events.order_by("seq").values_list("seq", flat=True)) == [1, 2]
    # Another amount, or the same parties with one more, is another dispute.
    other_amount = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number, amount="500")
    other_amount.parties = data.parties
    assert record_dispute(actor=world.grid_worker, origin=WEB, data=other_amount).dispute.duplicate_of is None
    more = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    more.parties = [*data.parties, more.parties[1]]
    with_more = record_dispute(actor=world.grid_worker, origin=WEB, data=more).dispute
    assert with_more.duplicate_of is None
    # Fewer parties than an earlier dispute is not the same parties either.
    fewer = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    fewer.parties = [data.parties[0], more.parties[2]]
    assert record_dispute(actor=world.grid_worker, origin=WEB, data=fewer).dispute.duplicate_of is None
    # The same set of parties in another order is the same parties.
    swapped = grid_input(world.grid.code, applicant_id=world.party_user.party.id_number)
    swapped.parties = [data.parties[0], more.parties[2], data.parties[1]]
    assert record_dispute(actor=world.grid_worker, origin=WEB, data=swapped).dispute.duplicate_of == with_more
