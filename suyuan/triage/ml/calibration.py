"""Honest confidence: calibration fitted on held-apart folds, and its expected calibration error.

Input: the cause model's nested out-of-fold scores over the CJRC file (no score was computed by a
model that saw the record) and the outer fold of each record. Every figure here is *cross-fitted*:
the calibration parameters used for a record's probability were fitted on the other four folds.

1. The cause model's top-1 (all 1,000 records, civil or criminal by domain). The temperature
   (lowest log-loss over all 326 causes) leaves the top-1 over-confident (ECE ~0.14), so the
   top-1 probability is recalibrated by Platt scaling on its logit (``top1_platt``: a logistic
   regression, sklearn's default C=1, on ``logit(p1)`` → right or wrong); the other candidates
   share the rest in proportion (``models.recalibrate``). Isotonic regression is reported too.
   ECE over 10 equal-width bins.
2. The intake proposal's top-1 *given the category* (civil records whose cause the category map
   lists, candidates = that category's causes): the weights of keywords and party kinds and a
   conditional logit (``fit_intake``) on the fitting folds, then an isotonic step on the top-1
   (``top1_isotonic``; the Platt step left one source over- and the other under-confident, ECE
   ~0.09–0.10, isotonic ~0.03; both are reported, isotonic is applied).
   Intake texts are short (consultations: median 37 characters; demo intakes ~100), judgments long
   (median 580): these weights are fitted on the first characters of each judgment's facts,
   scored by the fold's models (``training.SHORT_CHARS``), so that the model score counts for what
   it is worth on a short text.
The shipped parameters are fitted on all folds; the figures are the cross-fitted ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .models import softmax

BINS = 10


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = BINS) -> float:
    """Expected calibration error: Σ_bins share × |accuracy − mean confidence|."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        sel = which == b
        if sel.any():
            total += sel.mean() * abs(correct[sel].mean() - confidence[sel].mean())
    return float(total)


def _top1(scores: np.ndarray, t: float) -> tuple[np.ndarray, np.ndarray]:
    p = softmax(np.where(np.isfinite(scores), scores, -1e9), t)
    return p.max(axis=1), p.argmax(axis=1)


def calibrate_model(oof: np.ndarray, gold: np.ndarray, fold: np.ndarray, temperature: float) -> dict[str, Any]:
    from sklearn.isotonic import IsotonicRegression

    conf_t, conf_iso, conf_p = np.zeros(len(gold)), np.zeros(len(gold)), np.zeros(len(gold))
    correct = np.zeros(len(gold), dtype=bool)
    for k in np.unique(fold):
        fit, held = fold != k, fold == k
        c_fit, a_fit = _top1(oof[fit], temperature)
        iso = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(c_fit, a_fit == gold[fit])
        platt = fit_platt(c_fit, a_fit == gold[fit])
        c, a = _top1(oof[held], temperature)
        conf_t[held], conf_iso[held], correct[held] = c, iso.predict(c), a == gold[held]
        conf_p[held] = apply_platt(c, platt)
    c_all, a_all = _top1(oof, temperature)
    return {
        "n": len(gold), "accuracy": round(float(correct.mean()), 4),
        "ece_temperature": round(ece(conf_t, correct), 4), "ece_isotonic": round(ece(conf_iso, correct), 4),
        "ece": round(ece(conf_p, correct), 4), "top1_platt": fit_platt(c_all, a_all == gold),
    }


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def fit_platt(conf: np.ndarray, correct: np.ndarray) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1.0).fit(_logit(conf)[:, None], correct)
    return {"a": round(float(lr.coef_[0, 0]), 5), "b": round(float(lr.intercept_[0]), 5)}


def apply_platt(conf: np.ndarray, platt: dict[str, float]) -> np.ndarray:
    return 1 / (1 + np.exp(-(platt["a"] * _logit(conf) + platt["b"])))


