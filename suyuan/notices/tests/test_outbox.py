"""The outbox is written with the event, to the people it concerns, in masked Chinese text."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from suyuan.disputes.events import append_event
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import DisputeEvent
from suyuan.disputes.workflow import apply
from suyuan.notices.choices import NoticeChannel, NoticeStatus
from suyuan.notices.models import NoticePreference, Notification
from suyuan.notices.services import set_preferences

from .helpers import ORIGIN, record

pytestmark = pytest.mark.django_db


def _rows(event: DisputeEvent) -> set[tuple[str, str]]:
    return {
        (n.recipient_user.username if n.recipient_user else f"party:{n.recipient_party.name}", n.channel)
        for n in Notification.objects.filter(event=event).select_related("recipient_user", "recipient_party")
    }


def test_recording_notifies_both_parties_not_the_recorder(world):
    dispute = record(world)
    event = DisputeEvent.objects.get(dispute=dispute, kind="recorded")
    assert _rows(event) == {
        ("party1", NoticeChannel.INBOX),
        ("party1", NoticeChannel.SMS),  # parties get SMS by default, to the phone on file
        ("party:李四", NoticeChannel.SMS),  # no account: SMS only
    }
    sms = Notification.objects.get(event=event, recipient_party__name="李四")
    assert sms.address == "13800000002"
    assert sms.body.startswith("【诉源】纠纷 " + dispute.number)
    assert sms.status == NoticeStatus.PENDING
    assert sms.dedupe_key == f"{event.pk}:p{sms.recipient_party_id}:sms"


def test_workflow_step_reaches_parties_mediator_and_recorder_but_not_the_actor(world):
    dispute = record(world)
    dispute.mediator = world.mediator
    dispute.save(update_fields=["mediator"])
    apply(DISPUTE, dispute, "refer_to_mediation", actor=world.clerk, origin=ORIGIN)
    event = DisputeEvent.objects.get(dispute=dispute, kind="dispute.refer_to_mediation")
    rows = _rows(event)
    assert ("party1", NoticeChannel.INBOX) in rows
    assert ("mediator1", NoticeChannel.INBOX) in rows
    assert ("mediator1", NoticeChannel.SMS) in rows  # the roster's mobile number
    assert ("grid1", NoticeChannel.INBOX) in rows
    assert not any(user == "clerk1" for user, _ in rows)
    text = Notification.objects.filter(event=event).first().body
    assert "已交给调解组织调解" in text


def test_each_recipient_is_linked_to_the_page_of_their_role(world):
    dispute = record(world)
    dispute.mediator = world.mediator
    dispute.save(update_fields=["mediator"])
    apply(DISPUTE, dispute, "refer_to_mediation", actor=world.clerk, origin=ORIGIN)
    links = {
        n.recipient_user.username: n.link
        for n in Notification.objects.filter(event__kind="dispute.refer_to_mediation", recipient_user__isnull=False)
    }
    assert links["party1"] == reverse("portal:dispute", args=[dispute.number])  # the plain-words page
    assert links["mediator1"] == links["grid1"] == reverse("disputes:detail", args=[dispute.number])
    sms_only = Notification.objects.filter(event__kind="dispute.refer_to_mediation", recipient_user__isnull=True)
    assert sms_only.exists() and all(n.link == "" for n in sms_only)  # no account: nowhere to sign in


def test_the_acting_party_is_not_told_of_their_own_step(world):
    dispute = record(world)
    apply(DISPUTE, dispute, "withdraw", actor=world.party_user, origin=ORIGIN)
    event = DisputeEvent.objects.get(dispute=dispute, kind="dispute.withdraw")
    rows = _rows(event)
    assert not any(user == "party1" for user, _ in rows)
    assert ("party:李四", NoticeChannel.SMS) in rows


def test_overdue_clock_goes_to_staff_only(world):
    dispute = record(world)
    with transaction.atomic():
        event = append_event(dispute=dispute, kind="clock.overdue", actor=None, origin=ORIGIN,
                             summary="立案审查期限已于 2026-01-01 届满", title="期限届满")
    # No mediator assigned yet; the grid worker would get SMS but has no phone on their account.
    assert _rows(event) == {("grid1", NoticeChannel.INBOX)}


@pytest.mark.parametrize("kind", ["integrity.duplicate_found", "integrity.duplicate_decided",
                                  "integrity.group_joined"])
def test_integrity_review_hints_are_not_pushed_to_anyone(world, kind):
    dispute = record(world)
    with transaction.atomic():
        event = append_event(dispute=dispute, kind=kind, actor=None, origin=ORIGIN, summary="审查提示", title="提示")
    assert _rows(event) == set()


def test_a_demonstration_outcome_reaches_the_mediator_only(world):
    dispute = record(world)
    dispute.mediator = world.mediator
    dispute.save(update_fields=["mediator"])
    with transaction.atomic():
        event = append_event(dispute=dispute, kind="integrity.demonstration_outcome", actor=world.clerk,
                             origin=ORIGIN, summary="示范案件调解结果", title="示范案件结果推送")
    assert {user for user, _ in _rows(event)} == {"mediator1"}


def test_rolled_back_write_leaves_no_notification(world):
    dispute = record(world)
    before = Notification.objects.count()
    seen_inside: list[int] = []

    def failing_service() -> None:
        with transaction.atomic():
            append_event(dispute=dispute, kind="details_updated", actor=world.grid_worker, origin=ORIGIN,
                         summary="修改了纠纷信息")
            seen_inside.append(Notification.objects.count())
            raise RuntimeError("the service failed after writing the event")

    with pytest.raises(RuntimeError):
        failing_service()
    assert seen_inside[0] > before  # written inside the transaction…
    assert Notification.objects.count() == before  # …and gone with it
    assert not DisputeEvent.objects.filter(dispute=dispute, kind="details_updated").exists()


def test_texts_mask_id_numbers_and_phones_and_unknown_kinds_use_the_generic_template(world):
    dispute = record(world)
    other_id = "640202198503120017"
    with transaction.atomic():
        event = append_event(
            dispute=dispute, kind="details_updated", actor=world.grid_worker, origin=ORIGIN,
            summary=f"被申请人身份证号更正为 {other_id}，电话 13812345678",
        )
        unknown = append_event(dispute=dispute, kind="annex_filed", actor=world.grid_worker, origin=ORIGIN,
                               summary="x", title="补充材料")
    for n in Notification.objects.filter(event=event):
        assert other_id not in n.body and "13812345678" not in n.body
        assert "640202********0017" in n.body and "138****5678" in n.body
    generic = Notification.objects.filter(event=unknown).first()
    assert generic.template_key == "generic"
    assert generic.body.endswith(f"您的纠纷 {dispute.number} 有新进展：补充材料")


def test_preferences_decide_the_channels(world):
    world.party_user.email = "chen@example.cn"
    world.party_user.save()
    set_preferences(actor=world.party_user, origin=ORIGIN, sms=False, email=True)
    dispute = record(world)
    event = DisputeEvent.objects.get(dispute=dispute, kind="recorded")
    mine = {n.channel for n in Notification.objects.filter(event=event, recipient_user=world.party_user)}
    assert mine == {NoticeChannel.INBOX, NoticeChannel.EMAIL}
    assert NoticePreference.objects.get(user=world.party_user).email is True


def test_the_dedupe_key_refuses_a_second_row(world):
    from suyuan.notices.services import write_outbox

    dispute = record(world)
    event = DisputeEvent.objects.get(dispute=dispute, kind="recorded")
    count = Notification.objects.filter(event=event).count()
    with transaction.atomic():
        write_outbox(event)  # a sink run twice for the same event
    assert Notification.objects.filter(event=event).count() == count


@pytest.mark.parametrize("number", ["SY-2026-000001", "X0NUMBER0", "a b", "案-1"])
def test_the_dispute_link_is_the_reversed_url_under_any_script_prefix(number):
    from django.urls import reverse, set_script_prefix

    from suyuan.notices.services import _detail_link

    assert _detail_link(number) == reverse("disputes:detail", args=[number])
    set_script_prefix("/suyuan/")
    try:
        assert _detail_link(number) == reverse("disputes:detail", args=[number])
        assert _detail_link(number).startswith("/suyuan/disputes/")
    finally:
        set_script_prefix("/")


def test_the_bulk_form_run_twice_over_many_events_adds_nothing(world):
    """Enough rows for the bulk form to copy them (``common.bulk_rows.COPY_MIN_ROWS``: ``COPY``
    through a staging table on PostgreSQL); the second run meets the dedupe key on every row."""
    from suyuan.common.bulk_rows import COPY_MIN_ROWS
    from suyuan.notices.services import write_outbox_many

    events = [DisputeEvent.objects.get(dispute=record(world), kind="recorded") for _ in range(COPY_MIN_ROWS // 3 + 1)]
    before = {e.pk: _rows(e) for e in events}
    assert sum(len(rows) for rows in before.values()) >= COPY_MIN_ROWS
    with transaction.atomic():
        written = write_outbox_many(events)
    assert written >= COPY_MIN_ROWS
    assert {e.pk: _rows(e) for e in events} == before
    assert Notification.objects.filter(event__in=events).count() == sum(len(r) for r in before.values())
