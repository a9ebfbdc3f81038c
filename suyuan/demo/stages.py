"""Move the seeded history through the process: mediation, confirmation, litigation, performance, enforcement.

Every step is taken with the lifecycle table (``Lifecycle.find``) exactly as ``workflow.apply`` would,
so each status written is reachable; the steps are then bulk-written with their historical dates
(the timeline is append-only, so each event is inserted once, already back-dated). Nothing here reads
the wall clock: dates follow the dispute's own ``created_at`` and stop at the fixed ``REFERENCE``
moment, so the most recent disputes are caught part-way through, as in a running system.

The shares below are illustrative, loosely shaped like Shizuishan's public reports (people's mediation
settling well over half of what it takes, most confirmed agreements performed, a minority enforced);
they are not official statistics.

A handful of disputes are left for the demo accounts at live stages (``live_stages`` drives them
through the real services, so that their documents, clocks and signatures are genuine).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from suyuan.accounts.choices import Role
from suyuan.accounts.models import User
from suyuan.common.models import Counter
from suyuan.disputes.choices import DisputeStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.models import Dispute, DisputeEvent, DisputeParty
from suyuan.disputes.workflow import Lifecycle
from suyuan.enforcement.choices import PerformanceSource
from suyuan.enforcement.lifecycle import ENFORCEMENT_CASE, INSTALMENT, PLAN
from suyuan.enforcement.models import EnforcementCase, Instalment, PerformancePlan
from suyuan.litigation.choices import CaseType, MediationOutcome, Procedure
from suyuan.litigation.lifecycle import CASE, CONFIRMATION
from suyuan.litigation.models import Case, ConfirmationApplication, CourtMediation, Judgment, format_case_number
from suyuan.mediation.choices import ConsentKind, ConsentVia, MediationKind
from suyuan.mediation.lifecycle import AGREEMENT, REFERRAL
from suyuan.mediation.models import Agreement, ConsentRecord, Referral
from suyuan.network.choices import OrganisationKind
from suyuan.network.models import Mediator, Organisation
from suyuan.parties.models import Party

from .disputes import TZ
from .network import CHANGSHENG, UNUSABLE_PASSWORD, Network

# The demo's "now" for the history: later steps have not happened yet.
REFERENCE = datetime(2026, 11, 20, 18, 0, tzinfo=TZ)

# Illustrative shares (see the module docstring).
SHARE_REFERRED = 0.72  # of new disputes, referred to mediation first
SHARE_FILED_DIRECTLY = 0.16  # filed in court straight away (most card debts go this way)
SHARE_WITHDRAWN_EARLY = 0.03
MEDIATION_OUTCOME = {"settle": 0.68, "fail": 0.26, "withdraw": 0.06}
SHARE_CONFIRMATION = 0.32  # of monetary settlements, taken to the court for judicial confirmation
SHARE_CONFIRMED = 0.93
SHARE_VOLUNTARY = 0.58  # of the rest, performance tracked without confirmation
SHARE_SUE_AFTER_FAILURE = 0.55
SHARE_REFER_AGAIN = 0.06
SHARE_REGISTERED = 0.92
SHARE_COURT_MEDIATION = 0.40  # registered cases referred to court mediation
SHARE_COURT_SETTLED = 0.55
SHARE_PERFORMED = 0.84  # performance plans performed in full (the rest default)
SHARE_ENFORCED = 0.75  # defaulted plans taken to enforcement
SHARE_ENFORCEMENT_CONCLUDED = 0.7

KIND_BY_ORGANISATION = {
    OrganisationKind.PEOPLES_MEDIATION: MediationKind.PEOPLES,
    OrganisationKind.INDUSTRY_MEDIATION: MediationKind.INDUSTRY,
    OrganisationKind.LAWYER_MEDIATION: MediationKind.LAWYER,
}
REFERRERS = {Role.CLERK, Role.CENTRE_STAFF, Role.GRID_WORKER, Role.ORG_ADMIN}


@dataclass(frozen=True)
class Actor:
    user: User | None
    label: str
    role: str
    organisation: str = ""

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user, user.display_name, user.role, user.organisation.name if user.organisation else "")


SYSTEM = Actor(None, "系统", "")


@dataclass
class Pending:
    """One event waiting for its objects' primary keys."""

    dispute: Dispute
    at: datetime
    kind: str
    title: str
    actor: Actor
    summary: str
    data: dict[str, Any]
    obj: Any = None  # the lifecycle object whose pk goes into data["object"]
    refs: dict[str, Any] = field(default_factory=dict)  # data key → object whose pk it names