def fit_intake(base: np.ndarray, kw: np.ndarray, party: np.ndarray, masks: np.ndarray,
               gold: np.ndarray) -> dict[str, Any]:
    """A conditional logit over each record's candidates: weights of the model score, the keyword
    evidence and the party kinds, by maximum likelihood (L2 0.01; the temperature is absorbed)."""
    from scipy.optimize import minimize

    feats = np.stack([base, kw, party], axis=-1)
    feats = np.where(masks[..., None], feats, 0.0)
    rows = np.arange(len(gold))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = np.where(masks, feats @ w, -np.inf)
        z = z - z.max(axis=1, keepdims=True)
        e = np.where(masks, np.exp(z), 0.0)
        p = e / e.sum(axis=1, keepdims=True)
        nll = -np.mean(np.log(np.clip(p[rows, gold], 1e-12, 1))) + 0.01 * float(w @ w)
        grad = -(feats[rows, gold] - np.einsum("nk,nkf->nf", p, feats)).mean(axis=0) + 0.02 * w
        return nll, grad

    w = minimize(loss, np.array([1.0, 1.0, 0.5]), jac=True, method="L-BFGS-B").x
    return {"w_base": round(float(w[0]), 4), "w_kw": round(float(w[1]), 4), "w_party": round(float(w[2]), 4),
            "temperature": 1.0}


ISOTONIC_BOUNDS = (0.01, 0.99)  # never shown as certain either way


