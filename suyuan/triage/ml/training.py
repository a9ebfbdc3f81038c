"""Rebuild the artefacts from the corpora (``../shared/data`` by default, never copied here).

Deterministic: fixed folds and seeds, solvers without randomness, sorted vocabularies.
Hyper-parameters were chosen by cross-validation on the *train* split (topic) or on the folds
(cause); the dev split of the topic data is used only for the reported figure.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .models import ARTEFACTS, keyword_matrix, softmax, topic_keywords
from .text import HashedTfidf, NameMatcher

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"
FOLDS = 5
SEED = 20240601

TOPIC_LEXICAL_WEIGHT = 0.2
TOPIC_KEYWORD_WEIGHT = 0.2
TOPIC_C = 30.0
CAUSE_NAME_WEIGHT = 0.3
CAUSE_MAX_FEATURES = 40000
CAUSE_KEEP_PER_CLASS = 400  # the SVM's largest weights per cause; the rest are ~0 and cost MBs


def data_dir(option: str | None = None) -> Path:
    return Path(option or os.environ.get("SUYUAN_DATA_DIR") or DEFAULT_DATA_DIR)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fit_temperature(scores: np.ndarray, gold: np.ndarray) -> float:
    """The temperature that makes out-of-fold softmax probabilities honest (lowest log-loss)."""
    finite = np.where(np.isfinite(scores), scores, -1e9)
    best, best_t = np.inf, 1.0
    for t in np.geomspace(0.05, 20, 60):
        p = softmax(finite, float(t))[np.arange(len(gold)), gold]
        loss = -np.mean(np.log(np.clip(p, 1e-12, 1)))
        if loss < best:
            best, best_t = loss, float(t)
    return round(best_t, 4)


def _lr(x: Any, y: list[str], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=5000, C=c).fit(x, y)


def topic_scores(texts: list[str], emb: np.ndarray, fit: dict[str, Any]) -> np.ndarray:
    labels = fit["labels"]
    lex = fit["tfidf"].transform(texts)
    log_emb = np.log(softmax(emb @ fit["emb"].coef_.T + fit["emb"].intercept_, 1.0))
    log_lex = np.log(softmax(np.asarray(lex @ fit["lex"].coef_.T) + fit["lex"].intercept_, 1.0))
    kw = keyword_matrix(texts, labels, topic_keywords())
    return log_emb + TOPIC_LEXICAL_WEIGHT * log_lex + TOPIC_KEYWORD_WEIGHT * kw


def _fit_topic(texts: list[str], labels: list[str], emb: np.ndarray) -> dict[str, Any]:
    tfidf = HashedTfidf.fit(texts, max_features=20000, min_df=1)
    return {
        "labels": sorted(set(labels)),
        "tfidf": tfidf,
        "emb": _lr(emb, labels, TOPIC_C),
        "lex": _lr(tfidf.transform(texts), labels, TOPIC_C),
    }


def train_topic(root: Path, log: Callable[[str], None] = print) -> dict[str, Any]:
    from sklearn.model_selection import StratifiedKFold

    from .models import embed

    rows = read_jsonl(root / "lawbench-consult-topic" / "train.jsonl")
    texts = [r["text"] for r in rows]
    gold = [r["label"] for r in rows]
    emb = embed(texts)
    labels = sorted(set(gold))
    index = {label: i for i, label in enumerate(labels)}
    oof = np.zeros((len(texts), len(labels)))
    for tr, te in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(texts, gold):
        fit = _fit_topic([texts[i] for i in tr], [gold[i] for i in tr], emb[tr])
        oof[te] = topic_scores([texts[i] for i in te], emb[te], fit)
    temperature = fit_temperature(oof, np.array([index[g] for g in gold]))
    fit = _fit_topic(texts, gold, emb)
    out = ARTEFACTS / "topic"
    out.mkdir(parents=True, exist_ok=True)
    fit["tfidf"].save(out / "vocabulary.json")
    np.savez_compressed(
        out / "weights.npz",
        emb_coef=fit["emb"].coef_.astype(np.float32), emb_bias=fit["emb"].intercept_.astype(np.float32),
        lex_coef=fit["lex"].coef_.astype(np.float32), lex_bias=fit["lex"].intercept_.astype(np.float32),
        idf=fit["tfidf"].idf,
    )
    meta = {
        "labels": labels, "lexical_weight": TOPIC_LEXICAL_WEIGHT, "keyword_weight": TOPIC_KEYWORD_WEIGHT,
        "temperature": temperature, "trained_on": "lawbench-consult-topic/train.jsonl", "n_train": len(texts),
        "built": datetime.now(UTC).date().isoformat(),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"topic: {len(texts)} train texts, temperature {temperature}")
    return meta


def _fit_cause(texts: list[str], gold: list[str]) -> tuple[HashedTfidf, Any]:
    from sklearn.svm import LinearSVC

    tfidf = HashedTfidf.fit(texts, max_features=CAUSE_MAX_FEATURES, min_df=2)
    svm = LinearSVC(C=1.0).fit(tfidf.transform(texts), gold)
    return tfidf, svm


def _prune(coef: np.ndarray, keep: int) -> np.ndarray:
    out = np.zeros_like(coef)
    for j in range(coef.shape[0]):
        idx = np.argsort(-np.abs(coef[j]))[:keep]
        out[j, idx] = coef[j, idx]
    return out


def cause_scores(texts: list[str], domains: list[str | None], labels: list[str], tfidf: HashedTfidf,
                 coef: np.ndarray, bias: np.ndarray) -> np.ndarray:
    from .models import is_criminal

    svm = np.asarray(tfidf.transform(texts) @ coef.T) + bias
    names = NameMatcher(labels)
    scores = svm + CAUSE_NAME_WEIGHT * np.vstack([names.scores(t) for t in texts])
    criminal = np.array([label.endswith("罪") for label in labels])
    for i, text in enumerate(texts):
        scores[i, criminal != is_criminal(text, domains[i])] = -np.inf
    return scores


def _expand(svm: Any, labels: list[str], coef: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Classes absent from a fold's training part get weight 0 and a low bias (name match only)."""
    full = np.zeros((len(labels), coef.shape[1]), dtype=np.float32)
    full_bias = np.full(len(labels), -1.0, dtype=np.float32)
    pos = {label: i for i, label in enumerate(labels)}
    for c, label in enumerate(svm.classes_):
        full[pos[label]] = coef[c]
        full_bias[pos[label]] = bias[c]
    return full, full_bias


