"""The duplicate-suit test of 民诉法解释 art. 247 on plain data, so the web, the worker and the
benchmark run the very same comparison.

The conditions come from ``suyuan.rules.thresholds.duplicate_suit_test`` (the rules data); this
module only knows how to measure each condition it is given. A condition it cannot measure is
reported as such, never silently passed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from . import config
from .text import claim_similarity, cosine, vector


@dataclass
class CaseFacts:
    """What the test needs of one dispute. Parties are keyed by their identity (one row per person)."""

    key: int
    number: str
    category: str
    description: str
    amount: float | None
    claims: list[tuple[str, float | None]]
    applicants: frozenset[int]
    respondents: frozenset[int]
    names: dict[int, str] = field(default_factory=dict)
    status: str = ""
    _fact_vec: np.ndarray | None = field(default=None, repr=False)

    @property
    def parties(self) -> frozenset[int]:
        return self.applicants | self.respondents

    def fact_vec(self) -> np.ndarray:
        if self._fact_vec is None:
            self._fact_vec = vector(self.description)
        return self._fact_vec


@dataclass(frozen=True)
class ClaimMatch:
    later: str
    earlier: str
    similarity: float
    same_amount: bool
    negates: bool = False


@dataclass
class Condition:
    code: str
    label: str
    met: bool | None  # None: the platform cannot measure it
    detail: str


@dataclass
class Match:
    earlier: CaseFacts
    conditions: list[Condition]
    shared_parties: list[str]
    roles_reversed: bool
    subject_similarity: float
    claim_matches: list[ClaimMatch]
    score: float

    @property
    def meets_test(self) -> bool:
        return all(c.met for c in self.conditions)

    def evidence(self) -> dict[str, Any]:
        """A JSON-ready record of why this pair was flagged (kept with the clerk's decision)."""
        return {
            "earlier": self.earlier.number,
            "conditions": [
                {"code": c.code, "label": c.label, "met": c.met, "detail": c.detail} for c in self.conditions
            ],
            "parties": self.shared_parties,
            "roles_reversed": self.roles_reversed,
            "subject_similarity": round(self.subject_similarity, 3),
            "claims": [
                {"later": m.later, "earlier": m.earlier, "similarity": round(m.similarity, 3),
                 "same_amount": m.same_amount, "negates": m.negates}
                for m in self.claim_matches
            ],
            "score": round(self.score, 3),
        }


@cache
def _negating() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in config.section("duplicate")["negating_patterns"]]


def negates(text: str) -> bool:
    return any(p.search(text) for p in _negating())


def _same_amount(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    tolerance = config.section("duplicate")["amount_tolerance"]
    return abs(a - b) <= tolerance * max(a, b, 1.0)


def _claim_matches(later: CaseFacts, earlier: CaseFacts) -> list[ClaimMatch]:
    cfg = config.section("duplicate")
    has_outcome = earlier.status in cfg["outcome_statuses"]
    out: list[ClaimMatch] = []
    if not earlier.claims:
        return out
    for text, amount in later.claims:
        sims = [claim_similarity(text, e_text) for e_text, _ in earlier.claims]
        j = int(np.argmax(sims))
        e_text, e_amount = earlier.claims[j]
        same_amount = _same_amount(amount, e_amount)
        if sims[j] >= cfg["claim_similarity"] and same_amount:
            out.append(ClaimMatch(text, e_text, sims[j], same_amount))
        elif has_outcome and negates(text):
            out.append(ClaimMatch(text, e_text, sims[j], same_amount, negates=True))
    return out


def compare(later: CaseFacts, earlier: CaseFacts, conditions: Sequence[tuple[str, str]]) -> Match | None:
    """Measure ``later`` against ``earlier``; None when they share no applicant-respondent pair.

    Parties count as the same whichever side they stood on: a respondent who sues back on the
    same subject is the classic way round the earlier outcome.
    """
    straight = bool(later.applicants & earlier.applicants) and bool(later.respondents & earlier.respondents)
    reversed_ = bool(later.applicants & earlier.respondents) and bool(later.respondents & earlier.applicants)
    if not (straight or reversed_):
        return None
    cfg = config.section("duplicate")
    shared = later.parties & earlier.parties
    same_parties = later.parties == earlier.parties
    subject_sim = cosine(later.fact_vec(), earlier.fact_vec())
    claims = _claim_matches(later, earlier)
    same_category = later.category == earlier.category
    same_subject = same_category and (subject_sim >= cfg["subject_similarity"] or any(not m.negates for m in claims))
    names = sorted(later.names.get(p, earlier.names.get(p, str(p))) for p in shared)
    measured = {
        "same_parties": (
            same_parties,
            ("当事人完全相同" if same_parties else f"共同当事人 {len(shared)} 人，另有不同当事人")
            + ("（诉讼地位互换）" if reversed_ and not straight else ""),
        ),
        "same_subject": (
            same_subject,
            f"{'同一' if same_category else '不同'}纠纷类别，事实相似度 {subject_sim:.0%}",
        ),
        "same_claims": (
            bool(claims),
            "；".join(
                f"“{m.later}”可能否定前案结果" if m.negates
                else f"“{m.later}”与“{m.earlier}”相似度 {m.similarity:.0%}"
                for m in claims
            ) or "未发现相同或否定前案结果的请求",
        ),
    }
    result = []
    for code, label in conditions:
        met, detail = measured.get(code, (None, "平台无法自动判断，请人工审查"))
        result.append(Condition(code, label, met, detail))
    jaccard = len(shared) / len(later.parties | earlier.parties)
    best_claim = max((m.similarity for m in claims), default=0.0)
    score = (jaccard + max(subject_sim, 0.0) + best_claim) / 3
    return Match(earlier, result, names, reversed_ and not straight, subject_sim, claims, score)


def find_matches(
    later: CaseFacts, candidates: Sequence[CaseFacts], conditions: Sequence[tuple[str, str]]
) -> list[Match]:
    """Every candidate that shares parties with ``later``, best first (those meeting the test first)."""
    matches = [m for c in candidates if c.key != later.key and (m := compare(later, c, conditions)) is not None]
    matches.sort(key=lambda m: (not m.meets_test, -m.score, m.earlier.number))
    return matches