def fit_isotonic(conf: np.ndarray, correct: np.ndarray) -> dict[str, list[float]]:
    """Isotonic regression of right/wrong on the top-1 probability, as breakpoints (``np.interp``)."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=ISOTONIC_BOUNDS[0], y_max=ISOTONIC_BOUNDS[1], out_of_bounds="clip")
    iso.fit(conf, correct)
    return {"x": [round(float(v), 6) for v in iso.X_thresholds_], "y": [round(float(v), 6) for v in iso.y_thresholds_]}


def apply_isotonic(conf: np.ndarray, step: dict[str, list[float]]) -> np.ndarray:
    return np.interp(conf, step["x"], step["y"])


def _intake_top1(base: np.ndarray, kw: np.ndarray, party: np.ndarray, masks: np.ndarray,
                 params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    from ..intake import intake_logits

    p = softmax(np.where(masks, intake_logits(base, kw, party, params), -np.inf) / params["temperature"], 1.0)
    return p.max(axis=1), p.argmax(axis=1)


@dataclass(frozen=True)
class IntakeSet:
    """Intake texts labelled with a cause (``data/intake_calibration.jsonl``) and the shipped model's
    scores for them (the model never saw them)."""

    texts: list[str]
    categories: list[str]
    causes: list[str]
    raw: np.ndarray


def _matrices(raw: np.ndarray, texts: list[str], categories: list[str], causes: list[str], labels: list[str],
              temperature: float) -> tuple[np.ndarray, ...]:
    from ..intake import base_scores, category_mask, keyword_matrix, label_columns, party_kinds, party_matrix, universe

    names = list(universe(tuple(labels)))
    position = {n: k for k, n in enumerate(names)}
    gold = np.array([position[c] for c in causes])
    masks = np.stack([category_mask(c, names) for c in categories])  # type: ignore[misc]
    base = base_scores(raw, label_columns(labels, names), temperature)
    kw = keyword_matrix(texts, names)
    party = party_matrix([party_kinds(t, (), c) for t, c in zip(texts, categories, strict=True)], names)
    return base, kw, party, masks, gold


def calibrate_intake(oof: np.ndarray, gold_idx: np.ndarray, fold: np.ndarray, labels: list[str],
                     texts: list[str], temperature: float, extra: IntakeSet | None = None) -> dict[str, Any]:
    from ..causes import category_causes, to_2020

    first_category: dict[str, str] = {}
    for cat, ns in category_causes().items():
        for n in ns:
            first_category.setdefault(n, cat)
    rows = [i for i, g in enumerate(gold_idx)
            if not labels[g].endswith("罪") and to_2020(labels[g]) in first_category]
    causes = [to_2020(labels[gold_idx[i]]) for i in rows]
    parts = [_matrices(oof[rows], [texts[i] for i in rows], [first_category[c] for c in causes], causes, labels,
                       temperature)]
    source = [np.zeros(len(rows), dtype=int)]
    folds = [fold[rows]]
    if extra is not None and extra.texts:
        parts.append(_matrices(extra.raw, extra.texts, extra.categories, extra.causes, labels, temperature))
        source.append(np.ones(len(extra.texts), dtype=int))
        folds.append(np.arange(len(extra.texts)) % (int(fold.max()) + 1))
    base, kw, party, masks, gold = (np.concatenate([p[k] for p in parts]) for k in range(5))
    src, folds_all = np.concatenate(source), np.concatenate(folds)
    conf, correct = np.zeros(len(gold)), np.zeros(len(gold), dtype=bool)
    conf_platt = np.zeros(len(gold))
    chosen = []
    for k in np.unique(folds_all):
        fit, held = folds_all != k, folds_all == k
        params = fit_intake(base[fit], kw[fit], party[fit], masks[fit], gold[fit])
        c_fit, a_fit = _intake_top1(base[fit], kw[fit], party[fit], masks[fit], params)
        params["top1_platt"] = fit_platt(c_fit, a_fit == gold[fit])
        params["top1_isotonic"] = fit_isotonic(c_fit, a_fit == gold[fit])
        chosen.append(params)
        c, a = _intake_top1(base[held], kw[held], party[held], masks[held], params)
        conf[held], correct[held] = apply_isotonic(c, params["top1_isotonic"]), a == gold[held]
        conf_platt[held] = apply_platt(c, params["top1_platt"])
    params = fit_intake(base, kw, party, masks, gold)
    c_all, a_all = _intake_top1(base, kw, party, masks, params)
    params["top1_platt"] = fit_platt(c_all, a_all == gold)
    params["top1_isotonic"] = fit_isotonic(c_all, a_all == gold)
    base_only = np.where(masks, base, -np.inf).argmax(axis=1) == gold
    by_source = {}
    for s, name in ((0, "judgments"), (1, "demo_intakes")):
        sel = src == s
        if sel.any():
            by_source[name] = {"n": int(sel.sum()), "accuracy_within_category": round(float(correct[sel].mean()), 4),
                               "accuracy_model_only_within_category": round(float(base_only[sel].mean()), 4),
                               "ece": round(ece(conf[sel], correct[sel]), 4),
                               "ece_platt": round(ece(conf_platt[sel], correct[sel]), 4)}
    return {
        "n": len(gold), "accuracy_within_category": round(float(correct.mean()), 4),
        "accuracy_model_only_within_category": round(float(base_only.mean()), 4),
        "ece": round(ece(conf, correct), 4), "ece_platt": round(ece(conf_platt, correct), 4), "by_source": by_source,
        "method": "conditional logit, then isotonic regression of the top-1 (shipped: top1_isotonic)",
        "params": params, "params_per_fold": chosen,
        "confidence": conf, "correct": correct,
    }


def calibrate_cause(oof: np.ndarray, oof_short: np.ndarray, gold_idx: np.ndarray, fold: np.ndarray,
                    labels: list[str], short_texts: list[str], temperature: float,
                    log: Callable[[str], None] = print, extra: IntakeSet | None = None) -> dict[str, Any]:
    """``oof`` on the whole facts, ``oof_short`` on their first characters (``short_texts``), same
    fold models; ``temperature``: the model's own (``meta.json``), which intake scores are divided by."""
    model = calibrate_model(oof, gold_idx, fold, temperature)
    intake = calibrate_intake(oof_short, gold_idx, fold, labels, short_texts, temperature, extra)
    intake["texts"] = (f"first {len(max(short_texts, key=len))} characters of the judgment facts"
                       + (f" + {len(extra.texts)} demo intakes (data/intake_calibration.jsonl)" if extra else ""))
    from ..intake import settings

    threshold = float(settings()["suggest_threshold"])
    conf, correct = intake.pop("confidence"), intake.pop("correct")
    above = conf >= threshold
    intake["at_threshold"] = {"threshold": threshold, "share_suggested": round(float(above.mean()), 4),
                              "precision_suggested": round(float(correct[above].mean()), 4) if above.any() else None,
                              "accuracy_manual_top1": round(float(correct[~above].mean()), 4)
                              if (~above).any() else None}
    log(f"cause calibration (cross-fitted over the outer folds): top-1 ECE {model['ece']:.4f} "
        f"(temperature alone {model['ece_temperature']:.4f}, isotonic {model['ece_isotonic']:.4f}; n={model['n']})")
    log(f"intake proposal given the category (n={intake['n']}; by source {intake['by_source']}): "
        f"{intake['texts']}: top-1 {intake['accuracy_within_category']:.4f} "
        f"(model alone {intake['accuracy_model_only_within_category']:.4f}), "
        f"ECE {intake['ece']:.4f}; params {intake['params']}; at threshold {intake['at_threshold']}")
    return {"method": "temperature, then Platt scaling of the top-1", "model": model, "intake": intake, "bins": BINS}