def train_cause(root: Path, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Out-of-fold figures over the only labelled file (dev), then the artefact from all of it.

    The candidate inventory (label names, not texts) is the file's casenames: the held-back test
    split has the same casename set (data README). In each fold the texts of the other folds
    train the SVM; a held-out record whose cause has no training text can still be found by the
    name-matching rule.
    """
    from sklearn.model_selection import KFold

    rows = read_jsonl(root / "cail2019-cjrc-casename" / "dev.jsonl")
    texts = [r["context"] for r in rows]
    gold = [r["casename"] for r in rows]
    domains: list[str | None] = [r.get("domain") for r in rows]
    labels = sorted(set(gold))
    index = {label: i for i, label in enumerate(labels)}
    gold_idx = np.array([index[g] for g in gold])
    oof = np.zeros((len(texts), len(labels)))
    for tr, te in KFold(FOLDS, shuffle=True, random_state=SEED).split(texts):
        tfidf, svm = _fit_cause([texts[i] for i in tr], [gold[i] for i in tr])
        coef, bias = _expand(svm, labels, _prune(svm.coef_, CAUSE_KEEP_PER_CLASS), svm.intercept_)
        oof[te] = cause_scores([texts[i] for i in te], [domains[i] for i in te], labels, tfidf, coef, bias)
    order = np.argsort(-oof, axis=1)
    top1 = float(np.mean(order[:, 0] == gold_idx))
    top3 = float(np.mean([gold_idx[i] in order[i, :3] for i in range(len(gold))]))
    temperature = fit_temperature(oof, gold_idx)
    tfidf, svm = _fit_cause(texts, gold)
    coef, bias = _expand(svm, labels, _prune(svm.coef_, CAUSE_KEEP_PER_CLASS), svm.intercept_)
    from scipy import sparse

    sp = sparse.csr_matrix(coef.astype(np.float32))
    out = ARTEFACTS / "cause"
    out.mkdir(parents=True, exist_ok=True)
    tfidf.save(out / "vocabulary.json")
    np.savez_compressed(
        out / "weights.npz", coef_data=sp.data.astype(np.float16).astype(np.float32), coef_indices=sp.indices,
        coef_indptr=sp.indptr, coef_shape=np.array(sp.shape), bias=bias, idf=tfidf.idf,
    )
    meta = {
        "labels": labels, "name_weight": CAUSE_NAME_WEIGHT, "temperature": temperature,
        "trained_on": "cail2019-cjrc-casename/dev.jsonl (all 1,000 records)", "n_train": len(texts),
        "out_of_fold": {"folds": FOLDS, "seed": SEED, "n": len(texts), "top1": round(top1, 4), "top3": round(top3, 4)},
        "built": datetime.now(UTC).date().isoformat(),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"cause: {FOLDS}-fold out-of-fold n={len(texts)} top1={top1:.4f} top3={top3:.4f}; temperature {temperature}")
    return meta
