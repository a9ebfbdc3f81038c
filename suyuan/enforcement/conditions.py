"""The statutory conditions of 终结本次执行程序 (法〔2016〕373号 第一条), as a small registry.

Each condition answers MET, UNMET or UNKNOWN for a case. UNMET blocks 终本. UNKNOWN means the
platform cannot tell (the module that knows has not reported yet, or the fact lives outside the
platform, e.g. a search for a missing debtor): the officer must confirm it in writing, and the
confirmation is kept with the case (``round_ended_conditions``). Another module adds a condition
with one call: ``register(Condition(...))`` — e.g. the credit-measures module for 限制消费.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from suyuan.rules import thresholds
from suyuan.rules.calendar import add_months

if TYPE_CHECKING:
    from .models import EnforcementCase

MET, UNMET, UNKNOWN = "met", "unmet", "unknown"
VERDICT_LABELS = {MET: "已满足", UNMET: "不满足", UNKNOWN: "系统无法核实，须执行员书面确认"}
CITATION = "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》（法〔2016〕373号）第一条"


@dataclass(frozen=True)
class Verdict:
    state: str
    detail: str


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    citation: str
    check: Callable[[EnforcementCase, date], Verdict]


def _round_end_rule(on: date) -> dict[str, Any] | None:
    return thresholds._in_force("enforcement_round_end", on)


def _notice_and_order(case: EnforcementCase, on: date) -> Verdict:
    missing = [name for name, at in (("执行通知书", case.notice_served_at), ("报告财产令", case.report_order_served_at))
               if at is None]
    if missing:
        return Verdict(UNMET, f"尚未送达{'、'.join(missing)}。")
    served = timezone.localtime(case.report_order_served_at)
    return Verdict(MET, f"执行通知书、报告财产令已于 {served:%Y-%m-%d} 前送达。")


def _three_months(case: EnforcementCase, on: date) -> Verdict:
    rule = _round_end_rule(on)
    if rule is None:
        return Verdict(UNKNOWN, "没有找到该日适用的终本立案期限规定。")
    registered = timezone.localtime(case.applied_at).date()
    earliest = add_months(registered, int(rule["min_months_since_registration"]))
    if on < earliest:
        return Verdict(UNMET, f"自立案之日（{registered}）起未满 {rule['min_months_since_registration']} 个月，"
                              f"{earliest} 起方可终结本次执行程序（{rule['citation']}第四项）。")
    return Verdict(MET, f"自立案之日（{registered}）起已超过 {rule['min_months_since_registration']} 个月。")


def _consumption_restriction(case: EnforcementCase, on: date) -> Verdict:
    # The credit-measures module (限制消费/失信) replaces this with a real answer by registering
    # a condition under the same key.
    return Verdict(UNKNOWN, "限制消费令/失信名单情况尚未接入本案，"
                            "请执行员确认已发出限制消费令并对符合条件的被执行人纳入失信名单。")


def _assets_exhausted(case: EnforcementCase, on: date) -> Verdict:
    # Answered by the asset search module (suyuan.assets) once it is wired to the case page.
    return Verdict(UNKNOWN, "请执行员确认已通过网络查控系统穷尽财产调查措施，"
                            "未发现可供执行的财产或发现的财产不能处置。")


def _whereabouts_and_obstruction(case: EnforcementCase, on: date) -> Verdict:
    return Verdict(UNKNOWN, "请执行员确认：被执行人下落不明的已依法查找；妨害执行的已依法采取罚款、拘留等措施。")


_REGISTRY: dict[str, Condition] = {}


def register(condition: Condition) -> None:
    """Add or replace a condition (the same key replaces: a module that knows the answer takes over)."""
    _REGISTRY[condition.key] = condition


for _c in [
    Condition("notice_and_report_order", "已发出执行通知、责令被执行人报告财产", f"{CITATION}第一项",
              _notice_and_order),
    Condition("consumption_restriction", "已发出限制消费令，并将符合条件的被执行人纳入失信名单", f"{CITATION}第二项",
              _consumption_restriction),
    Condition("assets_exhausted", "已穷尽财产调查措施，未发现可供执行的财产或发现的财产不能处置", f"{CITATION}第三项",
              _assets_exhausted),
    Condition("three_months", "自执行案件立案之日起已超过三个月", f"{CITATION}第四项", _three_months),
    Condition("whereabouts_and_obstruction", "下落不明的已依法查找；妨害执行的已依法采取强制措施", f"{CITATION}第五项",
              _whereabouts_and_obstruction),
]:
    register(_c)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    citation: str
    verdict: Verdict
    confirmation: str

    @property
    def passes(self) -> bool:
        return self.verdict.state == MET or (self.verdict.state == UNKNOWN and bool(self.confirmation))

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict.state]


def evaluate(case: EnforcementCase, confirmations: dict[str, str] | None = None, *,
             on: date | None = None) -> list[Row]:
    on = on or timezone.localdate()
    confirmations = confirmations or {}
    return [Row(c.key, c.label, c.citation, c.check(case, on), str(confirmations.get(c.key, "")).strip()[:200])
            for c in _REGISTRY.values()]


def round_end_refusal(case: EnforcementCase, confirmations: dict[str, str]) -> str | None:
    rows = evaluate(case, confirmations)
    failing = [r for r in rows if not r.passes]
    if not failing:
        return None
    parts = [f"{r.label}（{r.verdict.detail}）" if r.verdict.state == UNMET else f"{r.label}（须书面确认）"
             for r in failing]
    return "不符合终结本次执行程序的条件：" + "；".join(parts) + f"。依据：{CITATION}。"


def snapshot(rows: list[Row]) -> list[dict[str, str]]:
    return [{"key": r.key, "label": r.label, "state": r.verdict.state, "detail": r.verdict.detail,
             "confirmation": r.confirmation, "citation": r.citation} for r in rows]
