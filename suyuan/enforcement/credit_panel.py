"""What the credit and assistance panel of an enforcement case shows to this user."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.assistance import selectors as assistance_selectors
from suyuan.assistance.choices import AssistKind
from suyuan.assistance.lifecycle import ASSIST_TASK
from suyuan.network.choices import RegionLevel
from suyuan.network.models import Region

from . import credit_rules, credit_selectors
from .choices import EnforcementStatus
from .credit_choices import CreditMeasureKind, CreditMeasureStatus, GraceStatus
from .credit_lifecycle import CREDIT_MEASURE, CREDIT_REVIEW
from .models import EnforcementCase


def holder_of(case: EnforcementCase) -> str:
    return f"enforcement:{case.pk}"


def panel(user: User, case: EnforcementCase) -> dict[str, Any]:
    today = timezone.localdate()
    officer = user.role == Role.ENFORCEMENT and case.status == EnforcementStatus.OPEN
    graces = list(credit_selectors.graces_of(user, case))
    measures = list(credit_selectors.measures_of(user, case))
    reviews = list(credit_selectors.reviews_of(user, case).select_related("measure"))
    listing = credit_rules.listing_rules(today)
    restriction = credit_rules.restriction_rules(today)
    rows = []
    for m in measures:
        table = restriction.lift_grounds if m.kind == CreditMeasureKind.CONSUMPTION_RESTRICTION \
            else listing.removal_grounds
        actions = {r.action for r in CREDIT_MEASURE.available(m, user)}
        rows.append({"measure": m, "can_lift": "lift" in actions, "can_correct": "correct" in actions,
                     "lift_grounds": list(table.values())})
    is_debtor = user.role == Role.PARTY and user.party_id == case.respondent_id
    listed = [m for m in measures if m.kind == CreditMeasureKind.DISHONEST_LIST
              and m.status == CreditMeasureStatus.IN_FORCE]
    tasks = list(assistance_selectors.tasks_of(user, holder_of(case)))
    task_rows = [{"task": t, "actions": {r.action for r in ASSIST_TASK.available(t, user)}} for t in tasks]
    grids = []
    if officer:
        grids = list(Region.objects.filter(level=RegionLevel.GRID, path__startswith=case.court.region.path,
                                           grid_workers__isnull=False).distinct().order_by("code")[:300])
    return {
        "case": case, "officer": officer, "today": today,
        "graces": graces, "running_grace": next((g for g in graces if g.status == GraceStatus.RUNNING), None),
        "measure_rows": rows, "reviews": reviews,
        "review_actions": {r.pk: {a.action for a in CREDIT_REVIEW.available(r, user)} for r in reviews},
        "grace_rule": credit_rules.grace_rules(today), "listing": listing, "restriction": restriction,
        "can_request_review": is_debtor and bool(listed), "listed": listed,
        "task_rows": task_rows, "assist_kinds": AssistKind.choices, "grids": grids,
        "default_grid": case.dispute.region_id if case.dispute.region.level == RegionLevel.GRID else None,
    }
