"""Which trial track a case may take: small-claims eligibility from the rules module, never a literal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from suyuan.rules import thresholds
from suyuan.rules.thresholds import Exclusion, SmallClaimsLimit

from .choices import Procedure
from .models import Case


@dataclass(frozen=True)
class Eligibility:
    """``status``: mandatory (at or below the limit), by_agreement (up to 2x, parties agree),
    over (above both), unknown (no wage figure for the year, or no money amount: the clerk decides)."""

    status: str
    amount: Decimal | None
    limit: SmallClaimsLimit | None
    exclusions: list[Exclusion]
    explanation: str

    @property
    def label(self) -> str:
        return {
            "mandatory": "应当适用小额诉讼程序",
            "by_agreement": "双方约定后可以适用小额诉讼程序",
            "over": "标的额超过小额诉讼标准，不适用",
            "unknown": "未知：由立案人员判断",
        }[self.status]


def small_claims_eligibility(case: Case, *, on: date) -> Eligibility:
    amount = case.dispute.amount
    province = case.court.region.code[:2]
    limit = thresholds.small_claims_limit(province_code=province, on=on)
    exclusions = thresholds.small_claims_exclusions(on)
    if limit is None:
        return Eligibility("unknown", amount, None, exclusions,
                           f"{on.year - 1}年本省就业人员年平均工资数据缺失，小额诉讼标准未知，由立案人员判断。")
    if amount is None:
        return Eligibility("unknown", None, limit, exclusions, "非金钱给付或未填写标的额，由立案人员判断。")
    if amount <= limit.amount:
        return Eligibility("mandatory", amount, limit, exclusions, limit.explain())
    if limit.agreed_max is not None and amount <= limit.agreed_max:
        return Eligibility("by_agreement", amount, limit, exclusions, limit.explain())
    return Eligibility("over", amount, limit, exclusions, limit.explain())


def check_track(case: Case, *, procedure: str, fast_track: bool, agreed: bool, exclusions: list[str],
                on: date) -> dict[str, list[str]]:
    """Field errors (Chinese) for choosing ``procedure``; empty when the choice is lawful."""
    errors: dict[str, list[str]] = {}
    if procedure not in Procedure.values:
        return {"procedure": ["请选择审理程序。"]}
    if fast_track and procedure == Procedure.ORDINARY:
        errors["fast_track"] = ["速裁只适用于小额诉讼程序或简易程序审理的案件。"]
    if procedure == Procedure.SMALL_CLAIMS:
        eligibility = small_claims_eligibility(case, on=on)
        known = {e.code: e for e in eligibility.exclusions}
        hit = [known[c] for c in exclusions if c in known]
        if hit:
            errors.setdefault("procedure", []).append(
                f"存在不适用小额诉讼程序的情形：{'、'.join(e.label for e in hit)}（{hit[0].citation}）。"
            )
        if eligibility.status == "over":
            errors.setdefault("procedure", []).append(f"标的额超过小额诉讼标准：{eligibility.explanation}。")
        if eligibility.status == "by_agreement" and not agreed:
            errors.setdefault("small_claims_agreed", []).append(
                "标的额超过强制适用标准，须双方当事人约定适用小额诉讼程序。"
            )
    if procedure == Procedure.SIMPLE:
        known_simple = {e.code: e for e in thresholds.simple_procedure_exclusions(on)}
        hit = [known_simple[c] for c in exclusions if c in known_simple]
        if hit:
            errors.setdefault("procedure", []).append(
                f"存在不适用简易程序的情形：{'、'.join(e.label for e in hit)}（{hit[0].citation}）。"
            )
    return errors
