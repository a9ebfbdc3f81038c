"""Track (small claims / simple / ordinary), complexity and recommended path, every factor shown.

Thresholds and statutory exclusions come from ``suyuan.rules`` (data with effective periods and
citations); this module only detects the facts and combines them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from suyuan.common.errors import DomainError
from suyuan.rules import periods, thresholds

from .choices import Path, Track

# Words in a description that signal a statutory exclusion or a complexity factor. They are
# signals for the clerk, who confirms; a miss is corrected in the override.
FOREIGN_WORDS = ("外国", "外籍", "涉外", "境外", "香港", "澳门", "台湾", "华侨")
APPRAISAL_WORDS = ("鉴定", "评估", "伤残等级")
COUNTERCLAIM_WORDS = ("反诉",)
WHEREABOUTS_WORDS = ("下落不明", "去向不明", "联系不上", "失联")
PERSONAL_OR_OWNERSHIP_CAUSES = ("离婚", "抚养", "赡养", "婚姻", "亲子", "收养", "继承", "确认", "所有权确认", "确权")
COMPLEX_CAUSES = ("建设工程", "股权", "公司", "证券", "知识产权", "著作权", "专利", "商标", "破产", "医疗损害")
NUMEROUS_PARTIES = 10  # 民诉法 art. 56/57: "人数众多" is 10 or more (民诉法解释 art. 75)

# Categories that people's mediation committees handle; those that go to industry bodies.
PEOPLES_MEDIATION_CATEGORIES = {"family", "neighbour", "debt", "land", "other", "tort"}
PROFESSIONAL_MEDIATION_CATEGORIES = {
    "labour": "劳动人事争议调解组织", "traffic": "道路交通事故纠纷调解组织", "medical": "医疗纠纷人民调解委员会",
    "property_mgmt": "物业纠纷调解组织", "consumer": "消费者协会调解组织", "finance": "金融纠纷调解组织",
    "real_estate": "房地产纠纷调解组织", "contract": "商事调解组织",
}


@dataclass(frozen=True)
class Factor:
    label: str
    value: str
    points: int = 0
    citation: str = ""


@dataclass(frozen=True)
class TriageFacts:
    amount: Decimal | None
    cause: str
    category: str
    parties: int
    text: str
    province_code: str = "64"
    on: date = field(default_factory=date.today)


@dataclass(frozen=True)
class TrackProposal:
    track: str
    small_claims: list[Factor]
    simple: list[Factor]
    complexity: list[Factor]
    score: int
    path: str
    path_reasons: list[str]

    @property
    def track_label(self) -> str:
        return Track(self.track).label

    @property
    def path_label(self) -> str:
        return Path(self.path).label


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w in text]


def detected_exclusions(facts: TriageFacts) -> dict[str, str]:
    """Exclusion code → what triggered it (code names as in suyuan/rules/data/rules.toml)."""
    out: dict[str, str] = {}
    if hits := [w for w in PERSONAL_OR_OWNERSHIP_CAUSES if w in facts.cause]:
        out["personal_or_ownership"] = f"案由“{facts.cause}”含“{'、'.join(hits)}”"
    if hits := _found(facts.text, FOREIGN_WORDS):
        out["foreign"] = "文中出现：" + "、".join(hits)
    if hits := _found(facts.text, APPRAISAL_WORDS):
        out["appraisal"] = "文中出现：" + "、".join(hits)
    if hits := _found(facts.text, WHEREABOUTS_WORDS):
        out["whereabouts_unknown"] = "文中出现：" + "、".join(hits)
    if hits := _found(facts.text, COUNTERCLAIM_WORDS):
        out["counterclaim"] = "文中出现：" + "、".join(hits)
    if facts.parties >= NUMEROUS_PARTIES:
        out["numerous_parties"] = f"当事人 {facts.parties} 人"
    return out


_LIMITS: ContextVar[dict[tuple[str, date], Any] | None] = ContextVar("triage_small_claims_limits", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Within the block, each province-and-day small-claims limit is read from the wage table once
    (a bulk proposal for thousands of disputes filed the same day asks the same question)."""
    token = _LIMITS.set({})
    try:
        yield
    finally:
        _LIMITS.reset(token)


def _small_claims_limit(province_code: str, on: date) -> Any:
    memo = _LIMITS.get()
    if memo is None:
        return thresholds.small_claims_limit(province_code=province_code, on=on)
    if (province_code, on) not in memo:
        memo[province_code, on] = thresholds.small_claims_limit(province_code=province_code, on=on)
    return memo[province_code, on]


