"""What the case page shows of the litigation periods and jurisdiction objections (read only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.errors import DomainError
from suyuan.disputes.choices import ClockStatus, PartyRole
from suyuan.disputes.models import Clock
from suyuan.network.models import Organisation
from suyuan.rules import periods
from suyuan.rules.calendar import CalendarUnknown

from . import objections, transfers
from .models import Case, JurisdictionObjection
from .objection_choices import ObjectionStatus
from .objection_lifecycle import OBJECTION
from .objections import AbuseSignal

# The steps after an upheld ruling that the page offers as buttons (objection_views.objection_step).
AFTER_RULING_STEPS = ("appeal", "affirm_on_appeal", "reverse_on_appeal")


@dataclass
class ObjectionRow:
    """An objection with what the page shows after the ruling: the appeal period, the steps open."""

    objection: JurisdictionObjection
    ruling_appeal_due: date | None
    steps: list[str]


@dataclass
class AnswerRow:
    party_id: int
    party_name: str
    received_on: date | None
    deadline: periods.Deadline | None


@dataclass
class CasePeriods:
    answers: list[AnswerRow]
    evidence_rule: periods.PeriodRule | None
    objections: list[ObjectionRow]
    signals: list[AbuseSignal]
    can_record_service: bool
    can_object: bool
    can_rule: bool
    choose_party: bool = False  # the clerk files on a defendant's behalf
    courts: list[Organisation] = field(default_factory=list)


def case_periods(*, actor: User, case: Case) -> CasePeriods:
    defendants = case.dispute.dispute_parties.filter(role=PartyRole.RESPONDENT).select_related("party")
    served = {s.party_id: s.received_on for s in case.complaint_services.all()}
    answers = []
    for dp in defendants:
        received = served.get(dp.party_id)
        answers.append(AnswerRow(party_id=dp.party_id, party_name=dp.party.name, received_on=received,
                                 deadline=periods.compute("answer", start=received) if received else None))
    evidence_rule = None
    if case.procedure:
        on = case.registered_at.date() if case.registered_at else case.filed_at.date()
        try:
            evidence_rule = periods.rule_in_force("evidence", on=on, procedure=case.procedure)
        except (DomainError, CalendarUnknown):
            evidence_rule = None
    rows = list(case.jurisdiction_objections.select_related("party", "transfer_to"))
    due = dict(Clock.objects.filter(dispute=case.dispute_id, rule=transfers.RULING_APPEAL_RULE,
                                    object_ref__in=[transfers.objection_ref(o) for o in rows])
               .exclude(status=ClockStatus.CANCELLED).values_list("object_ref", "due_on"))
    shown = [ObjectionRow(o, due.get(transfers.objection_ref(o)),
                          [r.action for r in OBJECTION.available(o, actor) if r.action in AFTER_RULING_STEPS])
             for o in rows]
    pending = [o for o in rows if o.status == ObjectionStatus.FILED]
    can_rule = actor.role == Role.JUDGE and bool(pending) and all(OBJECTION.in_scope(o, actor) for o in pending)
    is_defendant = actor.role == Role.PARTY and any(a.party_id == actor.party_id for a in answers)
    open_case = case.status in objections.OPEN_FOR_OBJECTION
    return CasePeriods(
        answers=answers, evidence_rule=evidence_rule, objections=shown,
        signals=objections.abuse_signals(actor=actor, case=case),
        can_record_service=actor.role in objections.COURT_STAFF and open_case
        and any(a.received_on is None for a in answers),
        can_object=open_case and (actor.role == Role.CLERK or is_defendant),
        can_rule=can_rule,
        choose_party=actor.role == Role.CLERK,
        courts=list(Organisation.objects.exclude(court_code="").exclude(pk=case.court_id).order_by("court_code"))
        if can_rule else [],
    )
