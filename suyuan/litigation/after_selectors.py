"""Reads after judgment, scoped by the actor: service records, appeals, retrial applications, judicial aid."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.network.selectors import court_subtree_ids

from .models import Case, JudicialAid, RetrialApplication, ServiceRecord
from .selectors import visible_cases


def service_records_of(user: User, case: Case) -> QuerySet[ServiceRecord]:
    """The court sees every party's service; a party only their own (送达回证 carry addresses)."""
    qs = ServiceRecord.objects.filter(case__in=visible_cases(user).filter(pk=case.pk)).select_related("party")
    if user.role == Role.PARTY:
        qs = qs.filter(party_id=user.party_id or 0)
    return qs.order_by("served_on", "pk")


def _court_or_case_scope(user: User) -> Q | None:
    if user.role == Role.PARTY:
        return Q(case__in=visible_cases(user)) & Q(applicant_id=user.party_id or 0)
    court = user.organisation.court() if user.is_active and user.organisation is not None else None
    if court is None:
        return None
    if user.role == Role.LEADER:
        ids = court_subtree_ids(court)
        return Q(court_id__in=ids) | Q(case__court_id__in=ids)
    if user.role in {Role.CLERK, Role.JUDGE}:
        return Q(court=court) | Q(case__court=court)
    return None


def visible_retrials(user: User) -> QuerySet[RetrialApplication]:
    condition = _court_or_case_scope(user)
    if condition is None:
        return RetrialApplication.objects.none()
    return RetrialApplication.objects.filter(condition)


def visible_aids(user: User) -> QuerySet[JudicialAid]:
    condition = _court_or_case_scope(user)
    if condition is None:
        return JudicialAid.objects.none()
    # Judicial aid is decided by the court of the case; JudicialAid has no court of its own.
    if user.role != Role.PARTY:
        return JudicialAid.objects.filter(case__in=visible_cases(user))
    return JudicialAid.objects.filter(condition)


def retrial_counts(user: User) -> list[dict[str, object]]:
    """For the leaders: applications by reviewing court and status (立案前审查的受理、释明不予受理)."""
    rows = (visible_retrials(user).values("court__short_name", "status")
            .annotate(n=Count("pk")).order_by("court__short_name", "status"))
    return [{"court": r["court__short_name"], "status": r["status"], "count": r["n"]} for r in rows]
