"""Judicial suggestions: drafting, every edge of their lifecycle, closure, the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.models import DisputeEvent
from suyuan.disputes.workflow import apply
from suyuan.governance import selectors, services
from suyuan.governance.choices import SuggestionStatus
from suyuan.governance.lifecycle import SUGGESTION
from suyuan.governance.models import JudicialSuggestion
from suyuan.governance.selectors import Filters
from suyuan.testing.factories import make_user

ORIGIN = Origin(via="test")
TODAY = date(2026, 3, 2)


def draft(world, **kw):  # type: ignore[no-untyped-def]
    args = {"title": "关于规范物业服务收费的司法建议", "content": "长胜街道物业纠纷集中，建议……",
            "addressee": "大武口区住房和城乡建设局", "owner_id": world.judge.pk,
            "deadline": TODAY + timedelta(days=30), "region_code": "640202001000", "category": "property_mgmt",
            "today": TODAY}
    args.update(kw)
    return services.create_suggestion(actor=world.leader, origin=ORIGIN, **args)


def test_draft_to_closure(world) -> None:
    s = draft(world)
    assert s.number == "SJ-2026-001" and s.status == SuggestionStatus.DRAFT and s.court == world.intermediate_court
    s = services.advance_suggestion(actor=world.leader, origin=ORIGIN, suggestion_id=s.pk, action="issue")
    assert s.status == SuggestionStatus.ISSUED and s.issued_at is not None
    with pytest.raises(InvalidInput):
        services.advance_suggestion(actor=world.judge, origin=ORIGIN, suggestion_id=s.pk, action="record_reply")
    s = services.advance_suggestion(actor=world.judge, origin=ORIGIN, suggestion_id=s.pk, action="record_reply",
                                    text="已开展专项整治，出台收费公示办法。")
    assert s.status == SuggestionStatus.REPLIED and s.reply.startswith("已开展")
    with pytest.raises(NotPermitted):
        services.advance_suggestion(actor=world.judge, origin=ORIGIN, suggestion_id=s.pk, action="close", text="x")
    s = services.advance_suggestion(actor=world.leader, origin=ORIGIN, suggestion_id=s.pk, action="close",
                                    text="建议被采纳，次季度物业纠纷下降。")
    assert s.status == SuggestionStatus.CLOSED and s.closed_at is not None
    steps = AuditEntry.objects.filter(target_type="suggestion").values_list("detail__action", flat=True)
    assert set(steps) >= {"issue", "record_reply", "close"}
    assert not DisputeEvent.objects.filter(kind__startswith="suggestion.").exists()  # no dispute timeline


def test_draft_is_validated(world) -> None:
    with pytest.raises(InvalidInput) as exc:
        draft(world, title=" ", owner_id=world.party_user.pk, deadline=TODAY, region_code="999", category="x")
    assert set(exc.value.errors) == {"title", "owner", "deadline", "region", "category"}
    with pytest.raises(NotPermitted):
        services.create_suggestion(actor=world.clerk, origin=ORIGIN, title="t", content="c", addressee="a",
                                   owner_id=world.clerk.pk, deadline=TODAY + timedelta(days=3), today=TODAY)


ROLES = [Role.LEADER, Role.JUDGE, Role.CLERK]


@pytest.mark.parametrize("state", SuggestionStatus.values)
def test_every_edge_from(world, state) -> None:
    # A 大武口 court leader's suggestion: the court's own judge and clerk are in scope.
    court_leader = make_user(Role.LEADER, organisation=world.dawukou_court)
    actors = {Role.LEADER: court_leader, Role.JUDGE: world.judge, Role.CLERK: world.clerk}
    s = services.create_suggestion(actor=court_leader, origin=ORIGIN, title="t", content="c", addressee="a",
                                   owner_id=world.clerk.pk, deadline=TODAY + timedelta(days=9), today=TODAY)
    checked = 0
    for action in sorted(SUGGESTION.actions()):
        row = SUGGESTION.find(state, action)
        for role in ROLES:
            JudicialSuggestion.objects.filter(pk=s.pk).update(status=state)
            allowed = row is not None and role in row.roles
            sid = transaction.savepoint_create()
            try:
                done = apply(SUGGESTION, s.pk, action, actor=actors[role], origin=ORIGIN,
                             payload={"reply": "回复", "note": "评估"})
                assert allowed, (state, action, role)
                assert done.status == row.target
            except (Conflict, NotPermitted):
                assert not allowed, (state, action, role)
            transaction.savepoint_rollback(sid)
            checked += 1
    assert checked == len(SUGGESTION.actions()) * len(ROLES)


def test_scope(world) -> None:
    s = draft(world)
    # Issued by 宁02: its own staff and the owner (a 大武口 judge) see it; a basic court's clerk
    # who is not the owner does not (a court sees its own and its lower courts' suggestions).
    with pytest.raises(NotFound):
        apply(SUGGESTION, s.pk, "record_reply", actor=world.clerk, origin=ORIGIN, payload={"reply": "x"})
    assert list(selectors.visible_suggestions(world.judge)) == [s]
    assert list(selectors.visible_suggestions(world.leader)) == [s]
    assert list(selectors.visible_suggestions(world.party_user)) == []
    assert list(selectors.visible_suggestions(world.other_clerk)) == []


def test_report_lists_open_and_recently_closed(world) -> None:
    s = draft(world)
    period = Filters(date(2026, 1, 1), date(2099, 12, 1))
    assert selectors.report_suggestions(world.leader, period) == [s]
    JudicialSuggestion.objects.filter(pk=s.pk).update(status="withdrawn")
    assert selectors.report_suggestions(world.leader, period) == []


def test_pages(client, world) -> None:
    client.force_login(world.leader)
    response = client.post("/governance/suggestions/", {"title": "", "addressee": "", "content": "",
                                                        "owner": "x", "deadline": "bad"})
    assert response.status_code == 400 and "请填写标题" in response.content.decode()
    response = client.post("/governance/suggestions/", {
        "title": "关于劳动用工的司法建议", "addressee": "平罗县人力资源和社会保障局", "content": "建议……",
        "owner": str(world.judge.pk), "deadline": (date.today() + timedelta(days=20)).isoformat()})
    assert response.status_code == 302
    s = JudicialSuggestion.objects.get()
    page = client.get(f"/governance/suggestions/{s.pk}/").content.decode()
    assert "审批并发出司法建议" in page
    assert client.post(f"/governance/suggestions/{s.pk}/issue/", {"version": s.version}).status_code == 302
    s.refresh_from_db()
    assert s.status == SuggestionStatus.ISSUED
    assert client.post(f"/governance/suggestions/{s.pk}/issue/", {"version": s.version}).status_code == 409
