"""Which of two cases is more like a third: learned term weights over TF-IDF (the SCM model).

score(A, X) = Σ_t w_t · a_t · x_t, where a and x are sublinear TF-IDF vectors of jieba words and
w is one weight per vocabulary word, fitted by logistic regression on score(A, B) − score(A, C)
(train split of CAIL2019-SCM only; see artefacts/scm/MODEL_CARD.md). Plain cosine is w = 1; the
learning lets the words that decide a legal similarity (guarantee, interest, repayment…) count
more than the narrative. Inference needs numpy and rjieba only.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
import rjieba

ARTEFACTS = Path(__file__).resolve().parent / "artefacts" / "scm"


def tokens(text: str) -> list[str]:
    return [w for w in rjieba.cut(text) if w.strip()]


class ScmModel:
    def __init__(self, vocabulary: list[str], idf: np.ndarray, weights: np.ndarray) -> None:
        self.vocabulary = {t: i for i, t in enumerate(vocabulary)}
        self.idf = idf.astype(np.float64)
        self.weights = weights.astype(np.float64)

    @classmethod
    def load(cls, root: Path = ARTEFACTS) -> ScmModel:
        arrays = np.load(root / "weights.npz")
        vocabulary = json.loads((root / "vocabulary.json").read_text(encoding="utf-8"))
        return cls(vocabulary, arrays["idf"], arrays["weights"])

    def vector(self, text: str) -> dict[int, float]:
        counts = Counter(t for t in tokens(text) if t in self.vocabulary)
        v = {self.vocabulary[t]: (1 + math.log(c)) * self.idf[self.vocabulary[t]] for t, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {i: x / norm for i, x in v.items()}

    def score(self, a: dict[int, float], b: dict[int, float]) -> float:
        return float(sum(self.weights[i] * x * b[i] for i, x in a.items() if i in b))

    def predict(self, a: str, b: str, c: str) -> str:
        va, vb, vc = self.vector(a), self.vector(b), self.vector(c)
        return "B" if self.score(va, vb) >= self.score(va, vc) else "C"


@cache
def model() -> ScmModel:
    return ScmModel.load()