def small_claims_factors(facts: TriageFacts, found: dict[str, str]) -> tuple[bool, list[Factor]]:
    limit = _small_claims_limit(facts.province_code, facts.on)
    if limit is None:
        return False, [Factor("小额诉讼标准", "本省上年度就业人员平均工资未录入，无法判断", 0)]
    factors = [Factor("小额诉讼标准", limit.explain(), 0, limit.citation)]
    eligible = facts.amount is not None and facts.amount <= limit.amount
    if facts.amount is None:
        factors.append(Factor("标的额", "非金钱给付或未填写，不适用小额诉讼", 0, limit.citation))
    else:
        relation = "不超过" if eligible else "超过"
        factors.append(Factor("标的额", f"{facts.amount} 元，{relation} {limit.amount} 元", 0, limit.citation))
    for exclusion in thresholds.small_claims_exclusions(facts.on):
        if exclusion.code in found:
            eligible = False
            factors.append(Factor("排除情形：" + exclusion.label, found[exclusion.code], 0, exclusion.citation))
    return eligible, factors


def simple_factors(facts: TriageFacts, found: dict[str, str]) -> tuple[bool, list[Factor]]:
    eligible = True
    factors: list[Factor] = []
    for exclusion in thresholds.simple_procedure_exclusions(facts.on):
        if exclusion.code in found:
            eligible = False
            factors.append(Factor("排除情形：" + exclusion.label, found[exclusion.code], 0, exclusion.citation))
    if eligible:
        factors.append(Factor("简易程序", "未发现排除情形：事实清楚、权利义务关系明确、争议不大的，可适用简易程序",
                              0, "《中华人民共和国民事诉讼法》（2023年修正）第一百六十条"))
    return eligible, factors


def complexity_factors(facts: TriageFacts, found: dict[str, str]) -> list[Factor]:
    out = [Factor("当事人人数", f"{facts.parties} 人", min(max(facts.parties - 2, 0), 4))]
    amount = facts.amount or Decimal(0)
    points = 0 if amount < 100_000 else 1 if amount < 1_000_000 else 2 if amount < 10_000_000 else 3
    out.append(Factor("标的额", f"{facts.amount} 元" if facts.amount is not None else "未填写", points))
    hits = [w for w in COMPLEX_CAUSES if w in facts.cause]
    out.append(Factor("案由", facts.cause + ("（专业性强）" if hits else ""), 2 if hits else 0))
    out.append(Factor("涉外因素", found.get("foreign", "未发现"), 3 if "foreign" in found else 0))
    out.append(Factor("需要鉴定、评估", found.get("appraisal", "未发现"), 2 if "appraisal" in found else 0))
    out.append(Factor("反诉", found.get("counterclaim", "未发现"), 2 if "counterclaim" in found else 0))
    out.append(Factor("群体性纠纷", found.get("numerous_parties", "否"), 3 if "numerous_parties" in found else 0))
    return out


def recommend_path(facts: TriageFacts, track: str, score: int, *, litigated: bool) -> tuple[str, list[str]]:
    if not litigated and score <= 3:
        if facts.category in PROFESSIONAL_MEDIATION_CATEGORIES:
            org = PROFESSIONAL_MEDIATION_CATEGORIES[facts.category]
            return Path.PROFESSIONAL_MEDIATION, [f"尚未起诉、复杂度 {score} 分（≤3），纠纷类别宜由{org}调解"]
        if facts.category in PEOPLES_MEDIATION_CATEGORIES:
            return Path.PEOPLES_MEDIATION, [f"尚未起诉、复杂度 {score} 分（≤3），宜由基层人民调解委员会就地化解"]
    if track == Track.SMALL_CLAIMS:
        return Path.FAST_TRACK, ["符合小额诉讼条件，宜速裁快审"]
    if track == Track.SIMPLE and score <= 4:
        try:  # the period in force on the day, from the rules data (30 days before 2025, 7 since)
            rule = periods.rule_in_force("court_mediation", on=facts.on, procedure="simple")
            period = f"（{rule.describe()}，{rule.citation}）"
        except DomainError:
            period = ""
        return Path.COURT_REFERRED_MEDIATION, [f"适用简易程序、复杂度 {score} 分：经当事人同意可委托调解{period}"]
    return Path.ORDINARY, [f"复杂度 {score} 分或存在排除情形，宜普通审理"]


def propose_track(facts: TriageFacts, *, litigated: bool = False) -> TrackProposal:
    found = detected_exclusions(facts)
    small, small_list = small_claims_factors(facts, found)
    simple, simple_list = simple_factors(facts, found)
    complexity = complexity_factors(facts, found)
    score = sum(f.points for f in complexity)
    track = Track.SMALL_CLAIMS if small else Track.SIMPLE if simple and score <= 5 else Track.ORDINARY
    path, reasons = recommend_path(facts, track, score, litigated=litigated)
    return TrackProposal(track, small_list, simple_list, complexity, score, path, reasons)
