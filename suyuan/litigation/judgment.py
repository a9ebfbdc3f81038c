"""Judgment (判决) with its performance notice (履行告知书).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from suyuan.accounts.choices import Role
from suyuan.accounts.context import Origin
from suyuan.accounts.models import User
from suyuan.common.errors import Conflict, InvalidInput
from suyuan.disputes.choices import ClockStatus
from suyuan.disputes.lifecycle import DISPUTE
from suyuan.disputes.workflow import apply

from . import effective, rendered
from .casework import (
    _lock_case,
    _parse_amount,
    _require_role,
    _stop_all_clocks,
    _today,
)
from .choices import CaseType, Procedure
from .lifecycle import CASE
from .models import Judgment

# What the performance notice (履行告知书) tells the losing party, with the provisions it rests on.
NON_PERFORMANCE_CONSEQUENCES = (
    "如未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十四条的规定，"
    "加倍支付迟延履行期间的债务利息；对方当事人可以向人民法院申请强制执行，申请执行的期间为二年"
    "（《中华人民共和国民事诉讼法》第二百五十条）。被执行人有履行能力而拒不履行的，人民法院可以将其纳入"
    "失信被执行人名单、限制高消费（《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条，"
    "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条）；情节严重的，依法追究法律责任"
    "（《中华人民共和国刑法》第三百一十三条）。"
)



def _check_period(*, small_claims: bool, pronounced: date, perform_by: date | None,
                  perform_within_days: int | None, errors: dict[str, list[str]]) -> None:
    if perform_within_days is not None and perform_within_days < 1:
        errors["perform_within_days"] = ["履行期间应当至少为 1 日。"]
    if perform_by is not None and perform_within_days is not None:
        errors["perform_by"] = ["履行期限请填写一种：具体日期或自判决生效之日起的日数。"]
    elif perform_by is None and perform_within_days is None:
        errors["perform_within_days"] = ["请填写履行期间（自判决生效之日起的日数）。"]
    elif perform_by is not None and not small_claims:
        # Only a small-claims judgment is effective on pronouncement (第一百六十五条); any other runs
        # from an effective date nobody knows yet, so its period is stated in days from it.
        errors["perform_by"] = ["非小额诉讼的判决须在上诉期届满后生效，履行期间应写明“自判决生效之日起 N 日内”。"]
    elif perform_by is not None and perform_by < pronounced:
        errors["perform_by"] = ["履行期限不能早于宣判日期。"]


def pronounce_judgment(*, actor: User, origin: Origin, case_id: int, main_text: str, amount: str | Decimal | None,
                       perform_by: date | None = None, perform_within_days: int | None = None,
                       pronounced_on: date | None = None, expected_version: int | None = None) -> Judgment:
    """判决, served with a performance notice (履行告知书): the period and what not performing costs.

    The performance plan is created when the judgment becomes effective (``effective.make_effective``):
    at once for a small-claims judgment, else when the last party's appeal period lapses unappealed.
    """
    _require_role(actor, {Role.JUDGE}, "作出判决")
    main_text = main_text.strip()
    today = _today()
    pronounced = pronounced_on or today
    errors: dict[str, list[str]] = {}
    if not main_text:
        errors["main_text"] = ["请填写判决主文。"]
    if pronounced > today:
        errors["pronounced_on"] = ["宣判日期不能晚于今天。"]
    value = _parse_amount(amount)
    with rendered.cleanup(), transaction.atomic():
        case = _lock_case(actor, case_id)
        if case.case_type == CaseType.CIVIL_SECOND:
            raise Conflict("第二审案件请录入二审裁判（驳回上诉维持原判、改判或发回重审）。")
        small_claims = case.procedure == Procedure.SMALL_CLAIMS
        _check_period(small_claims=small_claims, pronounced=pronounced, perform_by=perform_by,
                      perform_within_days=perform_within_days, errors=errors)
        if errors:
            raise InvalidInput("判决信息不完整或有误。", errors=errors)
        period = period_text(perform_by=perform_by, perform_within_days=perform_within_days)
        case = apply(CASE, case, "judge", actor=actor, origin=origin, expected_version=expected_version,
                     summary=f"宣判；{period}" + (f"，应履行 {value} 元" if value is not None else ""))
        judgment = Judgment.objects.create(case=case, judge=actor, pronounced_on=pronounced, main_text=main_text,
                                           amount=value, perform_by=perform_by,
                                           perform_within_days=perform_within_days,
                                           consequences=NON_PERFORMANCE_CONSEQUENCES)
        _stop_all_clocks(case, ClockStatus.MET)
        payload: dict[str, Any] = {"perform_by": perform_by.isoformat() if perform_by else "",
                                   "perform_within_days": perform_within_days or "",
                                   "amount": str(value) if value else ""}
        if value:
            document = rendered.performance_notice(dispute=case.dispute, case_number=case.number, amount=value,
                                                   perform_by=perform_by, period=period, on=pronounced,
                                                   actor=actor, origin=origin)
            judgment.document_id = document.pk
            judgment.save(update_fields=["document_id"])
        apply(DISPUTE, case.dispute_id, "judge", actor=actor, origin=origin, payload=payload,
              summary=f"{case.number} 作出判决并送达履行告知书，{period}")
        if small_claims:
            judgment = effective.make_effective(judgment, on=pronounced, actor=actor, origin=origin)
    return judgment


def period_text(*, perform_by: date | None, perform_within_days: int | None) -> str:
    if perform_by is not None:
        return f"履行期限至 {perform_by}"
    return f"自判决生效之日起 {perform_within_days} 日内履行"
