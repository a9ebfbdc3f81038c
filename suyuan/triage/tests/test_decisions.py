"""The clerk's decision: event and audit written, override needs a reason, scope, pages, export."""

import json
from io import StringIO

import pytest

from suyuan.accounts.context import Origin
from suyuan.accounts.models import AuditEntry
from suyuan.common.errors import InvalidInput, NotFound, NotPermitted
from suyuan.disputes.choices import EventKind
from suyuan.disputes.models import DisputeEvent
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.triage.models import TriageDecision
from suyuan.triage.services import decide_triage, propose_triage


@pytest.fixture
def dispute(world):
    data = grid_input(world.grid.code)
    return record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute


def test_proposal_is_explained(dispute):
    p = propose_triage(dispute)
    assert p.causes and all(c.reasons for c in p.causes)
    assert p.track.complexity and p.track.path_reasons and p.track.small_claims


def test_override_is_recorded_with_event_and_audit(world, dispute):
    p = propose_triage(dispute)
    other_track = "ordinary" if p.track.track != "ordinary" else "simple"
    audit_before = AuditEntry.objects.count()
    rows = decide_triage(actor=world.clerk, origin=Origin(via="test"), number=dispute.number, decisions={
        "cause": (p.causes[0].label, ""), "track": (other_track, "被告已申请鉴定")})
    assert [r.agreed for r in rows] == [True, False]
    override = TriageDecision.objects.get(task="track")
    assert override.reason == "被告已申请鉴定" and override.decided == other_track
    assert override.proposal["causes"][0]["reasons"]
    event = DisputeEvent.objects.filter(dispute=dispute, kind=EventKind.TRIAGE_DECIDED).get()
    assert event.data["decisions"][1]["agreed"] is False
    assert AuditEntry.objects.count() == audit_before + 1


def test_override_without_reason_writes_nothing(world, dispute):
    with pytest.raises(InvalidInput) as exc:
        decide_triage(actor=world.clerk, origin=Origin(via="test"), number=dispute.number,
                      decisions={"cause": ("不当得利纠纷", "")})
    assert "cause_reason" in exc.value.errors
    assert not TriageDecision.objects.exists()
    assert not DisputeEvent.objects.filter(kind=EventKind.TRIAGE_DECIDED).exists()


def test_scope_and_role(world, dispute):
    with pytest.raises(NotFound):
        decide_triage(actor=world.other_clerk, origin=Origin(via="test"), number=dispute.number,
                      decisions={"track": ("simple", "x")})
    with pytest.raises(NotPermitted):
        decide_triage(actor=world.grid_worker, origin=Origin(via="test"), number=dispute.number,
                      decisions={"track": ("simple", "x")})


def test_pages(client, world, dispute):
    client.force_login(world.other_clerk)
    assert client.get(f"/triage/{dispute.number}/").status_code == 404
    client.force_login(world.clerk)
    page = client.get(f"/triage/{dispute.number}/")
    assert page.status_code == 200 and "案由建议" in page.content.decode() and "置信度" in page.content.decode()
    bad = client.post(f"/triage/{dispute.number}/", {"track": "nonsense", "track_reason": ""})
    assert bad.status_code == 400
    ok = client.post(f"/triage/{dispute.number}/", {"path": "ordinary", "path_reason": "当事人拒绝调解"})
    assert ok.status_code == 302
    report = client.get("/triage/report/")
    assert report.status_code == 200 and "采纳率" in report.content.decode()


def test_export_training_data(world, dispute, tmp_path):
    from django.core.management import call_command

    decide_triage(actor=world.clerk, origin=Origin(via="test"), number=dispute.number,
                  decisions={"cause": ("借款合同纠纷", "双方为金融机构")})
    out = tmp_path / "x.jsonl"
    call_command("triage_export", "--output", str(out), "--overrides-only", stdout=StringIO())
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["casename"] == "借款合同纠纷" and rows[0]["agreed"] is False and rows[0]["context"]
