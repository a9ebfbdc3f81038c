"""Listing a debtor as dishonest (失信被执行人名单) and the debtor's request for correction.

Listing only on a ground of 第一条, never while a grace period runs, never a minor (第四条), never on
第一条第一项 where a bar of 第三条 applies; the period is 2 years on 第一条第二至六项, extendable by 1–3
years on a ground of 第二条第二款, and none on 第一条第一项 alone (it ends on performance, 第十条).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from suyuan.accounts.choices import AuditAction, Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.accounts.services import record_audit
from suyuan.common.errors import Conflict, InvalidInput, NotFound, NotPermitted
from suyuan.disputes.clocks import start_clock, stop_clock
from suyuan.disputes.events import append_event
from suyuan.disputes.workflow import apply
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party
from suyuan.rules.calendar import add_months

from . import credit_rules, selectors
from .credit import _officer_case, _text, correct_measure, restrict_consumption, running_grace
from .credit_choices import CreditMeasureKind, CreditMeasureStatus, GraceStatus
from .credit_hooks import LISTING_RULE, REVIEW_RULE, open_decided_clock
from .credit_lifecycle import CREDIT_REVIEW
from .models import CreditGrace, CreditMeasure, CreditReview


def _refuse(message: str, field: str = "grounds") -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def _age_on(party: Party, on: date) -> int | None:
    if party.kind != PartyKind.NATURAL or len(party.id_number) != 18:
        return None
    try:
        born = date(int(party.id_number[6:10]), int(party.id_number[10:12]), int(party.id_number[12:14]))
    except ValueError:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def listing_period(*, rules: credit_rules.ListingRules, grounds: Sequence[str], extension_grounds: Sequence[str],
                   extra_years: int) -> int:
    """Years of the listing (0: no fixed period); refuses an extension the law does not allow."""
    with_term = [g for g in grounds if g in rules.term_grounds]
    if not extra_years and not extension_grounds:
        return rules.listing_years if with_term else 0
    low, high = rules.extension_years
    if not with_term or high == 0:
        raise _refuse(f"仅因{'、'.join(rules.grounds[g].text for g in grounds)}纳入的，没有固定纳入期限，"
                      f"不能延长（{rules.listing_citation}；{rules.extension_citation}）。", "extra_years")
    if not low <= extra_years <= high:
        raise _refuse(f"纳入期限可以延长 {low} 至 {high} 年（{rules.extension_citation}）。", "extra_years")
    chosen = credit_rules.pick(rules.extension_grounds, list(extension_grounds), what="延长纳入期限的情形",
                               field="extension_grounds")
    if not chosen:
        allowed = "；".join(g.describe() for g in rules.extension_grounds.values())
        raise _refuse(f"延长纳入期限须具有法定情形：{allowed}。", "extension_grounds")
    for ground in chosen:
        if ground.code == "violent_serious" and "obstruct" not in grounds:
            raise _refuse(f"未认定“{rules.grounds['obstruct'].text}”，不能以{ground.describe()}延长纳入期限。",
                          "extension_grounds")
        if ground.code == "multiple" and len(set(grounds)) < 2:
            raise _refuse(f"只认定了一项失信行为，不能以{ground.describe()}延长纳入期限。", "extension_grounds")
    return rules.listing_years + extra_years


def list_dishonest(*, actor: User, origin: Origin, case_id: int, grounds: Sequence[str], reasons: str,
                   bars: Sequence[str] = (), extension_grounds: Sequence[str] = (), extra_years: Any = 0,
                   ) -> CreditMeasure:
    """The officer's listing decision; ``bars`` are the 第三条 circumstances the officer found present.

    Where the rules in force make a restriction mandatory on listing (``on_listing``: 法释〔2015〕17号
    第一条第二款, 应当采取限制消费措施), the same decision issues the 限制消费令 unless one is in force:
    both land together or neither does.
    """
    with transaction.atomic():
        measure = _list(actor=actor, origin=origin, case_id=case_id, grounds=grounds, reasons=reasons, bars=bars,
                        extension_grounds=extension_grounds, extra_years=extra_years)
        ground = credit_rules.restriction_rules(measure.starts_on).on_listing
        if ground is not None and not CreditMeasure.objects.filter(
                case_id=case_id, kind=CreditMeasureKind.CONSUMPTION_RESTRICTION,
                status=CreditMeasureStatus.IN_FORCE).exists():
            restrict_consumption(actor=actor, origin=origin, case_id=case_id, grounds=[ground.code],
                                 reasons=f"被执行人已于{measure.starts_on:%Y年%m月%d日}被纳入失信被执行人名单"
                                         f"（{measure.grounds_text}），依法应当采取限制消费措施。")
    return measure


def _list(*, actor: User, origin: Origin, case_id: int, grounds: Sequence[str], reasons: str,
          bars: Sequence[str], extension_grounds: Sequence[str], extra_years: Any) -> CreditMeasure:
    case = _officer_case(actor, case_id)
    today = timezone.localdate()
    rules = credit_rules.listing_rules(today)
    if not grounds:
        raise _refuse("请选择纳入失信被执行人名单的法定情形（第一条所列情形之一）。")
    chosen = credit_rules.pick(rules.grounds, list(grounds), what="纳入失信被执行人名单的情形", field="grounds")
    codes = [g.code for g in chosen]
    reasons = _text(reasons, "reasons", "事实与理由")
    grace = running_grace(case)
    if grace is not None:
        raise Conflict(f"宽限期至 {grace.ends_on:%Y年%m月%d日} 届满，宽限期内不发布失信信息、不纳入失信被执行人名单"
                       f"（{grace.citation}）。")
    if CreditGrace.objects.filter(case=case, status=GraceStatus.PERFORMED).exists():
        raise Conflict("被执行人已在宽限期内履行完毕，不予纳入失信被执行人名单。")
    age = _age_on(case.respondent, today)
    if rules.minor_age and age is not None and age < rules.minor_age:
        raise _refuse(f"被执行人{case.respondent.name}为未成年人，不得纳入失信被执行人名单（{rules.minor_citation}）。")
    found_bars = credit_rules.pick(rules.bars_able_refuses, list(bars), what="不得纳入的情形", field="bars")
    if found_bars and "able_refuses" in codes:
        bar = found_bars[0]
        raise _refuse(f"存在{bar.describe()}的情形，不得依据{rules.grounds['able_refuses'].describe()}将被执行人"
                      "纳入失信被执行人名单。")
    try:
        extra = int(extra_years or 0)
    except (TypeError, ValueError):
        raise _refuse("延长年数应为整数。", "extra_years") from None
    years = listing_period(rules=rules, grounds=codes, extension_grounds=list(extension_grounds), extra_years=extra)
    ends_on = add_months(today, 12 * years) if years else None
    with transaction.atomic():
        locked = _officer_case(actor, case_id, lock=True)
        if CreditMeasure.objects.filter(case=locked, kind=CreditMeasureKind.DISHONEST_LIST,
                                        status=CreditMeasureStatus.IN_FORCE).exists():
            raise Conflict("被执行人已在本案被纳入失信被执行人名单。")
        measure = CreditMeasure.objects.create(
            case=locked, dispute=locked.dispute, kind=CreditMeasureKind.DISHONEST_LIST,
            grace=CreditGrace.objects.filter(case=locked, status=GraceStatus.LAPSED).first(),
            grounds=codes, grounds_text="；".join(g.describe() for g in chosen),
            extension_grounds=list(dict.fromkeys(extension_grounds)), extra_years=extra, regime=rules.regime,
            reasons=reasons, starts_on=today, ends_on=ends_on, decided_by=actor,
        )
        term = (f"纳入期限 {years} 年，至 {ends_on:%Y年%m月%d日}（{rules.listing_citation}"
                + (f"；{rules.extension_citation}" if extra else "") + "）") if ends_on else \
            "无固定纳入期限，履行完毕或具有法定删除情形时删除"
        if ends_on:
            open_decided_clock(dispute=locked.dispute, rule=LISTING_RULE, subject="失信被执行人名单纳入期限",
                               object_ref=f"measure:{measure.pk}", start=today, due=ends_on, regime=rules.regime,
                               citation=rules.expiry_citation or rules.listing_citation)
        append_event(
            dispute=locked.dispute, kind="credit_measure.decided", title="纳入失信被执行人名单", actor=actor,
            origin=origin,
            summary=(f"执行案件 {locked.number}：将被执行人{locked.respondent.name}纳入失信被执行人名单，"
                     f"依据{measure.grounds_text}；{term}"),
            data={"measure": measure.pk, "kind": measure.kind, "grounds": codes, "years": years},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="credit_measure",
                     target_id=measure.pk, detail={"case": locked.number, "kind": measure.kind, "grounds": codes})
    return measure


# --- the debtor's correction request -------------------------------------------------------------

def request_review(*, actor: User, origin: Origin, measure_id: int, grounds: Sequence[str],
                   statement: str) -> CreditReview:
    """The listed debtor asks the court to correct the listing (第十一条); decided within 15 days (第十二条)."""
    measure = CreditMeasure.objects.select_related("case", "dispute").filter(
        pk=measure_id, case__in=selectors.visible_cases(actor)).first()
    if measure is None:
        raise NotFound()
    if actor.role != Role.PARTY or actor.party_id != measure.case.respondent_id:
        raise NotPermitted("只有被纳入失信被执行人名单的被执行人本人可以申请纠正。")
    if measure.kind != CreditMeasureKind.DISHONEST_LIST or measure.status != CreditMeasureStatus.IN_FORCE:
        raise Conflict("只能对生效中的失信被执行人名单信息申请纠正。")
    today = timezone.localdate()
    rules = credit_rules.listing_rules(today)
    if not grounds:
        raise _refuse("请选择申请纠正的事由。")
    chosen = credit_rules.pick(rules.review_grounds, list(grounds), what="申请纠正的事由", field="grounds")
    statement = _text(statement, "statement", "申请理由", 1000)
    with transaction.atomic():
        if CreditReview.objects.select_for_update().filter(measure=measure, status="submitted").exists():
            raise Conflict("您的纠正申请正在审查中，请等待法院决定。")
        review = CreditReview.objects.create(measure=measure, dispute=measure.dispute,
                                             grounds=[g.code for g in chosen], statement=statement,
                                             requested_by=actor, due_on=today, citation=rules.review_citation)
        clock = start_clock(dispute=measure.dispute, rule=REVIEW_RULE, start=today, subject="失信纠正申请审查期限",
                            object_ref=f"review:{review.pk}")
        review.due_on, review.citation = clock.due_on, clock.citation
        review.save(update_fields=["due_on", "citation"])
        append_event(
            dispute=measure.dispute, kind="credit_review.submitted", title="申请纠正失信信息", actor=actor,
            origin=origin,
            summary=(f"被执行人申请纠正：{'；'.join(g.describe() for g in chosen)}。"
                     f"法院应于 {clock.due_on:%Y年%m月%d日} 前审查（{clock.citation}）"),
            data={"review": review.pk, "measure": measure.pk, "grounds": review.grounds},
        )
        record_audit(actor=actor, action=AuditAction.CREATE, origin=origin, target_type="credit_review",
                     target_id=review.pk, detail={"case": measure.case.number})
    return review


def decide_review(*, actor: User, origin: Origin, review_id: int, uphold: bool, decision: str) -> CreditReview:
    """理由成立 → the listing is corrected (revoked) at once; 理由不成立 → rejected (复议 to the court above)."""
    if actor.role != Role.ENFORCEMENT:
        raise NotPermitted("只有执行员可以审查纠正申请。")
    review = CreditReview.objects.select_related("measure__case").filter(
        pk=review_id, measure__case__in=selectors.visible_cases(actor)).first()
    if review is None:
        raise NotFound()
    decision = _text(decision, "decision", "审查意见")

    def effect(row: CreditReview) -> None:
        row.decision, row.decided_by, row.decided_at = decision, actor, timezone.now()

    with transaction.atomic():
        review = apply(CREDIT_REVIEW, review, "uphold" if uphold else "reject", actor=actor, origin=origin,
                       effect=effect, summary=("纠正申请理由成立，予以纠正：" if uphold else
                                               "纠正申请理由不成立，决定驳回（可自决定书送达之日起十日内向上一级人民法院申请复议）：")
                       + decision)
        stop_clock(dispute=review.dispute, rule=REVIEW_RULE, object_ref=f"review:{review.pk}")
        if uphold:
            correct_measure(actor=actor, origin=origin, measure_id=review.measure_id,
                            note=f"纠正申请理由成立：{decision}")
    return review