class History:
    """Plans and writes the later stages of the seeded disputes."""

    def __init__(self, rng: random.Random, net: Network) -> None:
        self.rng, self.net = rng, net
        self.events: list[Pending] = []
        self.objects: dict[type, list[Any]] = defaultdict(list)
        self.numbered: list[tuple[datetime, int, Any, str, Organisation, str]] = []  # (at, n, obj, type, court, prefix)
        self.parties: dict[int, tuple[list[Party], list[Party]]] = {}
        self.mediators_of: dict[int, list[Mediator]] = defaultdict(list)
        for m in Mediator.objects.prefetch_related("organisations").order_by("pk"):
            for org in m.organisations.all():
                self.mediators_of[org.pk].append(m)
        counties = {c.code: k for c, k in zip(net.counties, ("dwk", "hn", "pl"), strict=False)}
        self.key_of_court = {court.pk: counties[code] for code, court in net.courts.items()}
        self.judges: dict[int, User] = {net.courts[c].pk: u for c, u in self._court_users(Role.JUDGE, "judge").items()}
        self.enforcers: dict[int, User] = {
            net.courts[c].pk: u for c, u in self._court_users(Role.ENFORCEMENT, "enforce").items()}

    def _court_users(self, role: str, prefix: str) -> dict[str, User]:
        """The named judge/enforcer of 大武口; an account without a usable password at the other two courts."""
        out, new = {}, []
        for code, court in self.net.courts.items():
            key = self.key_of_court[court.pk]
            named = self.net.users.get(f"{prefix}_{key}")
            if named is None:
                named = User(username=f"{prefix}_{key}_01", password=UNUSABLE_PASSWORD, role=role,
                             full_name=_name(self.rng), organisation=court)
                new.append(named)
            out[code] = named
        User.objects.bulk_create(new)
        return out

    # --- steps -----------------------------------------------------------------------------

    def step(self, lifecycle: Lifecycle[Any], obj: Any, action: str, at: datetime, actor: Actor, *,
             summary: str = "", data: dict[str, Any] | None = None, refs: dict[str, Any] | None = None) -> None:
        """Take one row of the table (it must exist from the current state) and record its event."""
        state = getattr(obj, lifecycle.status_field)
        row = lifecycle.find(state, action)
        assert row is not None, f"{lifecycle.name}: {state} has no {action}"
        setattr(obj, lifecycle.status_field, row.target)
        if hasattr(obj, "version"):
            obj.version += 1
        dispute = obj if lifecycle is DISPUTE else obj.dispute if hasattr(obj, "dispute") else obj.plan.dispute
        self.events.append(Pending(
            dispute=dispute, at=at, kind=f"{lifecycle.name}.{action}", title=row.label, actor=actor,
            summary=summary or f"{row.label}：{lifecycle.label_of(state)} → {lifecycle.label_of(row.target)}",
            data={"lifecycle": lifecycle.name, "from": state, "to": row.target, **(data or {})}, obj=obj,
            refs=refs or {},
        ))

    def note(self, dispute: Dispute, at: datetime, kind: str, title: str, actor: Actor, summary: str,
             refs: dict[str, Any] | None = None, data: dict[str, Any] | None = None) -> None:
        self.events.append(Pending(dispute=dispute, at=at, kind=kind, title=title, actor=actor, summary=summary,
                                   data=data or {}, refs=refs or {}))

    def later(self, at: datetime, low: float, high: float) -> datetime:
        """A working-hours moment some days after ``at``."""
        day = (at + timedelta(days=self.rng.uniform(low, high))).date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        moment = datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randrange(60)), tzinfo=TZ)
        return max(moment, at + timedelta(minutes=self.rng.randint(5, 90)))

    # --- the whole path of one dispute ------------------------------------------------------

    def run(self, dispute: Dispute) -> None:
        rng = self.rng
        at = dispute.created_at
        batch = dispute.channel == "batch"
        roll = rng.random()
        if batch:
            if roll < 0.3:
                self.mediation(dispute, at)
            elif roll < 0.9:
                self.litigation(dispute, self.later(at, 2, 20))
        elif roll < SHARE_REFERRED:
            self.mediation(dispute, at)
        elif roll < SHARE_REFERRED + SHARE_FILED_DIRECTLY:
            self.litigation(dispute, self.later(at, 0, 10))
        elif roll < SHARE_REFERRED + SHARE_FILED_DIRECTLY + SHARE_WITHDRAWN_EARLY:
            when = self.later(at, 1, 20)
            if when <= REFERENCE:
                self.step(DISPUTE, dispute, "withdraw", when, self.party_actor(dispute),
                          summary="申请人撤回纠纷：双方已自行和解")
        # the rest stays recorded: awaiting triage, or the parties never came back

    def party_actor(self, dispute: Dispute) -> Actor:
        applicant = self.parties[dispute.pk][0][0]
        return Actor(None, applicant.name, Role.PARTY)

    def referrer(self, dispute: Dispute) -> User:
        if dispute.recorded_by.role in REFERRERS and dispute.recorded_by.role != Role.ORG_ADMIN:
            return dispute.recorded_by
        if dispute.recorded_by.role == Role.ORG_ADMIN:
            return dispute.recorded_by
        key = self.key_of_court[dispute.court_id]
        return self.net.users[f"centre_{key}"]

    def organisation_for(self, dispute: Dispute) -> Organisation:
        if dispute.handling_organisation is not None and dispute.handling_organisation.pk in self.net.admin_of:
            return dispute.handling_organisation
        industry = self.net.industry.get(dispute.category)
        if industry is not None and self.rng.random() < 0.45:
            return industry
        township = dispute.region.code[:9] + "000"
        return self.net.committees.get(township) or self.rng.choice(list(self.net.committees.values()))

    def mediation(self, dispute: Dispute, after: datetime, *, again: bool = False) -> None:
        rng = self.rng
        at = self.later(after, 0, 3)
        if at > REFERENCE:
            return
        org = self.organisation_for(dispute)
        referrer = self.referrer(dispute)
        admin = self.net.admin_of[org.pk]
        self.step(DISPUTE, dispute, "refer_again" if again else "refer_to_mediation", at, Actor.of(referrer),
                  summary=f"委派{org.name}调解", data={"organisation": org.pk})
        dispute.handling_organisation, dispute.mediator = org, None
        referral = Referral(dispute=dispute, organisation=org, kind=KIND_BY_ORGANISATION[OrganisationKind(org.kind)],
                            referred_by=referrer, referred_by_organisation=referrer.organisation, referred_at=at,
                            court_referred=False)
        self.objects[Referral].append(referral)
        mediators = self.mediators_of[org.pk]
        mediator = self.net.demo_mediator if org.region_id and org == self.net.committees.get(CHANGSHENG) \
            and rng.random() < 0.5 else rng.choice(mediators or [self.net.demo_mediator])
        med_actor = Actor(mediator.user, mediator.name, Role.MEDIATOR, org.name)
        at = self.later(at, 0, 2)
        if at > REFERENCE:
            return
        self.step(REFERRAL, referral, "assign", at, Actor.of(admin), summary=f"分派调解员：{mediator.name}",
                  data={"mediator": mediator.pk})
        referral.mediator, dispute.mediator = mediator, mediator
        at = self.later(at, 0, 2)
        if at > REFERENCE:
            return
        referral.signed_receipt_at = at
        self.step(REFERRAL, referral, "accept", at, med_actor,
                  summary=f"调解员签收，签收时间 {at:%Y-%m-%d %H:%M}", data={"signed_receipt_at": at.isoformat()})
        at = self.later(at, 1, 7)
        if at > REFERENCE:
            return
        outcome = rng.choices(list(MEDIATION_OUTCOME), weights=list(MEDIATION_OUTCOME.values()))[0]
        applicants, respondents = self.parties[dispute.pk]
        if outcome == "fail" and rng.random() < 0.3:  # a party refuses mediation outright
            self.consents(dispute, applicants, at, med_actor, given=True)
            self.consents(dispute, respondents, at, med_actor, given=False)
            self.end_referral(dispute, referral, "fail", self.later(at, 0, 1), med_actor, "被申请人不同意调解")
            self.after_failure(dispute)
            return
        self.consents(dispute, applicants + respondents, at, med_actor, given=True)
        self.step(REFERRAL, referral, "open_session", at, med_actor, summary="开始调解（各方当事人同意调解）",
                  data={"mode": "in_person"})
        at = self.later(at, 2, 25)
        if at > REFERENCE:
            return
        if outcome == "withdraw":
            self.end_referral(dispute, referral, "withdraw", at, med_actor, "双方自行和解，申请人撤回调解申请")
            return
        if outcome == "fail":
            self.end_referral(dispute, referral, "fail", at, med_actor, "双方分歧较大，经多次调解未能达成协议")
            self.after_failure(dispute)
            return
        self.settle(dispute, referral, at, med_actor, admin)

    def consents(self, dispute: Dispute, parties: list[Party], at: datetime, actor: Actor, *, given: bool) -> None:
        recorder = actor.user or self.net.admin_of[dispute.handling_organisation.pk]  # type: ignore[union-attr]
        for party in parties:
            self.objects[ConsentRecord].append(ConsentRecord(
                dispute=dispute, party=party, kind=ConsentKind.MEDIATION, given=given, at=at, recorded_by=recorder,
                via=ConsentVia.ON_SITE, note="调解员现场询问并记录"))
            self.note(dispute, at, "consent.recorded", "当事人同意" if given else "当事人不同意", actor,
                      f"{party.name}{'同意' if given else '不同意'}调解（现场口头表示并记录）",
                      data={"party": party.pk, "kind": ConsentKind.MEDIATION, "given": given})

    def end_referral(self, dispute: Dispute, referral: Referral, action: str, at: datetime, actor: Actor,
                     reason: str) -> None:
        referral.closed_at, referral.outcome_reason = at, reason
        self.step(REFERRAL, referral, action, at, actor, summary=f"{REFERRAL.find(referral.status, action).label}："  # type: ignore[union-attr]
                  f"{reason}", data={"reason": reason})
        self.step(DISPUTE, dispute, "fail_mediation" if action == "fail" else "withdraw", at, actor, summary=reason)

    def settle(self, dispute: Dispute, referral: Referral, at: datetime, med_actor: Actor, admin: User) -> None:
        rng = self.rng
        amount = None
        if dispute.amount:
            amount = (dispute.amount * Decimal(rng.choice([0.6, 0.7, 0.8, 0.9, 1.0]))).quantize(Decimal("1"))
            amount = max(amount, Decimal(100))
        parts = rng.choice([1, 1, 1, 2, 3]) if amount else 0
        issued = at
        effective = self.later(issued, 0, 3)
        schedule = _schedule(amount, parts, effective.date(), rng) if amount else []
        pay = f"向申请人支付{amount}元，" if amount else "按双方协商意见履行，"
        terms = f"被申请人同意{pay}双方就本纠纷再无其他争议。"
        agreement = Agreement(referral=referral, dispute=dispute, terms=terms, amount=amount,
                              instalments=[{"due": d.isoformat(), "amount": f"{a:.2f}"} for d, a in schedule],
                              issued_at=issued, created_by=med_actor.user or admin)
        self.objects[Agreement].append(agreement)
        self.note(dispute, issued, "agreement.drafted", "起草调解协议", med_actor, "起草调解协议",
                  refs={"agreement": agreement})
        self.step(AGREEMENT, agreement, "issue", issued, med_actor, summary="调解员签署调解协议书并送各方当事人签署")
        if effective > REFERENCE:
            return
        agreement.effective_at, agreement.effective_on = effective, effective.date()
        self.step(AGREEMENT, agreement, "take_effect", effective, SYSTEM,
                  summary=f"各方当事人签署完毕，调解协议于 {effective.date()} 生效")
        referral.closed_at, referral.outcome_reason = effective, "达成调解协议"
        self.step(REFERRAL, referral, "settle", effective, SYSTEM)
        self.step(DISPUTE, dispute, "settle", effective, SYSTEM, summary="调解协议生效，纠纷调解成功",
                  refs={"agreement": agreement})
        if not amount:
            return
        roll = rng.random()
        if roll < SHARE_CONFIRMATION:
            self.confirmation(dispute, agreement, schedule, self.later(effective, 1, 20))
        elif roll < SHARE_CONFIRMATION + (1 - SHARE_CONFIRMATION) * SHARE_VOLUNTARY:
            when = self.later(effective, 0, 2)
            if when <= REFERENCE:
                self.step(DISPUTE, dispute, "perform_voluntarily", when, med_actor, summary="当事人选择自动履行")
                self.performance(dispute, PerformanceSource.AGREEMENT, amount, schedule, when)
        # else: performed on the spot at signing, nothing further to track

    def confirmation(self, dispute: Dispute, agreement: Agreement, schedule: list[tuple[date, Decimal]],
                     at: datetime) -> None:
        if at > REFERENCE:
            return
        rng = self.rng
        court = dispute.court
        clerk = self.net.users[f"clerk_{self.key_of_court[court.pk]}"]
        judge = self.judges[court.pk]
        assert agreement.effective_on is not None
        app = ConfirmationApplication(dispute=dispute, court=court, agreement_ref=0,
                                      agreement_effective_on=agreement.effective_on, applied_at=at, applied_by=clerk)
        app._agreement = agreement  # type: ignore[attr-defined]  # its pk is known only after insert
        self.objects[ConfirmationApplication].append(app)
        self.step(DISPUTE, dispute, "apply_confirmation", at, self.party_actor(dispute), summary="双方共同申请司法确认")
        accepted = self.later(at, 0, 3)
        if accepted > REFERENCE:
            return
        app.accepted_at = accepted
        self.numbered.append((accepted, len(self.numbered), app, CaseType.CONFIRMATION, court, "case"))
        self.step(CONFIRMATION, app, "accept", accepted, Actor.of(clerk))
        decided = self.later(accepted, 2, 14)
        if decided > REFERENCE:
            return
        app.decided_at, app.decided_by = decided, judge
        if rng.random() < SHARE_CONFIRMED:
            self.step(CONFIRMATION, app, "confirm", decided, Actor.of(judge), summary="裁定确认调解协议有效")
            self.step(DISPUTE, dispute, "confirm", decided, Actor.of(judge), summary="法院裁定确认调解协议有效")
            assert agreement.amount is not None
            self.performance(dispute, PerformanceSource.CONFIRMATION_RULING, agreement.amount, schedule, decided)
        else:
            app.reasons = "调解协议内容涉及案外人权益，不符合司法确认条件"
            self.step(CONFIRMATION, app, "reject", decided, Actor.of(judge), summary=f"裁定驳回申请：{app.reasons}",
                      data={"reason": app.reasons})
            self.step(DISPUTE, dispute, "reject_confirmation", decided, Actor.of(judge),
                      summary="法院裁定驳回司法确认申请")
            if rng.random() < 0.5:
                self.litigation(dispute, self.later(decided, 3, 30))

    def after_failure(self, dispute: Dispute) -> None:
        last = self.events[-1].at
        roll = self.rng.random()
        if roll < SHARE_SUE_AFTER_FAILURE:
            self.litigation(dispute, self.later(last, 1, 30))
        elif roll < SHARE_SUE_AFTER_FAILURE + SHARE_REFER_AGAIN and dispute.handling_organisation is not None:
            self.mediation(dispute, self.later(last, 3, 20), again=True)

    def litigation(self, dispute: Dispute, at: datetime) -> None:  # noqa: C901 - one case's whole path, in order
        if at > REFERENCE:
            return
        rng = self.rng
        court = dispute.court
        clerk = self.net.users[f"clerk_{self.key_of_court[court.pk]}"]
        judge = self.judges[court.pk]
        filer = dispute.recorded_by if dispute.recorded_by.role in {Role.PARTY, Role.CLERK, Role.GRID_WORKER,
                                                                      Role.CENTRE_STAFF} else clerk
        case = Case(dispute=dispute, court=court, case_type=CaseType.CIVIL_FIRST, filed_at=at, filed_by=filer,
                    materials_complete_on=at.date())
        self.objects[Case].append(case)
        self.step(DISPUTE, dispute, "file_suit", at, Actor.of(filer), summary=f"向{court.name}提交起诉")
        self.note(dispute, at, "case.filed", "提交起诉", Actor.of(filer), f"向{court.name}提交起诉",
                  refs={"case": case})
        when = self.later(at, 0, 5)
        if when > REFERENCE:
            return
        roll = rng.random()
        if roll < 0.05:  # one notice listing every missing item, then the materials arrive
            self.step(CASE, case, "request_materials", when, Actor.of(clerk),
                      summary="一次性告知补正材料：证据目录及证据副本")
            when = self.later(when, 2, 10)
            if when > REFERENCE:
                return
            case.materials_complete_on = when.date()
            self.step(CASE, case, "complete_materials", when, Actor.of(clerk), summary="补齐起诉材料")
            when = self.later(when, 0, 5)
            if when > REFERENCE:
                return
        elif roll > SHARE_REGISTERED + 0.05:
            if rng.random() < 0.5:
                case.refusal_reason, case.closed_at = "不属于人民法院受理民事诉讼的范围", when
                self.step(CASE, case, "refuse", when, Actor.of(clerk),
                          summary=f"裁定不予受理。理由：{case.refusal_reason}",
                          data={"reason": case.refusal_reason})
            else:
                case.closed_at = when
                self.step(CASE, case, "withdraw", when, self.party_actor(dispute), summary="原告撤回起诉")
            self.step(DISPUTE, dispute, "close_case", when, Actor.of(clerk), summary="案件终结")
            return
        amount = dispute.amount
        case.procedure = Procedure.SMALL_CLAIMS if amount and amount <= 50000 and rng.random() < 0.7 else (
            Procedure.SIMPLE if rng.random() < 0.8 else Procedure.ORDINARY)
        case.fast_track = case.procedure == Procedure.SMALL_CLAIMS and rng.random() < 0.5
        case.registered_at, case.registered_by = when, clerk
        self.numbered.append((when, len(self.numbered), case, CaseType.CIVIL_FIRST, court, "case"))
        self.step(CASE, case, "register", when, Actor.of(clerk), data={"procedure": case.procedure})
        when = self.later(when, 1, 10)
        if when > REFERENCE:
            return
        judge_actor = Actor.of(judge)
        if rng.random() < SHARE_COURT_MEDIATION:
            mediators = self.mediators_of[court.pk] or [self.net.demo_mediator]
            mediator = rng.choice(mediators)
            cm = CourtMediation(case=case, mediator=mediator, assigned_at=when, assigned_by=clerk,
                                consent_summary="各方当事人同意委托调解", signed_receipt_at=when)
            self.objects[CourtMediation].append(cm)
            self.step(CASE, case, "refer_to_mediation", when, Actor.of(clerk), summary=f"委托{mediator.name}调解")
            end = self.later(when, 5, 28)
            if end > REFERENCE:
                return
            if rng.random() < SHARE_COURT_SETTLED:
                cm.outcome, cm.outcome_at, cm.outcome_note = MediationOutcome.SETTLED, end, "双方达成调解协议"
                self.court_settles(dispute, case, end, Actor(mediator.user, mediator.name, Role.MEDIATOR))
                return
            cm.outcome, cm.outcome_at, cm.outcome_note = MediationOutcome.FAILED, end, "双方未能达成协议"
            self.step(CASE, case, "return_to_trial", end, Actor.of(clerk), summary="调解不成，转入审理")
            when = end
        else:
            self.step(CASE, case, "start_trial", when, Actor.of(clerk))
        trial_days = {Procedure.SMALL_CLAIMS: (15, 60), Procedure.SIMPLE: (30, 85), Procedure.ORDINARY: (60, 170)}
        end = self.later(when, *trial_days[Procedure(case.procedure)])
        if end > REFERENCE:
            return
        roll = rng.random()
        if roll < 0.1:
            self.court_settles(dispute, case, end, judge_actor)
        elif roll < 0.15:
            case.closed_at = end
            self.step(CASE, case, "withdraw", end, self.party_actor(dispute), summary="原告撤回起诉")
            self.step(DISPUTE, dispute, "close_case", end, Actor.of(clerk), summary="原告撤诉，案件终结")
        else:
            case.closed_at = end
            award = (amount * Decimal(rng.choice([0.7, 0.85, 1.0]))).quantize(Decimal("1")) if amount else None
            perform_by = end.date() + timedelta(days=rng.choice([10, 15, 30]))
            judgment = Judgment(case=case, judge=judge, pronounced_on=end.date(), amount=award, perform_by=perform_by,
                                main_text=(f"被告于判决生效之日起十日内向原告支付{award}元。" if award
                                           else "驳回原告的诉讼请求。"),
                                consequences="如果未按判决指定的期间履行给付金钱义务，应当依法加倍支付迟延履行期间的债务利息。")
            self.objects[Judgment].append(judgment)
            self.step(CASE, case, "judge", end, judge_actor, summary="作出判决")
            self.step(DISPUTE, dispute, "judge", end, judge_actor, summary="作出判决并送达履行告知书")
            if award:
                self.performance(dispute, PerformanceSource.JUDGMENT, award, [(perform_by, award)], end)

    def court_settles(self, dispute: Dispute, case: Case, at: datetime, actor: Actor) -> None:
        case.closed_at = at
        self.step(CASE, case, "settle", at, actor, summary="调解成功，以其他方式结案")
        self.step(DISPUTE, dispute, "settle_in_court", at, actor, summary="委托调解成功，以其他方式结案")
        if dispute.amount:
            total = (dispute.amount * Decimal(self.rng.choice([0.6, 0.75, 0.9]))).quantize(Decimal("1"))
            schedule = _schedule(max(total, Decimal(100)), self.rng.choice([1, 2]), at.date(), self.rng)
            self.performance(dispute, PerformanceSource.COURT_SETTLEMENT, max(total, Decimal(100)), schedule, at)

    def performance(self, dispute: Dispute, source: str, total: Decimal, schedule: list[tuple[date, Decimal]],
                    at: datetime) -> None:
        rng = self.rng
        applicants, respondents = self.parties[dispute.pk]
        obligee, obligor = applicants[0], respondents[0]
        plan = PerformancePlan(dispute=dispute, source=source, obligor=obligor, obligee=obligee, total=total)
        plan._at = at  # type: ignore[attr-defined]
        self.objects[PerformancePlan].append(plan)
        instalments = [Instalment(plan=plan, position=i, due=due, amount=amount)
                       for i, (due, amount) in enumerate(schedule, 1)]
        self.objects[Instalment] += instalments
        defaults = rng.random() >= SHARE_PERFORMED
        obligee_actor = Actor(None, obligee.name, Role.PARTY)
        clerk = self.net.users[f"clerk_{self.key_of_court[dispute.court_id]}"]
        for inst in instalments:
            due_at = datetime.combine(inst.due, time(23, 59), tzinfo=TZ)
            if defaults and (inst is instalments[-1] or rng.random() < 0.3):
                if due_at + timedelta(days=1) > REFERENCE:
                    return
                missed = datetime.combine(inst.due + timedelta(days=1), time(0, 5), tzinfo=TZ)
                self.step(INSTALMENT, inst, "mark_overdue", missed, SYSTEM, summary=f"第{inst.position}期逾期未履行")
                plan.last_default_due = inst.due
                self.step(PLAN, plan, "default", missed, SYSTEM, summary=f"第{inst.position}期逾期未履行")
                self.enforcement(dispute, plan, instalments, missed, obligee_actor, clerk)
                return
            paid = due_at - timedelta(days=rng.randint(0, 5), hours=rng.randint(1, 12))
            paid = max(paid, at + timedelta(hours=1))
            if paid > REFERENCE:
                return
            inst.reported_amount, inst.reported_at = inst.amount, paid
            self.step(INSTALMENT, inst, "report_payment", paid, Actor(None, obligor.name, Role.PARTY),
                      summary=f"报告第{inst.position}期付款 {inst.amount} 元")
            confirmed = paid + timedelta(hours=rng.randint(1, 30))
            if confirmed > REFERENCE:
                return
            inst.paid_amount, inst.confirmed_at = inst.amount, confirmed
            self.step(INSTALMENT, inst, "confirm_payment", confirmed, obligee_actor,
                      summary=f"确认收到第{inst.position}期款项 {inst.amount} 元")
        done = instalments[-1].confirmed_at
        assert done is not None
        self.step(PLAN, plan, "mark_performed", done, obligee_actor, summary="权利人确认履行完毕")
        self.step(DISPUTE, dispute, "confirm_performance", done, obligee_actor, summary="确认履行完毕")

    def enforcement(self, dispute: Dispute, plan: PerformancePlan, instalments: list[Instalment], missed: datetime,
                    obligee: Actor, clerk: User) -> None:
        rng = self.rng
        if rng.random() >= SHARE_ENFORCED:
            return
        at = self.later(missed, 5, 60)
        if at > REFERENCE:
            return
        amount = sum((i.amount - i.paid_amount for i in instalments if i.due < at.date()), Decimal(0))
        if amount <= 0:
            return
        court = dispute.court
        case = EnforcementCase(plan=plan, dispute=dispute, court=court, number="", year=at.year, serial=0,
                               applicant=plan.obligee, respondent=plan.obligor, amount=amount, applied_at=at,
                               applied_by=clerk, period_citation="《中华人民共和国民事诉讼法》第二百五十条")
        self.objects[EnforcementCase].append(case)
        self.numbered.append((at, len(self.numbered), case, CaseType.ENFORCEMENT, court, "case_number"))
        self.step(PLAN, plan, "apply_enforcement", at, obligee, summary="权利人申请强制执行")
        self.step(DISPUTE, dispute, "apply_enforcement", at, obligee, summary="申请强制执行")
        self.note(dispute, at, "enforcement.registered", "执行立案", Actor.of(clerk),
                  f"申请强制执行，申请执行标的 {amount} 元", refs={"case": case})
        end = self.later(at, 20, 150)
        if end > REFERENCE or rng.random() >= SHARE_ENFORCEMENT_CONCLUDED:
            return
        case.outcome = rng.choice(["执行完毕", "执行完毕", "和解后履行完毕", "终结本次执行程序"])
        case.concluded_at = end
        enforcer = Actor.of(self.enforcers[court.pk])
        action = "end_round" if case.outcome == "终结本次执行程序" else "complete"
        case.recovered = Decimal(0) if action == "end_round" else amount
        case.through_settlement = case.outcome == "和解后履行完毕"
        self.step(ENFORCEMENT_CASE, case, action, end, enforcer, summary=f"执行结案：{case.outcome}")
        if action == "complete":
            self.step(DISPUTE, dispute, "conclude_enforcement", end, enforcer, summary=f"执行结案：{case.outcome}")

    # --- writing ------------------------------------------------------------------------------

    def number(self) -> None:
        """Serials in order of registration per court, year and type; the counters end at the last one."""
        serials: dict[str, int] = {}
        for at, _n, obj, case_type, court, prefix in sorted(self.numbered, key=lambda x: (x[0], x[1])):
            year = at.astimezone(TZ).year
            name = f"{prefix}:{court.court_code}:{year}:{case_type}"
            if name not in serials:
                counter = Counter.objects.filter(name=name).first()
                serials[name] = counter.value if counter else 0
            serials[name] += 1
            obj.year, obj.serial = year, serials[name]
            obj.number = format_case_number(year=year, court_code=court.court_code, case_type=case_type,
                                            serial=serials[name])
        for name, value in serials.items():
            Counter.objects.update_or_create(name=name, defaults={"value": value})

    def write(self, disputes: list[Dispute]) -> None:
        self.number()
        objs = self.objects
        Referral.objects.bulk_create(objs[Referral], batch_size=1000)
        ConsentRecord.objects.bulk_create(objs[ConsentRecord], batch_size=1000)
        Agreement.objects.bulk_create(objs[Agreement], batch_size=1000)
        for app in objs[ConfirmationApplication]:
            app.agreement_ref = app._agreement.pk
        ConfirmationApplication.objects.bulk_create(objs[ConfirmationApplication], batch_size=1000)
        Case.objects.bulk_create(objs[Case], batch_size=1000)
        CourtMediation.objects.bulk_create(objs[CourtMediation], batch_size=1000)
        Judgment.objects.bulk_create(objs[Judgment], batch_size=1000)
        PerformancePlan.objects.bulk_create(objs[PerformancePlan], batch_size=1000)
        for plan in objs[PerformancePlan]:  # created_at is auto_now_add: back-date it like the disputes
            plan.created_at = plan._at
        PerformancePlan.objects.bulk_update(objs[PerformancePlan], ["created_at"], batch_size=1000)
        Instalment.objects.bulk_create(objs[Instalment], batch_size=1000)
        EnforcementCase.objects.bulk_create(objs[EnforcementCase], batch_size=1000)
        seq: dict[int, int] = defaultdict(lambda: 1)
        rows = []
        for p in self.events:
            data = dict(p.data)
            if p.obj is not None:
                data["object"] = p.obj.pk
            for key, obj in p.refs.items():
                data[key] = obj.pk
            data["demo"] = True
            seq[p.dispute.pk] += 1
            rows.append(DisputeEvent(
                dispute=p.dispute, seq=seq[p.dispute.pk], kind=p.kind, title=p.title, at=p.at, actor=p.actor.user,
                actor_label=p.actor.label, actor_role=p.actor.role, actor_organisation=p.actor.organisation,
                via="web", ip="", summary=p.summary, data=data,
            ))
        DisputeEvent.objects.bulk_create(rows, batch_size=2000)
        last: dict[int, datetime] = {}
        for p in self.events:
            last[p.dispute.pk] = max(last.get(p.dispute.pk, p.at), p.at)
        moved = [d for d in disputes if d.pk in last]
        for d in moved:
            d.updated_at = last[d.pk]
        Dispute.objects.bulk_update(moved, ["status", "handling_organisation", "mediator", "updated_at"],
                                    batch_size=1000)


