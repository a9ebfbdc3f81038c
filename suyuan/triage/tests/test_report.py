"""The triage report shows the agreement rate of cause proposals over time and per model version."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from suyuan.triage import selectors
from suyuan.triage.models import TriageDecision
from suyuan.triage.tests.test_retrain import decide

pytestmark = pytest.mark.django_db


def test_agreement_rate_by_month_for_the_cause_proposals(world, client):
    decide(world, 4)  # agreed, overridden, agreed, overridden
    rows = list(TriageDecision.objects.order_by("pk"))
    TriageDecision.objects.filter(pk__in=[r.pk for r in rows[:2]]).update(
        decided_at=datetime(2026, 10, 5, tzinfo=UTC), model_version="2026-11-25")
    TriageDecision.objects.filter(pk=rows[3].pk).update(decided_at=datetime(2026, 11, 5, tzinfo=UTC),
                                                        model_version="2026-12-03")
    TriageDecision.objects.filter(pk=rows[2].pk).update(decided_at=datetime(2026, 11, 6, tzinfo=UTC),
                                                        model_version="2026-12-03", agreed=True)
    report = selectors.agreement_report(world.clerk)
    by_month = [(r["key"].strftime("%Y-%m"), r["n"], r["rate"]) for r in report["by_month_cause"]]
    assert by_month == [("2026-10", 2, 0.5), ("2026-11", 2, 0.5)]
    assert {r["key"]: r["n"] for r in report["by_model"]} == {"2026-11-25": 2, "2026-12-03": 2}
    client.force_login(world.clerk)
    page = client.get("/triage/report/").content.decode()
    assert "案由建议采纳率随时间变化（按月份）" in page and "2026-10" in page and "案由建议按模型版本" in page
