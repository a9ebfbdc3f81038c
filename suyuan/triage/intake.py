"""Cause proposals for intake texts: the cause model's scores plus everything the intake knows.

An intake is short and colloquial and comes with a category the person already chose, the parties
(a bank, an employer, a property company…) and an amount. The proposal:

- ranks the 2020 cause names (the cause model's inventory in 2020 wording plus every name the
  category map lists) by ``w_base · score / T + w_kw · log(1 + keywords found) + w_party · party
  kinds``; the weights are fitted on held-apart folds of the cause data (``ml.calibration``,
  stored in ``artefacts/cause/meta.json`` under ``calibration.intake``);
- keeps only the chosen category's causes, unless the text clearly says otherwise (no keyword
  of the chosen category's causes, at least ``override.min_other_hits`` keywords of another
  category, and that category's best cause ranked above the chosen one's best): then the
  restriction is lifted and the proposal says why (``category_overruled``);
- turns the scores into a confidence that the top cause is right *given the category*; at or
  above ``suggest_threshold`` (``data/proposal_settings.json``) it is a proposal ("建议"),
  below it the clerk is asked to choose from the top three ("请人工选择").

The amount is not a ranking feature: no labelled data links an amount to a cause; it enters the
track proposal (small claims) instead.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .causes import DATA, category_causes, to_2020
from .ml.models import ARTEFACTS, Candidate, CauseModel, recalibrate, softmax

SUGGEST = "建议"
MANUAL = "请人工选择"
GENERIC_WORDS = {"合同", "协议", "违约", "赔偿损失", "纠纷"}  # too common to say a category "clearly"


@cache
def settings() -> dict[str, Any]:
    return json.loads((DATA / "proposal_settings.json").read_text(encoding="utf-8"))


@cache
def _intake_params(root: str = str(ARTEFACTS / "cause")) -> dict[str, Any]:
    meta = json.loads((Path(root) / "meta.json").read_text(encoding="utf-8"))
    return meta["calibration"]["intake"]["params"]


@cache
def _written_keywords() -> dict[str, list[str]]:
    return json.loads((DATA / "cause_keywords.json").read_text(encoding="utf-8"))["causes"]


@cache
def name_keywords(name: str) -> tuple[str, ...]:
    """The written keywords of a 2020 cause name, the name without 纠纷 and its 、-separated parts."""
    core = name.removesuffix("纠纷")
    parts = [p for p in core.split("、") if len(p) >= 2]
    return tuple(dict.fromkeys([*_written_keywords().get(name, []), core, *parts]))


@cache
def party_kinds_data() -> dict[str, Any]:
    return json.loads((DATA / "party_kinds.json").read_text(encoding="utf-8"))["kinds"]


@cache
def universe(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Every civil cause an intake can be given: the model's civil labels in 2020 wording and the
    category map's names."""
    names = {to_2020(label) for label in labels if not label.endswith("罪")}
    names |= {n for ns in category_causes().values() for n in ns}
    return tuple(sorted(names))


def label_columns(labels: Sequence[str], names: Sequence[str]) -> list[list[int]]:
    """For each 2020 name, the model label columns (2011 names) that render as it."""
    index: dict[str, list[int]] = {}
    for j, label in enumerate(labels):
        if not label.endswith("罪"):
            index.setdefault(to_2020(label), []).append(j)
    return [index.get(n, []) for n in names]


def base_scores(raw: np.ndarray, columns: list[list[int]], temperature: float) -> np.ndarray:
    """Model scores (n × labels) → per name (n × names), divided by the model's temperature; a
    name the model does not know gets the row's lowest civil score (only evidence can lift it)."""
    finite = np.where(np.isfinite(raw), raw, np.nan)
    floor = np.nanmin(finite, axis=1)
    floor = np.where(np.isfinite(floor), floor, 0.0)
    out = np.empty((raw.shape[0], len(columns)), dtype=np.float64)
    for k, cols in enumerate(columns):
        out[:, k] = np.nanmax(finite[:, cols], axis=1) if cols else floor
    out = np.where(np.isfinite(out), out, floor[:, None])
    return out / temperature


def keyword_hits(text: str, name: str) -> list[str]:
    return [w for w in name_keywords(name) if w in text]


def keyword_matrix(texts: Sequence[str], names: Sequence[str]) -> np.ndarray:
    out = np.zeros((len(texts), len(names)), dtype=np.float64)
    for i, text in enumerate(texts):
        for k, name in enumerate(names):
            out[i, k] = math.log1p(len(keyword_hits(text, name)))
    return out


@dataclass(frozen=True)
class PartyInfo:
    kind: str  # suyuan.parties.choices.PartyKind value
    name: str
    role: str  # applicant / respondent / third_party