def _name(rng: random.Random) -> str:
    from . import names

    return names.person_name(rng)


def _schedule(total: Decimal | None, parts: int, start: date, rng: random.Random) -> list[tuple[date, Decimal]]:
    if not total or parts <= 0:
        return []
    share = (total / parts).quantize(Decimal("1"))
    out = []
    for i in range(parts):
        due = start + timedelta(days=rng.choice([7, 10, 15, 30]) + 30 * i)
        amount = share if i < parts - 1 else total - share * (parts - 1)
        out.append((due, amount))
    return out


def progress(rng: random.Random, net: Network, *, reserved: set[int], performing: int | None = None) -> History:
    """Move every seeded dispute (but the ``reserved`` ones) as far as it had got by ``REFERENCE``;
    ``performing`` is party_demo's dispute left in performance."""
    history = History(rng, net)
    disputes = list(Dispute.objects.select_related("court", "region", "recorded_by", "recorded_by__organisation",
                                                   "handling_organisation").order_by("created_at", "number"))
    roles: dict[int, tuple[list[Party], list[Party]]] = defaultdict(lambda: ([], []))
    for link in DisputeParty.objects.select_related("party").order_by("dispute_id", "role", "position"):
        roles[link.dispute_id][0 if link.role == "applicant" else 1].append(link.party)
    history.parties = dict(roles)
    for dispute in disputes:
        if dispute.pk in reserved:
            continue
        if dispute.pk == performing:
            performing_for_party(history, dispute)
            continue
        assert dispute.status == DisputeStatus.RECORDED
        history.run(dispute)
    history.write(disputes)
    return history


