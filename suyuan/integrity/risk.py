"""False-litigation warning signs on one dispute, each with the document that names it.

The signs are those of 《最高人民法院关于防范和制裁虚假诉讼的指导意见》 (法发〔2016〕13号) art. 2
and the fields of art. 4, plus serial private-lending claimants; weights and thresholds live in
``data/integrity.toml``. The result is an explained level for a clerk to weigh — never a refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from suyuan.disputes.choices import PartyRole
from suyuan.disputes.models import Dispute, DisputeEvent, DisputeParty
from suyuan.parties.choices import PartyKind

from . import config
from .choices import RiskLevel


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    weight: int
    source: str
    explanation: str


@dataclass
class RiskReport:
    level: str
    level_label: str
    advice: str
    score: int
    signals: list[Signal] = field(default_factory=list)
    notice: str = ""


def _signal(code: str, explanation: str) -> Signal:
    cfg = config.risk_signal(code)
    return Signal(code, cfg["label"], int(cfg["weight"]), cfg["source"], explanation)


def _close_relation(parties: list[DisputeParty], text: str) -> Signal | None:
    cfg = config.risk_signal("close_relation")
    applicants = [dp.party for dp in parties if dp.role == PartyRole.APPLICANT]
    respondents = [dp.party for dp in parties if dp.role == PartyRole.RESPONDENT]
    reasons = []
    for a in applicants:
        for r in respondents:
            if a.phone and a.phone == r.phone:
                reasons.append(f"{a.name}与{r.name}登记的联系电话相同")
            if a.address and a.address == r.address:
                reasons.append(f"{a.name}与{r.name}住所地相同")
            for x, y in ((a, r), (r, a)):
                if x.kind != PartyKind.NATURAL and x.representative and x.representative == y.name:
                    reasons.append(f"{y.name}系{x.name}的法定代表人/负责人")
    words = [w for w in cfg["kinship_words"] if w in text]
    if words:
        reasons.append("事实陈述提及" + "、".join(f"“{w}”" for w in words[:3]))
    return _signal("close_relation", "；".join(reasons)) if reasons else None


def _claim_vs_means(parties: list[DisputeParty], dispute: Dispute, text: str) -> Signal | None:
    cfg = config.risk_signal("claim_vs_means")
    amount = dispute.amount
    if amount is None:
        return None
    natural = [
        dp.party.name for dp in parties if dp.role == PartyRole.APPLICANT and dp.party.kind == PartyKind.NATURAL
    ]
    if not natural:
        return None
    cash = [w for w in cfg["cash_words"] if w in text]
    if amount >= Decimal(cfg["natural_person_amount"]):
        return _signal("claim_vs_means",
                       f"自然人申请人（{'、'.join(natural)}）请求 {amount:,.0f} 元，请核实其资金来源与出借能力")
    if cash and amount >= Decimal(cfg["cash_amount"]):
        return _signal("claim_vs_means", f"自然人申请人称以现金方式交付 {amount:,.0f} 元，请核实现金来源")
    return None


def _no_real_contest(text: str) -> Signal | None:
    cfg = config.risk_signal("no_real_contest")
    hits = [m.group(0) for p in cfg["patterns"] if (m := re.search(p, text))]
    return _signal("no_real_contest", "陈述中出现“" + "”“".join(hits) + "”") if hits else None


def _quick_settlement(dispute: Dispute) -> Signal | None:
    cfg = config.risk_signal("quick_settlement")
    settled = (
        DisputeEvent.objects.filter(dispute=dispute, data__lifecycle="dispute", data__to="settled")
        .order_by("seq").values_list("at", flat=True).first()
    )
    if settled is None:
        return None
    days = (settled - dispute.created_at).total_seconds() / 86400
    evidence = dispute.evidence.count()
    if days <= cfg["within_days"] and evidence <= cfg["max_evidence"]:
        return _signal("quick_settlement", f"登记后 {days:.1f} 天即达成调解协议，提交证据 {evidence} 份")
    return None


def _high_risk_cause(dispute: Dispute) -> Signal | None:
    for category, field_label in config.risk_signal("high_risk_cause")["categories"]:
        if dispute.category == category:
            return _signal("high_risk_cause", f"本纠纷属{field_label}类，为文件列明的虚假诉讼高发领域")
    return None


def _serial_claimant(parties: list[DisputeParty], dispute: Dispute) -> Signal | None:
    cfg = config.risk_signal("serial_claimant")
    since = dispute.created_at - timedelta(days=cfg["within_days"])
    reasons = []
    for dp in parties:
        if dp.role != PartyRole.APPLICANT:
            continue
        if cfg["natural_persons_only"] and dp.party.kind != PartyKind.NATURAL:
            continue
        n = (
            DisputeParty.objects.filter(party=dp.party, role=PartyRole.APPLICANT, dispute__category=dispute.category,
                                        dispute__created_at__gte=since, dispute__created_at__lte=dispute.created_at)
            .values("dispute_id").distinct().count()
        )
        if n >= cfg["min_disputes"]:
            reasons.append(f"{dp.party.name}在 {cfg['within_days']} 天内作为申请人提起同类纠纷 {n} 件")
    return _signal("serial_claimant", "；".join(reasons)) if reasons else None


def assess(dispute: Dispute) -> RiskReport:
    parties = list(DisputeParty.objects.filter(dispute=dispute).select_related("party"))
    text = dispute.description + "\n" + "\n".join(c.text for c in dispute.claims.all())
    found = [
        s for s in (
            _close_relation(parties, text),
            _claim_vs_means(parties, dispute, text),
            _no_real_contest(text),
            _quick_settlement(dispute),
            _high_risk_cause(dispute),
            _serial_claimant(parties, dispute),
        ) if s is not None
    ]
    score = sum(s.weight for s in found)
    risk = config.section("risk")
    level, advice = RiskLevel.LOW.value, ""
    for threshold, code, text_ in risk["levels"]:
        if score >= threshold:
            level, advice = code, text_
    return RiskReport(level=level, level_label=RiskLevel(level).label, advice=advice, score=score, signals=found,
                      notice=risk["notice"])
