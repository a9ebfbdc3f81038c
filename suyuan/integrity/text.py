"""Text features for duplicate and similar-case checks: words, hashed vectors, shared terms.

Vectors are signed feature hashing of words and word pairs into a fixed number of dimensions:
no vocabulary to fit, so a dispute is vectorised the moment it arrives and the index never needs
a refit. Numbers are left out on purpose — two wage claims differ in amount but not in kind;
amounts are compared on their own.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from functools import lru_cache

import numpy as np
import rjieba

DIM = 256
_SKIP = re.compile(r"^[\W\d_a-zA-Z]+$")
# Function words and the platform's own role words carry no meaning for similarity.
STOP = frozenset(
    "的 了 和 与 及 等 被 向 在 为 于 将 其 是 已 并 对 由 从 把 以 之 后 时 中 上 下 至 起 共 约 "  # noqa: SIM905
    "元 年 月 日 个 未 经 多次 申请人 被申请人 请求 双方 一方 要求 现".split()
)


def words(text: str) -> list[str]:
    return [w for w in rjieba.cut(text) if w.strip() and w not in STOP and not _SKIP.match(w)]


def terms(text: str) -> Counter[str]:
    ws = words(text)
    counts: Counter[str] = Counter(ws)
    counts.update(ws[i] + "_" + ws[i + 1] for i in range(len(ws) - 1))
    return counts


def _weight(term: str) -> float:
    # Without corpus statistics, longer words are the rarer, more telling ones.
    if term.startswith("amt:"):
        return 0.6
    if "_" in term:
        return 0.5
    return 0.3 if len(term) == 1 else 1.0


def amount_bucket(amount: float | None) -> str:
    """Amounts within a factor of about 1.4 share a bucket (half-octaves of the yuan figure)."""
    if amount is None or amount <= 0:
        return ""
    return f"amt:{round(2 * math.log2(amount))}"


def vector(text: str, dim: int = DIM, *, amount: float | None = None) -> np.ndarray:
    """The unit-length hashed vector of a text (all zeros for a text without words).

    ``amount`` adds a weak feature so that, among disputes told in the same words, those of a
    similar size rank first.
    """
    out = np.zeros(dim, dtype=np.float32)
    counts = terms(text)
    bucket = amount_bucket(amount)
    if bucket:
        counts[bucket] = 1
    for term, count in counts.items():
        h = zlib.crc32(term.encode("utf-8"))
        out[h % dim] += (1.0 if h & 0x80000000 else -1.0) * (1.0 + math.log(count)) * _weight(term)
    norm = float(np.linalg.norm(out))
    return out / norm if norm > 0 else out


def vectors(texts: list[str], dim: int = DIM, amounts: list[float | None] | None = None) -> np.ndarray:
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = vector(text, dim, amount=amounts[i] if amounts else None)
    return out


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))


def shared_terms(a: str, b: str, limit: int = 8) -> list[str]:
    """The words two texts share, longest first (the reason a person can check)."""
    common = set(words(a)) & set(words(b))
    return sorted((w for w in common if len(w) >= 2), key=lambda w: (-len(w), w))[:limit]


@lru_cache(maxsize=65536)
def _claim_words(text: str) -> frozenset[str]:
    # Claims are formulaic and repeat across a batch and across every comparison of one check.
    return frozenset(w for w in words(text) if len(w) >= 2)


def claim_similarity(a: str, b: str) -> float:
    """How far two claims ask for the same thing: the share of the shorter claim's words found in
    the longer one. Claims are short and formulaic ("请求判令被申请人归还借款本金…"), so
    containment reads them better than a vector cosine."""
    wa, wb = _claim_words(a), _claim_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))