def performing_for_party(history: History, dispute: Dispute) -> None:
    """party_demo's dispute in performance: settled in October, three instalments, the first paid."""
    start = datetime(2026, 10, 12, 9, 30, tzinfo=TZ)
    org = history.net.committees[CHANGSHENG]
    dispute.handling_organisation = org
    admin = history.net.admin_of[org.pk]
    referrer = history.net.users["centre_dwk"]
    history.step(DISPUTE, dispute, "refer_to_mediation", start, Actor.of(referrer), summary=f"委派{org.name}调解",
                 data={"organisation": org.pk})
    referral = Referral(dispute=dispute, organisation=org, kind=MediationKind.PEOPLES, referred_by=referrer,
                        referred_by_organisation=referrer.organisation, referred_at=start)
    history.objects[Referral].append(referral)
    mediator = history.net.demo_mediator
    med = Actor(mediator.user, mediator.name, Role.MEDIATOR, org.name)
    history.step(REFERRAL, referral, "assign", start + timedelta(hours=2), Actor.of(admin),
                 summary=f"分派调解员：{mediator.name}", data={"mediator": mediator.pk})
    referral.mediator = dispute.mediator = mediator
    referral.signed_receipt_at = start + timedelta(days=1)
    history.step(REFERRAL, referral, "accept", referral.signed_receipt_at, med, summary="调解员签收")
    applicants, respondents = history.parties[dispute.pk]
    opened = start + timedelta(days=3)
    history.consents(dispute, applicants + respondents, opened, med, given=True)
    history.step(REFERRAL, referral, "open_session", opened, med, summary="开始调解（各方当事人同意调解）")
    total = (dispute.amount or Decimal(9000)).quantize(Decimal("1"))
    third = (total / 3).quantize(Decimal("1"))
    schedule = [(date(2026, 11, 10), third), (date(2026, 12, 31), third), (date(2027, 2, 26), total - 2 * third)]
    effective = start + timedelta(days=8)
    agreement = Agreement(referral=referral, dispute=dispute, amount=total, issued_at=opened + timedelta(days=2),
                          terms=f"被申请人同意向申请人支付{total}元，分三期付清。",
                          instalments=[{"due": d.isoformat(), "amount": f"{a:.2f}"} for d, a in schedule],
                          created_by=mediator.user or admin, effective_at=effective, effective_on=effective.date())
    history.objects[Agreement].append(agreement)
    history.step(AGREEMENT, agreement, "issue", agreement.issued_at, med)  # type: ignore[arg-type]
    history.step(AGREEMENT, agreement, "take_effect", effective, SYSTEM)
    referral.closed_at, referral.outcome_reason = effective, "达成调解协议"
    history.step(REFERRAL, referral, "settle", effective, SYSTEM)
    history.step(DISPUTE, dispute, "settle", effective, SYSTEM, refs={"agreement": agreement})
    chosen = effective + timedelta(hours=1)
    history.step(DISPUTE, dispute, "perform_voluntarily", chosen, med, summary="当事人选择自动履行")
    plan = PerformancePlan(dispute=dispute, source=PerformanceSource.AGREEMENT, obligor=respondents[0],
                           obligee=applicants[0], total=total)
    plan._at = chosen  # type: ignore[attr-defined]
    history.objects[PerformancePlan].append(plan)
    instalments = [Instalment(plan=plan, position=i, due=d, amount=a) for i, (d, a) in enumerate(schedule, 1)]
    history.objects[Instalment] += instalments
    first = instalments[0]
    paid = datetime(2026, 11, 8, 15, 20, tzinfo=TZ)
    first.reported_amount, first.reported_at = first.amount, paid
    history.step(INSTALMENT, first, "report_payment", paid, Actor(None, respondents[0].name, Role.PARTY),
                 summary=f"报告第1期付款 {first.amount} 元")
    first.paid_amount, first.confirmed_at = first.amount, paid + timedelta(hours=3)
    history.step(INSTALMENT, first, "confirm_payment", first.confirmed_at, Actor.of(history.net.users["party_demo"]),
                 summary=f"确认收到第1期款项 {first.amount} 元")
