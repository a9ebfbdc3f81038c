"""The bulk runner: one transaction per item, stale versions reported, scope and roles checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suyuan.accounts.context import Origin
from suyuan.common.errors import Conflict, InvalidInput, NotPermitted
from suyuan.disputes import bulk
from suyuan.disputes.assignment import assign_dispute
from suyuan.disputes.models import Dispute, DisputeEvent
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input

pytestmark = pytest.mark.django_db
ORIGIN = Origin(via="test")


def _record(world, grid=None, worker=None):
    data = grid_input((grid or world.grid).code)
    return record_dispute(actor=worker or world.grid_worker, origin=ORIGIN, data=data).dispute


def _items(*disputes):
    return [bulk.BulkItem(d.pk, d.version) for d in disputes]


def test_assign_in_bulk_reports_stale_and_out_of_scope_items(world):
    a, b, c = _record(world), _record(world), _record(world)
    foreign = _record(world, world.other_grid, world.other_grid_worker)
    stale = bulk.BulkItem(c.pk, c.version)
    assign_dispute(actor=world.clerk, origin=ORIGIN, dispute_id=c.pk, assignee_id=world.clerk.pk)  # someone else first
    outcome = bulk.run_bulk_action(actor=world.clerk, origin=ORIGIN, key="assign", option=str(world.judge.pk),
                                   items=[*_items(a, b), stale, *_items(foreign)])
    assert [n for n, _ in outcome.done] == [a.number, b.number]
    reasons = dict(outcome.skipped)
    assert "已被他人更新" in reasons[c.number]
    assert "无权查看" in reasons[f"#{foreign.pk}"]
    assert outcome.summary().startswith("成功 2 件，未处理 2 件（")
    assert Dispute.objects.get(pk=c.pk).assignee_id == world.clerk.pk  # not overwritten
    assert Dispute.objects.get(pk=foreign.pk).assignee_id is None
    assert DisputeEvent.objects.filter(dispute=a, kind="assigned").count() == 1


def test_an_item_that_fails_midway_leaves_nothing_and_others_go_on(world):
    a, b, c = _record(world), _record(world), _record(world)

    def assign_then_fail(*, actor, origin, dispute, option):
        assign_dispute(actor=actor, origin=origin, dispute_id=dispute.pk, assignee_id=int(option))
        if dispute.pk == b.pk:
            raise Conflict("模拟的中途失败")
        return "ok"

    bulk.register_bulk_action("test_fail", "测试", {"clerk"}, assign_then_fail)
    try:
        outcome = bulk.run_bulk_action(actor=world.clerk, origin=ORIGIN, key="test_fail", option=str(world.judge.pk),
                                       items=_items(a, b, c))
    finally:
        bulk.REGISTRY.pop("test_fail")
    assert len(outcome.done) == 2 and outcome.skipped == [(b.number, "模拟的中途失败")]
    b.refresh_from_db()
    assert b.assignee_id is None and b.version == 1
    assert not DisputeEvent.objects.filter(dispute=b, kind="assigned").exists()
    assert Dispute.objects.get(pk=c.pk).assignee_id == world.judge.pk


def test_roles_options_and_limits(world):
    a = _record(world)
    with pytest.raises(NotPermitted):
        bulk.run_bulk_action(actor=world.grid_worker, origin=ORIGIN, key="assign", option=str(world.judge.pk),
                             items=_items(a))
    with pytest.raises(InvalidInput):  # a clerk of another court is no option
        bulk.run_bulk_action(actor=world.clerk, origin=ORIGIN, key="assign", option=str(world.other_clerk.pk),
                             items=_items(a))
    with pytest.raises(InvalidInput):
        bulk.parse_items(["1:x"])
    with pytest.raises(InvalidInput):
        bulk.parse_items([])
    with pytest.raises(InvalidInput):
        bulk.parse_items([f"{n}:1" for n in range(bulk.MAX_ITEMS + 1)])


def test_bulk_through_the_pages_with_one_confirmation(client, world):
    a, b = _record(world), _record(world)
    client.force_login(world.clerk)
    items = [f"{a.pk}:{a.version}", f"{b.pk}:{b.version}"]
    confirm = client.post(reverse("disputes:queue_bulk"), {"action": "assign", "item": items, "back": "queue=new"})
    text = confirm.content.decode()
    assert confirm.status_code == 200 and "确认分配承办人 2 件" in text and a.number in text
    assert Dispute.objects.filter(assignee__isnull=False).count() == 0  # nothing done before the confirmation
    done = client.post(reverse("disputes:queue_bulk"), {"action": "assign", "item": items, "confirm": "1",
                                                        "option": str(world.judge.pk), "back": "queue=new"},
                       follow=True)
    page = done.content.decode()
    assert "成功 2 件，未处理 0 件" in page
    assert Dispute.objects.filter(assignee=world.judge).count() == 2
    # The same check boxes again (versions now stale): reported item by item, nothing overwritten.
    again = client.post(reverse("disputes:queue_bulk"), {"action": "assign", "item": items, "confirm": "1",
                                                         "option": str(world.clerk.pk), "back": "queue=new"},
                        follow=True).content.decode()
    assert "成功 0 件，未处理 2 件（已被他人更新，请刷新后重试：2 件）" in again
    assert f"{a.number}：已被他人更新" in again
    assert Dispute.objects.filter(assignee=world.judge).count() == 2
    # Without an option, a clear message and nothing written.
    c = _record(world)
    response = client.post(reverse("disputes:queue_bulk"), {"action": "assign", "item": [f"{c.pk}:{c.version}"],
                                                            "confirm": "1", "option": ""}, follow=True)
    assert "请选择承办人" in response.content.decode()
    assert Dispute.objects.get(pk=c.pk).assignee_id is None


def test_single_assignment_from_the_dispute_page_and_the_mine_queue(client, world):
    d = _record(world)
    client.force_login(world.clerk)
    page = client.get(reverse("disputes:detail", args=[d.number])).content.decode()
    assert "分配给" in page and world.judge.display_name in page and world.other_clerk.display_name not in page
    client.post(reverse("disputes:assign", args=[d.number]), {"assignee": world.judge.pk, "version": d.version})
    d.refresh_from_db()
    assert d.assignee_id == world.judge.pk and d.version == 2
    # A second post with the version seen before is a conflict, not an overwrite.
    response = client.post(reverse("disputes:assign", args=[d.number]),
                           {"assignee": world.clerk.pk, "version": 1}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert Dispute.objects.get(pk=d.pk).assignee_id == world.judge.pk
    client.force_login(world.judge)
    mine = client.get(reverse("disputes:workbench"), {"queue": "mine"}).content.decode()
    assert d.number in mine
    # A grid worker sees the dispute but may not assign it.
    client.force_login(world.grid_worker)
    assert client.post(reverse("disputes:assign", args=[d.number]), {"assignee": world.clerk.pk,
                                                                       "version": 2}).status_code == 403
    assert Dispute.objects.get(pk=d.pk).assignee_id == world.judge.pk


def test_parties_get_the_plain_queue(client, world):
    client.force_login(world.party_user)
    page = client.get(reverse("disputes:workbench")).content.decode()
    assert 'name="item"' not in page and "queue-filters" not in page
