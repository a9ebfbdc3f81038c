"""Reads: decisions in the actor's scope, agreement rates, training-data export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from suyuan.accounts.models import User
from suyuan.disputes.selectors import visible_disputes

from .models import TriageDecision


def visible_decisions(user: User) -> QuerySet[TriageDecision]:
    return TriageDecision.objects.filter(dispute__in=visible_disputes(user))


def _rate(qs: QuerySet[TriageDecision], key: str) -> list[dict[str, Any]]:
    rows = qs.values(key).annotate(n=Count("pk"), agreed_n=Count("pk", filter=Q(agreed=True))).order_by(key)
    return [{"key": r[key], "n": r["n"], "agreed": r["agreed_n"], "rate": r["agreed_n"] / r["n"]} for r in rows]


def agreement_report(user: User) -> dict[str, list[dict[str, Any]]]:
    qs = visible_decisions(user)
    return {
        "by_cause": _rate(qs.filter(task="cause"), "proposed"),
        "by_clerk": _rate(qs, "decided_by__full_name"),
        "by_month": _rate(qs.annotate(month=TruncMonth("decided_at")), "month"),
        "by_month_cause": _rate(qs.filter(task="cause").annotate(month=TruncMonth("decided_at")), "month"),
        "by_model": _rate(qs.filter(task="cause"), "model_version"),
        "by_task": _rate(qs, "task"),
    }


def training_rows(qs: QuerySet[TriageDecision]) -> Iterator[dict[str, Any]]:
    """One JSON Lines record per cause decision, in the CJRC-like format the trainer reads.

    Only the dispute's own description is exported (no names, ID numbers or phones are stored in
    decisions); descriptions may still name people, so the file stays inside the court.
    """
    for d in qs.filter(task="cause").select_related("dispute").order_by("pk").iterator():
        yield {
            "id": f"triage-{d.pk}", "domain": "civil", "casename": d.decided, "context": d.dispute.description,
            "proposed": d.proposed, "agreed": d.agreed, "decided_at": d.decided_at.isoformat(),
        }
