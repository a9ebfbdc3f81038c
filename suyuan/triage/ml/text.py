"""Text features shared by training and prediction, so both tokenise alike."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
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
    @lru_cache(maxsize=4096)  # training refits on the same texts fold after fold
    def terms(text: str) -> tuple[str, ...]:
        chars = [c for c in text if not c.isspace()]
        out = chars + ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)]
        ws = words(text)
        out += ["w:" + w for w in ws] + ["w:" + ws[i] + "_" + ws[i + 1] for i in range(len(ws) - 1)]
        return tuple(out)

    @classmethod
    def fit(cls, texts: Sequence[str], *, max_features: int, min_df: int = 2) -> HashedTfidf:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(cls.terms(text)))
        # Ties broken by the term itself: set iteration order varies with PYTHONHASHSEED.
        kept = sorted((t for t, c in df.items() if c >= min_df), key=lambda t: (-df[t], t))[:max_features]
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


def _parts(name: str) -> list[str]:
    """The content of a cause name without 纠纷/罪, cut at its enumeration marks (、 and brackets)."""
    core = name
    for suffix in ("纠纷", "罪"):
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)]
    return [p for p in _SPLIT.split(core) if p]


# The knowledge features computed for every (text, cause) pair, in this order.
NAME_FEATURES = (
    "name_share",  # rarity-weighted share of the name's character bigrams found in the text
    "name_weight",  # the same, not normalised: a longer, more specific name that matches counts more
    "name_repeats",  # log(1 + how often the least frequent name bigram occurs), 0 unless all occur
    "name_verbatim",  # the whole name appears
    "core_verbatim",  # the name without 纠纷/罪 appears
    "parts_share",  # share of the name's 、-separated parts that appear verbatim
    "words_share",  # rarity-weighted share of the name's words (rjieba, 2+ chars) that appear
)


class NameMatcher:
    """Knowledge features: how much of a cause's own name appears in the text.

    Needs no training data: each label's name is cut into character bigrams and words, weighted by
    how rare they are among all names, and matched against the text. The explanation lists the
    matched pieces. Each distinct piece is looked up once per text and the per-name sums are sparse
    matrix products, so a batch of short texts costs ~0.3 ms each rather than a loop over names.
    """

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.parts = [_parts(label) for label in self.labels]
        self.cores = ["".join(p) for p in self.parts]
        self.grams = [set().union(*(_bigrams(p) for p in parts)) if parts else set() for parts in self.parts]
        self.words = [{w for p in parts for w in words(p) if len(w) >= 2} for parts in self.parts]
        n = len(self.labels)
        df = Counter(g for gs in self.grams for g in gs)
        self.idf = {g: math.log(n / df[g]) + 1 for g in df}
        dw = Counter(w for ws in self.words for w in ws)
        self.widf = {w: math.log(n / dw[w]) + 1 for w in dw}
        # One column per distinct piece, sorted so the layout does not depend on set order.
        self._gram_list = sorted(df)
        self._word_list = sorted(dw)
        self._part_list = sorted({p for parts in self.parts for p in parts})
        gi = {g: i for i, g in enumerate(self._gram_list)}
        self._gram_index = gi
        wi = {w: i for i, w in enumerate(self._word_list)}
        pi = {p: i for i, p in enumerate(self._part_list)}

        def matrix(pieces: list[list[tuple[int, float]]], width: int) -> sparse.csr_matrix:
            rows = [j for j, ps in enumerate(pieces) for _ in ps]
            cols = [c for ps in pieces for c, _ in ps]
            vals = [v for ps in pieces for _, v in ps]
            return sparse.csr_matrix((vals, (rows, cols)), shape=(n, width), dtype=np.float64)

        self._gram_w = matrix([[(gi[g], self.idf[g]) for g in sorted(gs)] for gs in self.grams], len(gi))
        self._gram_total = np.asarray(self._gram_w.sum(axis=1)).ravel()
        self._word_w = matrix([[(wi[w], self.widf[w]) for w in sorted(ws)] for ws in self.words], len(wi))
        self._word_total = np.asarray(self._word_w.sum(axis=1)).ravel()
        self._part_w = matrix([[(pi[p], 1.0) for p in parts] for parts in self.parts], len(pi))
        self._part_total = np.asarray(self._part_w.sum(axis=1)).ravel()
        self._has_grams = self._gram_total > 0
        self._gram_count = np.diff(self._gram_w.indptr)
        self._gram_any = (self._gram_w > 0).astype(np.float64)

    def features(self, text: str) -> np.ndarray:
        present = Counter(text[i : i + 2] for i in range(len(text) - 1))
        out = np.zeros((len(self.labels), len(NAME_FEATURES)), dtype=np.float32)
        g = np.zeros(len(self._gram_list))
        for gram, count in present.items():
            i = self._gram_index.get(gram)
            if i is not None:
                g[i] = count
        found = self._gram_w @ (g > 0)
        gw = self._gram_w
        if gw.nnz:
            # the least frequent of each name's bigrams (names without bigrams are masked below)
            least = np.minimum.reduceat(g[gw.indices], gw.indptr[:-1].clip(max=gw.nnz - 1))
        else:
            least = np.zeros(len(self.labels))
        has = self._has_grams
        out[has, 0] = found[has] / self._gram_total[has]
        out[has, 1] = found[has] / 10
        out[has, 2] = np.log1p(least[has])
        # A name (or its core) can only appear verbatim where all its bigrams do.
        complete = (self._gram_count == 0) | (self._gram_any @ (g > 0) == self._gram_count)
        for j in np.flatnonzero(complete):
            out[j, 3] = self.labels[j] in text
            out[j, 4] = bool(self.cores[j]) and self.cores[j] in text
        if self._part_list:
            p = np.array([x in text for x in self._part_list], dtype=np.float64)
            nz = self._part_total > 0
            out[nz, 5] = (self._part_w @ p)[nz] / self._part_total[nz]
        if self._word_list:
            w = np.array([x in text for x in self._word_list], dtype=np.float64)
            nz = self._word_total > 0
            out[nz, 6] = (self._word_w @ w)[nz] / self._word_total[nz]
        return out

    def matched(self, text: str, label: str) -> list[str]:
        j = self.labels.index(label)
        whole = [p for p in self.parts[j] if len(p) > 1 and p in text]
        if whole:
            return whole
        return sorted(w for w in self.words[j] if w in text) or sorted(g for g in self.grams[j] if g in text)
