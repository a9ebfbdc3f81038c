"""R7: the IDOR matrix, generated from the URL configuration (pages and the API router).

For every role × every URL pattern that names an object × GET and POST, the test requests the
pattern with an object OUTSIDE that role's scope and expects 403 or 404 — never the object (its
dispute number must not appear in the answer, and a redirect would be an answer about it). A 405
is accepted only when a non-existent object gets the same 405 (the method is refused before any
lookup, so nothing is learnt about the object).

The world is the deterministic demo seed (three districts, every stage) plus, for object kinds the
seed does not produce, rows filled in on a dispute of another court. A role's out-of-scope object
is one whose dispute ``disputes.selectors.visible_disputes`` does not give it (checked to belong
to another court or district), or, for objects without a dispute, one that is someone else's.

A URL parameter the generator cannot classify fails the test, so a new page cannot slip through
without being put in the matrix; the only exceptions are in ``NOT_OBJECT_PAGES`` below, each with
its reason. The matrix size is printed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from suyuan.accounts.choices import CASE_ROLES, Role
from suyuan.accounts.models import User
from suyuan.demo.seed import seed_demo
from suyuan.disputes.models import Dispute
from suyuan.disputes.selectors import visible_disputes
from suyuan.testing.factories import make_user

pytestmark = pytest.mark.django_db
SEED_SIZE = 300
MISSING = 999_999_999


@dataclass(frozen=True)
class Kind:
    """What a URL parameter names: a model and the field the URL carries."""

    model: str
    field: str = "pk"


# (namespace, route prefix regex, parameter) → the object kind. The first match wins.
KINDS: list[tuple[str, str, str, Kind]] = [
    ("network", r"^network/mediators/", "mediator_id", Kind("network.Mediator")),
    ("disputes", r"^disputes/import/", "job_id", Kind("disputes.ImportJob")),
    ("disputes", r"^disputes/queue/views/", "pk", Kind("disputes.SavedQueueView")),
    ("disputes", r"", "number", Kind("disputes.Dispute", "number")),
    ("disputes", r"", "evidence_id", Kind("disputes.Evidence")),
    ("triage", r"", "number", Kind("disputes.Dispute", "number")),
    ("integrity", r"", "number", Kind("disputes.Dispute", "number")),
    ("documents", r"", "pk", Kind("documents.Document")),
    ("mediation", r"", "dispute_id", Kind("disputes.Dispute")),
    ("mediation", r"^mediation/meetings/", "ref", Kind("mediation.LocalMeeting", "ref")),
    ("mediation", r"^mediation/referrals/", "pk", Kind("mediation.Referral")),
    ("mediation", r"", "offer_id", Kind("mediation.Offer")),
    ("mediation", r"", "agreement_id", Kind("mediation.Agreement")),
    ("litigation", r"", "dispute_id", Kind("disputes.Dispute")),
    ("litigation", r"", "evidence_id", Kind("disputes.Evidence")),
    ("litigation", r"^litigation/cases/", "pk", Kind("litigation.Case")),
    ("litigation", r"^litigation/fees/", "pk", Kind("litigation.FeeNotice")),
    ("litigation", r"^litigation/reliefs/", "pk", Kind("litigation.FeeRelief")),
    ("litigation", r"^litigation/mediations/", "pk", Kind("litigation.CourtMediation")),
    ("litigation", r"^litigation/retrials/", "pk", Kind("litigation.RetrialApplication")),
    ("litigation", r"^litigation/judicial-aid/", "pk", Kind("litigation.JudicialAid")),
    ("litigation", r"^litigation/confirmations/", "pk", Kind("litigation.ConfirmationApplication")),
    ("litigation", r"^litigation/objections/", "pk", Kind("litigation.JurisdictionObjection")),
    ("preservation", r"", "dispute_pk", Kind("disputes.Dispute")),
    ("preservation", r"", "measure_pk", Kind("preservation.PreservationMeasure")),
    ("preservation", r"", "pk", Kind("preservation.Preservation")),
    ("assets", r"^assets/measures/", "pk", Kind("assets.Measure")),
    ("assistance", r"^assistance/photos/", "pk", Kind("assistance.AssistPhoto")),
    ("assistance", r"", "pk", Kind("assistance.AssistTask")),
    ("enforcement", r"^enforcement/plans/", "pk", Kind("enforcement.PerformancePlan")),
    ("enforcement", r"^enforcement/disputes/", "pk", Kind("disputes.Dispute")),
    ("enforcement", r"^enforcement/instalments/", "pk", Kind("enforcement.Instalment")),
    ("enforcement", r"^enforcement/cases/", "pk", Kind("enforcement.EnforcementCase")),
    ("enforcement", r"^enforcement/derivatives/", "pk", Kind("enforcement.DerivativeCase")),
    ("notices", r"", "notification_id", Kind("notices.Notification")),
    ("governance", r"^governance/suggestions/", "pk", Kind("governance.JudicialSuggestion")),
    ("portal", r"", "number", Kind("disputes.Dispute", "number")),
    ("voice", r"", "number", Kind("disputes.Dispute", "number")),
    ("voice", r"^voice/surveys/", "pk", Kind("voice.Survey")),
    ("voice", r"^voice/complaints/", "pk", Kind("voice.Complaint")),
    ("voice", r"^voice/invitations/", "pk", Kind("voice.Invitation")),
    ("api-v1", r"", "number", Kind("disputes.Dispute", "number")),
]

# Parameters that are not objects: a real value, so the request reaches the object lookup.
VALUES: dict[tuple[str, str], str] = {
    ("disputes:import_report", "fmt"): "csv",
    ("mediation:end", "action"): "fail",
    ("mediation:agreement_step", "action"): "issue",
    ("assistance:act", "action"): "accept",
    ("enforcement:case_action", "action"): "recover",
    ("enforcement:derivative_action", "action"): "review",
    ("enforcement:credit_act", "action"): "grace_open",
    ("governance:advance", "action"): "close",
    ("voice:complaint_step", "action"): "assign",
    ("voice:invitation_step", "action"): "accept",
}

# URL patterns with parameters that name no object of a scope; each says why it is not in the matrix.
NOT_OBJECT_PAGES: dict[str, str] = {
    # The blank import templates, one per file format: the same file for everyone who may import.
    "disputes:import_template": "fmt is a file format, the template holds no data",
    # The survey's SMS link: the signed token is the capability (Django signing, expiring, one answer);
    # a forged or altered token is refused like an unknown one (suyuan/voice/tests).
    "voice:survey_link": "token is a signed capability, not an object id",
    # Resetting a user's second factor: the security administrators' page over every account (no scope
    # narrower than the role); every other role is refused (suyuan/accounts/tests/test_second_factor.py).
    "accounts:second_factor_reset": "user_id names an account a security administrator may reset",
}

# Django admin: only for is_staff users with model permissions (the system administrator), and no
# case data is registered there (asserted below), so it has no scope to cross.
ADMIN_NAMESPACE = "admin"

# Objects of these kinds belong to a person or an organisation, not to a dispute's scope.
OWNED_BY = {
    "notices.Notification": lambda obj, user: obj.recipient_user_id != user.pk,
    "disputes.ImportJob": lambda obj, user: obj.uploaded_by_id != user.pk,
    "disputes.SavedQueueView": lambda obj, user: obj.user_id != user.pk,
    # An invitation is the invited deputy's (and the inviting side's, who see its dispute).
    "voice.Invitation": lambda obj, user: obj.deputy_id != user.pk
    and not visible_disputes(user).filter(pk=obj.dispute_id).exists(),
    "network.Mediator": lambda obj, user: not obj.organisations.filter(pk=user.organisation_id).exists()
    and obj.user_id != user.pk,
}


def walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):  # type: ignore[no-untyped-def]
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def classify(route: str, namespace: str | None, name: str, params: list[str]) -> dict[str, Kind | str]:
    """Each parameter → its object kind or a fixed value; raises for anything unknown."""
    out: dict[str, Kind | str] = {}
    for param in params:
        if (f"{namespace}:{name}", param) in VALUES:
            out[param] = VALUES[(f"{namespace}:{name}", param)]
            continue
        kind = next((k for ns, rx, p, k in KINDS if ns == namespace and p == param and re.match(rx, route)), None)
        if kind is None:
            raise LookupError(f"{namespace}:{name} {route}: parameter {param!r} is not classified")
        out[param] = kind
    return out


# --- the world --------------------------------------------------------------------------------


def dispute_of(obj: models.Model, depth: int = 0) -> Dispute | None:
    """The dispute an object belongs to, through its foreign keys (or the ``holder`` string)."""
    if isinstance(obj, Dispute):
        return obj
    if depth > 3:
        return None
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model is Dispute and getattr(obj, field.attname):
            return getattr(obj, field.name)
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.related_model is not None and getattr(obj, field.attname):
            if field.related_model._meta.app_label in {"accounts", "network", "parties", "disputes"}:
                continue
            found = dispute_of(getattr(obj, field.name), depth + 1)
            if found is not None:
                return found
    return None


# Field values a made-up row needs to pass its model's constraints.
FILL_VALUES: dict[str, dict[str, Any]] = {
    "voice.Complaint": {"subject": "organisation"},  # a complaint about a mediator must name one
}


class Filler:
    """Rows for the object kinds the seed lacks, on a dispute of another court, with valid references."""

    def __init__(self, dispute: Dispute, user: User, foreign_courts: set[int]) -> None:
        self.dispute, self.user, self.foreign_courts = dispute, user, foreign_courts
        self.serial = itertools.count(1)

    def related(self, model: type[models.Model]) -> models.Model:
        if model is Dispute:
            return self.dispute
        if model is User:
            return self.user
        label = model._meta.label
        if label == "network.Organisation":
            return self.dispute.court
        if label == "network.Region":
            return self.dispute.region
        if label == "parties.Party":
            return self.dispute.dispute_parties.first().party
        if label == "disputes.DisputeEvent":
            return self.dispute.events.first()
        for candidate in model.objects.order_by("pk")[:400]:
            owner = dispute_of(candidate)
            if model._meta.app_label in {"network"} or (owner is not None and owner.court_id in self.foreign_courts):
                return candidate
        return self.fill(label)

    def value(self, field: models.Field) -> Any:
        if field.choices:
            return field.choices[0][0]
        if isinstance(field, models.FileField):
            return f"idor/{next(self.serial)}.bin"
        if isinstance(field, models.DateTimeField):
            return timezone.now()
        if isinstance(field, models.DateField):
            return date(2026, 1, 5)
        if isinstance(field, models.DecimalField):
            return Decimal("1")
        if isinstance(field, models.IntegerField | models.PositiveIntegerField | models.PositiveSmallIntegerField):
            return next(self.serial)
        if isinstance(field, models.JSONField):
            return {}
        if field.name == "holder":
            return f"dispute:{self.dispute.pk}"
        text = f"idor{next(self.serial)}"
        return text[: field.max_length] if getattr(field, "max_length", None) else text

    def fill(self, label: str) -> models.Model:
        model = apps.get_model(label)
        values: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or (field.null and field.is_relation):
                continue
            if field.is_relation:
                values[field.name] = self.related(field.related_model)
            elif not (field.has_default() or getattr(field, "auto_now", False)
                      or getattr(field, "auto_now_add", False)):
                values[field.name] = self.value(field)
        values.update(FILL_VALUES.get(label, {}))
        return model.objects.create(**values)


def role_users() -> list[User]:
    named = {u.username: u for u in User.objects.filter(username__in=[
        "party_demo", "grid_dwk", "mediator_dwk", "orgadmin_dwk", "centre_dwk", "clerk_dwk", "judge_dwk",
        "enforce_dwk", "sysadmin", "security", "auditor", "deputy_demo",
    ])}
    court = named["clerk_dwk"].organisation
    # The seed's leaders see the whole city; a basic court's president has a scope to leave.
    named["leader_dwk"] = make_user(Role.LEADER, organisation=court, username="leader_dwk")
    users = list(named.values())
    assert {u.role for u in users} == set(Role.values)
    return users


def out_of_scope(kind: Kind, user: User, visible: set[int], foreign_courts: set[int], filler: Filler):
    """An object of ``kind`` that ``user`` must not reach (made if the seed has none)."""
    model = apps.get_model(kind.model)
    owned = OWNED_BY.get(kind.model)
    for obj in model.objects.order_by("-pk")[:400]:
        if owned is not None:
            if owned(obj, user):
                return obj
            continue
        dispute = dispute_of(obj)
        if dispute is not None and dispute.pk not in visible and dispute.court_id in foreign_courts:
            return obj
    return filler.fill(kind.model)


def test_no_case_data_in_the_admin():
    case_apps = {"disputes", "parties", "mediation", "litigation", "preservation", "enforcement", "assets",
                 "assistance", "documents", "notices", "integrity", "triage", "governance"}
    registered = {m._meta.app_label for m in admin.site._registry}
    assert not registered & case_apps, registered & case_apps


def test_every_role_is_refused_every_object_outside_its_scope(report_figure):
    seed_demo(disputes=SEED_SIZE)
    users = role_users()
    dawukou = User.objects.get(username="clerk_dwk").organisation
    foreign_courts = set(Dispute.objects.exclude(court=dawukou).exclude(court=None)
                         .values_list("court_id", flat=True).distinct())
    foreign = (Dispute.objects.filter(court_id__in=foreign_courts).exclude(mediator__user__username="mediator_dwk")
               .order_by("pk").first())
    filler = Filler(foreign, User.objects.get(username="clerk_hn"), foreign_courts)

    patterns = []
    unclassified = []
    for route, namespace, entry in walk(get_resolver()):
        params = sorted(entry.pattern.converters) if hasattr(entry.pattern, "converters") else []
        if not params and not re.search(r"<\w+>", route):
            continue  # no object in the URL: lists and forms, scoped by their selectors
        if namespace == ADMIN_NAMESPACE:
            continue
        name = f"{namespace}:{entry.name}"
        if name in NOT_OBJECT_PAGES:
            continue
        params = params or re.findall(r"<(?:\w+:)?(\w+)>", route)
        try:
            patterns.append((route, name, classify(route, namespace, entry.name, params)))
        except LookupError as exc:
            unclassified.append(str(exc))
    assert not unclassified, "URL parameters the IDOR matrix cannot classify:\n" + "\n".join(unclassified)

    kinds = {k for _, _, spec in patterns for k in spec.values() if isinstance(k, Kind)}
    failures: list[str] = []
    cells = Counter[str]()
    refused = Counter[int]()
    blind = Counter[str]()
    for user in users:
        visible = set(visible_disputes(user).values_list("pk", flat=True)) if user.role in CASE_ROLES else set()
        targets = {kind: out_of_scope(kind, user, visible, foreign_courts, filler) for kind in kinds}
        client = Client()
        client.force_login(user)
        for route, name, spec in patterns:
            real = {p: (getattr(targets[k], k.field) if isinstance(k, Kind) else k) for p, k in spec.items()}
            absent = {p: (MISSING if isinstance(k, Kind) and k.field == "pk" else "SY-0000-000000")
                      if isinstance(k, Kind) else k for p, k in spec.items()}
            numbers = {d.number for k in spec.values() if isinstance(k, Kind)
                       for d in [dispute_of(targets[k])] if d is not None}
            for method in ("get", "post"):
                cells[method] += 1
                url = _url(route, real)
                response = getattr(client, method)(url)
                status = response.status_code
                body = response.content.decode(errors="replace")
                if any(n in body for n in numbers):
                    failures.append(f"{user.role:<15} {method.upper():<4} {name:<34} {url} → {status}, shows it")
                elif status in (403, 404):
                    refused[status] += 1
                elif status in OBJECT_BLIND and _same_answer(response, getattr(client, method)(_url(route, absent)),
                                                             real, absent):
                    blind[f"{status} {name}"] += 1
                else:
                    failures.append(f"{user.role:<15} {method.upper():<4} {name:<34} {url} → {status}"
                                    + (f" → {response.get('Location', '')}" if 300 <= status < 400 else ""))

    size = sum(cells.values())
    report_figure(f"R7 IDOR matrix: {size} cases = {len(users)} roles × {len(patterns)} object URL patterns "
                  f"({len(kinds)} object kinds) × GET/POST: {refused[403]} × 403, {refused[404]} × 404, "
                  f"{sum(blind.values())} object-blind refusals (same answer as for a missing object: "
                  f"{dict(Counter(k.split()[0] for k in blind.elements()))}), {len(failures)} failures")
    assert not failures, f"{len(failures)} requests reached an object outside the role's scope:\n" + "\n".join(
        failures[:80])


# Answers other than 403/404 that are accepted only when a missing object gets the very same answer
# (status, and redirect target with the object's id in place): the refusal came before any lookup
# (a method not allowed, a form rejected), so nothing is learnt about the object. docs/reliability.md
# lists these pages; the aim is 403/404 for all of them.
OBJECT_BLIND = {302, 400, 405}


def _same_answer(response, other, real: dict[str, Any], absent: dict[str, Any]) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code != other.status_code:
        return False
    location, other_location = response.get("Location", ""), other.get("Location", "")
    for param, value in real.items():
        other_location = other_location.replace(str(absent[param]), str(value))
    return location == other_location


def _url(route: str, values: dict[str, Any]) -> str:
    def sub(match: re.Match[str]) -> str:
        return str(values[match.group(1)])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", sub, route).lstrip("^").rstrip("$")