def party_kinds(text: str, parties: Sequence[PartyInfo] = (), category: str = "") -> dict[str, str]:
    """Kinds of party the intake shows (kind → what showed it), from names and the text."""
    found: dict[str, str] = {}
    for key, spec in party_kinds_data().items():
        for p in parties:
            if p.kind != "natural" and any(m in p.name for m in spec["markers"]):
                found.setdefault(key, f"当事人“{p.name}”为{spec['label']}")
        for m in spec["markers"]:
            if key not in found and m in text:
                found[key] = f"文中提到“{m}”（{spec['label']}）"
    if category == "labour" and any(p.kind != "natural" and p.role == "respondent" for p in parties):
        found.setdefault("employer", "被申请人为单位（用人单位）")
    return found


def party_matrix(kinds: Sequence[dict[str, str]], names: Sequence[str]) -> np.ndarray:
    spec = party_kinds_data()
    position = {n: k for k, n in enumerate(names)}
    out = np.zeros((len(kinds), len(names)), dtype=np.float64)
    for i, found in enumerate(kinds):
        for key in found:
            for cause in spec[key]["causes"]:
                if cause in position:
                    out[i, position[cause]] = 1.0
    return out


def intake_logits(base: np.ndarray, kw: np.ndarray, party: np.ndarray, params: dict[str, float]) -> np.ndarray:
    return params.get("w_base", 1.0) * base + params["w_kw"] * kw + params["w_party"] * party


def category_mask(category: str, names: Sequence[str]) -> np.ndarray | None:
    return _category_mask(category, tuple(names))


@cache
def _category_mask(category: str, names: tuple[str, ...]) -> np.ndarray | None:
    mapped = set(category_causes().get(category, []))
    if not mapped:
        return None
    mask = np.array([n in mapped for n in names])
    mask.setflags(write=False)
    return mask


@dataclass(frozen=True)
class IntakeProposal:
    causes: list[Candidate]  # top three, 2020 names, confidence given the candidate set
    decision: str  # SUGGEST or MANUAL
    confidence: float
    threshold: float
    restricted_to: str  # the category whose causes were the candidates ("" = none)
    category_overruled: str = ""  # the stated reason when the restriction was lifted
    reasons: list[str] = field(default_factory=list)  # what decided, in order
    # When the person's category names no civil cause: the three likeliest categories read from the
    # text (``ml.category``), with their probability.
    inferred_categories: list[tuple[str, float]] = field(default_factory=list)

    def snapshot(self) -> dict[str, Any]:
        return {"decision": self.decision, "confidence": self.confidence, "threshold": self.threshold,
                "restricted_to": self.restricted_to, "category_overruled": self.category_overruled,
                "decision_reasons": self.reasons,
                "inferred_categories": [[c, round(p, 4)] for c, p in self.inferred_categories]}


def _category_hits(text: str, category: str) -> list[str]:
    words = {w for n in category_causes().get(category, []) for w in keyword_hits(text, n)}
    return sorted(words - GENERIC_WORDS)


def _overrule(text: str, category: str, row: np.ndarray, mask: np.ndarray, names: Sequence[str],
              min_hits: int) -> tuple[str, list[str], np.ndarray] | None:
    """Another category the text clearly names, whose best cause outranks the chosen category's."""
    for other in category_causes():
        other_mask = category_mask(other, names)
        hits = _category_hits(text, other)
        if other == category or other_mask is None or len(hits) < min_hits:
            continue
        if row[other_mask].max() > row[mask].max():
            return other, hits, other_mask
    return None


