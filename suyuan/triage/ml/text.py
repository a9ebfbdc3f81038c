"""Text features shared by training and prediction, so both tokenise alike."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import rjieba
from scipy import sparse

_SPLIT = re.compile(r"[、，,（）()\s]+")
_NAME_SUFFIXES = ("责任纠纷", "合同纠纷", "纠纷", "罪")


def words(text: str) -> list[str]:
    return [w for w in rjieba.cut(text) if w.strip()]


class HashedTfidf:
    """Char 1–2-grams and word 1–2-grams, restricted to a fixed vocabulary, sublinear tf × idf, L2.

    A plain dictionary vocabulary (stored as JSON) keeps the artefact readable and independent of
    scikit-learn's pickles, which break across versions.
    """

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.idf = idf

    @staticmethod
    def terms(text: str) -> list[str]:
        chars = [c for c in text if not c.isspace()]
        out = chars + ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)]
        ws = words(text)
        out += ["w:" + w for w in ws] + ["w:" + ws[i] + "_" + ws[i + 1] for i in range(len(ws) - 1)]
        return out

    @classmethod
    def fit(cls, texts: Sequence[str], *, max_features: int, min_df: int = 2) -> HashedTfidf:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(cls.terms(text)))
        kept = [t for t, c in df.most_common() if c >= min_df][:max_features]
        kept.sort()
        n = len(texts)
        vocabulary = {t: i for i, t in enumerate(kept)}
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in kept], dtype=np.float32)
        return cls(vocabulary, idf)

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        texts = list(texts)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, text in enumerate(texts):
            counts = Counter(self.terms(text))
            entries = [(self.vocabulary[t], c) for t, c in counts.items() if t in self.vocabulary]
            if not entries:
                continue
            idx = np.array([e[0] for e in entries])
            v = (1 + np.log(np.array([e[1] for e in entries], dtype=np.float32))) * self.idf[idx]
            v /= np.linalg.norm(v)
            rows += [r] * len(idx)
            cols += idx.tolist()
            vals += v.tolist()
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocabulary)), dtype=np.float32)

    def save(self, path: Path) -> None:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        path.write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path, idf: np.ndarray) -> HashedTfidf:
        terms = json.loads(path.read_text(encoding="utf-8"))
        return cls({t: i for i, t in enumerate(terms)}, idf)


def name_core(name: str) -> str:
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _bigrams(text: str) -> set[str]:
    out: set[str] = set()
    for part in _SPLIT.split(text):
        out |= {part[i : i + 2] for i in range(len(part) - 1)}
    return out


class NameMatcher:
    """Knowledge feature: how much of a cause's own name appears in the text.

    Needs no training data: each label's name is cut into character bigrams weighted by how rare
    they are among all names; the score is the weighted share found in the text, plus a bonus
    when the name (or its core without 纠纷/罪) appears verbatim. The explanation lists the
    matched pieces.
    """

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.grams = [_bigrams(name_core(label)) for label in self.labels]
        df = Counter(g for gs in self.grams for g in gs)
        n = len(self.labels)
        self.idf = {g: math.log(n / df[g]) + 1 for g in df}

    def scores(self, text: str) -> np.ndarray:
        present = {text[i : i + 2] for i in range(len(text) - 1)}
        out = np.zeros(len(self.labels), dtype=np.float32)
        for j, grams in enumerate(self.grams):
            if not grams:
                continue
            total = sum(self.idf[g] for g in grams)
            out[j] = sum(self.idf[g] for g in grams if g in present) / total
            if self.labels[j] in text or name_core(self.labels[j]) in text:
                out[j] += 0.5
        return out

    def matched(self, text: str, label: str) -> list[str]:
        j = self.labels.index(label)
        return sorted(g for g in self.grams[j] if g in text)