def propose(
    model: CauseModel,
    texts: Sequence[str],
    categories: Sequence[str],
    parties: Sequence[Sequence[PartyInfo]] | None = None,
    raw: np.ndarray | None = None,
) -> list[IntakeProposal]:
    """One proposal per intake text (texts already in judgment wording)."""
    from suyuan.common.choices import DisputeCategory

    names = universe(tuple(model.labels))
    parties = parties or [()] * len(texts)
    if raw is None:
        raw, _x = model.scores(list(texts), domains=["civil"] * len(texts))
    params = _intake_params(str(getattr(model, "root", ARTEFACTS / "cause")))
    base = base_scores(raw, label_columns(model.labels, names), model.temperature)
    kw = keyword_matrix(texts, names)
    kinds = [party_kinds(t, p, c) for t, p, c in zip(texts, parties, categories, strict=True)]
    logits = intake_logits(base, kw, party_matrix(kinds, names), params)
    threshold = float(settings()["suggest_threshold"])
    min_hits = int(settings()["override"]["min_other_hits"])
    labels = dict(DisputeCategory.choices)
    inferred = _inferred(texts, categories, names)
    out = []
    for i, (text, category) in enumerate(zip(texts, categories, strict=True)):
        row = logits[i]
        mask = category_mask(category, names)
        reasons: list[str] = []
        overruled, restricted = "", category if mask is not None else ""
        mixture: np.ndarray | None = None
        top_categories: list[tuple[str, float]] = []
        if mask is None:
            allowed = np.ones(len(names), dtype=bool)
            if i in inferred:
                cat_labels, cat_probs = inferred[i]
                mixture = _mixture(row, cat_labels, cat_probs, names, params["temperature"])
                top_categories = [(cat_labels[k], float(cat_probs[k])) for k in np.argsort(-cat_probs)[:3]]
                shown = "、".join(f"{labels.get(c, c)} {q:.2f}" for c, q in top_categories)
                reasons.append(f"登记类别“{labels.get(category, category)}”未对应具体民事案由；"
                               f"按文本推断的类别：{shown}，案由按类别概率加权排序")
            else:
                reasons.append(f"登记类别“{labels.get(category, category)}”未对应具体民事案由，在全部民事案由中排序")
        else:
            allowed = mask
            own = _category_hits(text, category)
            found = None if own else _overrule(text, category, row, mask, names, min_hits)
            if found:
                other, hits, other_mask = found
                overruled = (f"文中未见登记类别“{labels.get(category, category)}”的案由用语，却明确指向"
                             f"“{labels.get(other, other)}”（{'、'.join(hits)}），故未限于登记类别")
                allowed, restricted = mask | other_mask, ""
            if overruled:
                reasons.append(overruled)
            else:
                reasons.append(f"限于登记类别“{labels.get(category, category)}”对应的案由"
                               + (f"（文中用语：{'、'.join(own)}）" if own else "（文中无其他类别的明确用语）"))
        if mixture is not None:
            probs, ranking = mixture, mixture
        else:
            probs = recalibrate(softmax(np.where(allowed, row, -np.inf)[None, :] / params["temperature"], 1.0),
                                params.get("top1_isotonic") or params.get("top1_platt"))[0]
            ranking = np.where(allowed, row, -np.inf)
        order = [k for k in np.argsort(-ranking, kind="stable")[:3] if allowed[k]]
        causes = []
        for k in order:
            name = names[k]
            why = []
            hits = keyword_hits(text, name)
            if hits:
                why.append("关键词：" + "、".join(hits))
            for key, shown in kinds[i].items():
                if name in party_kinds_data()[key]["causes"]:
                    why.append(f"当事人类型：{shown}")
            why.append(f"案由模型得分 {base[i, k]:.2f}")
            causes.append(Candidate(name, float(probs[k]), float(row[k]), why))
        confidence = causes[0].confidence if causes else 0.0
        # An overruled or inferred category is never a plain 建议: the confidence is calibrated given
        # a category the person chose (the mixture over inferred categories is not calibrated).
        decision = SUGGEST if confidence >= threshold and not overruled and mixture is None else MANUAL
        reached = confidence >= threshold
        reasons.append(f"置信度 {confidence:.2f}，{'达到' if reached else '低于'}阈值 {threshold:.2f}"
                       + ("" if not reached or decision == SUGGEST
                          else "；类别被改判，须人工确认" if overruled else "；类别由文本推断，须人工确认"))
        out.append(IntakeProposal(causes, decision, confidence, threshold, restricted, overruled, reasons,
                                  top_categories))
    return out


def _inferred(texts: Sequence[str], categories: Sequence[str], names: Sequence[str],
              ) -> dict[int, tuple[list[str], np.ndarray]]:
    """Category probabilities (``ml.category``) for the texts whose category names no civil cause;
    the classifier runs only on those (none in most batches)."""
    rows = [i for i, c in enumerate(categories) if category_mask(c, names) is None]
    if not rows or not (ARTEFACTS / "category" / "meta.json").exists():
        return {}
    from .ml.category import category_model

    model = category_model()
    probs = model.probabilities([texts[i] for i in rows])
    return {i: (model.labels, probs[r]) for r, i in enumerate(rows)}


def _mixture(row: np.ndarray, cat_labels: Sequence[str], cat_probs: np.ndarray, names: Sequence[str],
             temperature: float) -> np.ndarray:
    """P(cause) = Σ_category P(category | text) · P(cause | text, category), the second a softmax of
    the intake logits over the category's causes (as when the person chose it)."""
    out = np.zeros(len(names))
    for cat, q in zip(cat_labels, cat_probs, strict=True):
        mask = category_mask(cat, names)
        if mask is None:
            continue
        out += q * softmax(np.where(mask, row, -np.inf)[None, :] / temperature, 1.0)[0]
    return out / out.sum() if out.sum() > 0 else out
