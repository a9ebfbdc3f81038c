"""Similar-case index and duplicate check at scale, against exact search measured in the same run.

    .venv/bin/python bench/similar.py --n 1000000 [--queries 300] [--threads 2]

Disputes are generated with the demo generator's texts (suyuan.demo.disputes: category mix,
log-normal amounts, facts and claims as a grid worker types them); parties are drawn from a pool
of people and organisations (some claimants file in series, 1 % of disputes are re-filings of an
earlier one, worded afresh). Reports build time, memory, recall@10 of the HNSW index against exact
brute-force search in the same vector space, p50/p95 latency per query for both; then the same for
the art. 247 duplicate check of a new dispute (party index vs a full scan of every dispute), and
the ratios to the exact baseline.

Recall@10 counts ties: the generated facts are templated, so many disputes have exactly the same
vector; a returned neighbour counts when its exact similarity reaches the 10th exact similarity.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from suyuan.demo.disputes import CATEGORIES, _amount, _texts  # noqa: E402
from suyuan.integrity.art247 import CaseFacts, compare  # noqa: E402
from suyuan.integrity.index import new_index  # noqa: E402
from suyuan.integrity.text import DIM, vector  # noqa: E402
from suyuan.rules.thresholds import duplicate_suit_test  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(n: int, seed: int) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray, list[list]]:
    rng = random.Random(seed)
    cats = list(CATEGORIES)
    weights = [CATEGORIES[c][0] for c in cats]
    people = max(1000, n // 2)
    serial = [rng.randrange(people) for _ in range(max(10, n // 2000))]
    texts, categories, claims = [], [], []
    amounts = np.zeros(n, dtype=np.float64)
    applicants = np.zeros(n, dtype=np.int64)
    respondents = np.zeros(n, dtype=np.int64)
    day0 = date(2026, 10, 31)
    for i in range(n):
        if i > 100 and rng.random() < 0.01:  # a re-filing of an earlier dispute, worded afresh
            j = rng.randrange(i)
            cat, amount = categories[j], (None if np.isnan(amounts[j]) else amounts[j])
            applicants[i], respondents[i] = applicants[j], respondents[j]
        else:
            cat = rng.choices(cats, weights)[0]
            _, median, sigma, no_amount, _ = CATEGORIES[cat]
            amount = None if median is None or rng.random() < no_amount else float(_amount(rng, median, sigma))
            applicants[i] = rng.choice(serial) if rng.random() < 0.05 else rng.randrange(people)
            respondents[i] = rng.randrange(people)
        dec = Decimal(str(amount)).quantize(Decimal("0.01")) if amount is not None else None
        facts, claim_list = _texts(rng, cat, dec, day0 - timedelta(days=rng.randrange(900)))
        texts.append(facts + "\n" + "\n".join(t for t, _ in claim_list))
        categories.append(cat)
        claims.append([(t, float(a) if a is not None else None) for t, a in claim_list])
        amounts[i] = amount if amount is not None else np.nan
    return texts, categories, amounts, applicants, respondents, claims


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.array(xs) * 1000, q))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20251125)
    args = parser.parse_args()
    n, nq = args.n, args.queries
    print(f"n={n} queries={nq} dim={DIM} threads={args.threads} cpus={os.cpu_count()}")

    t = time.perf_counter()
    texts, cats, amounts, apps, resps, claims = generate(n + nq, args.seed)
    print(f"generate: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    vecs = np.zeros((n + nq, DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        vecs[i] = vector(text, amount=None if np.isnan(amounts[i]) else float(amounts[i]))
    vec_s = time.perf_counter() - t
    print(f"vectorise: {vec_s:.1f} s ({(n + nq) / vec_s:.0f} disputes/s, one core)")
    base, queries = vecs[:n], vecs[n:]

    rss0 = rss_mb()
    t = time.perf_counter()
    index = new_index()
    index.add(np.arange(n, dtype=np.uint64), base, threads=args.threads)
    build_s = time.perf_counter() - t
    print(f"index build: {build_s:.1f} s; index memory {index.memory_usage / 2**20:.0f} MB; "
          f"process peak RSS {rss_mb():.0f} MB (before build {rss0:.0f} MB)")

    # Similar-case search: exact brute force (one matrix-vector product) vs HNSW.
    exact_t, fast_t, recalls = [], [], []
    for q in queries:
        t = time.perf_counter()
        sims = base @ q
        top = np.argpartition(-sims, 10)[:10]
        kth = float(np.sort(sims[top])[0])
        exact_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        found = index.search(q, 10)
        fast_t.append(time.perf_counter() - t)
        got = np.asarray(found.keys, dtype=np.int64)
        recalls.append(float(np.mean(sims[got] >= kth - 1e-3)) if len(got) else 0.0)
    print(f"similar exact: p50 {pct(exact_t, 50):.2f} ms p95 {pct(exact_t, 95):.2f} ms")
    print(f"similar hnsw:  p50 {pct(fast_t, 50):.3f} ms p95 {pct(fast_t, 95):.3f} ms; recall@10 {np.mean(recalls):.3f}")
    print(f"similar speed-up (p50 exact / p50 hnsw): {pct(exact_t, 50) / pct(fast_t, 50):.0f}x")

    # Duplicate check of a new dispute: half are re-filings of an existing one.
    conditions = duplicate_suit_test(date(2026, 11, 1)).conditions  # type: ignore[union-attr]
    rng = random.Random(args.seed + 1)
    by_party: dict[int, list[int]] = {}
    t = time.perf_counter()
    for i in range(n):
        by_party.setdefault(int(apps[i]), []).append(i)
        by_party.setdefault(int(resps[i]), []).append(i)
    party_build = time.perf_counter() - t

    def facts(i: int, a: int, r: int) -> CaseFacts:
        return CaseFacts(key=i, number=str(i), category=cats[i], description=texts[i].split("\n")[0],
                         amount=None if np.isnan(amounts[i]) else float(amounts[i]), claims=claims[i],
                         applicants=frozenset([a]), respondents=frozenset([r]))

    d_exact_t, d_fast_t, d_recall, flagged = [], [], [], 0
    for k in range(nq):
        qi = n + k
        if k % 2 == 0:  # a re-filing of dispute j, worded afresh
            j = rng.randrange(n)
            a, r = int(apps[j]), int(resps[j])
            amount = None if np.isnan(amounts[j]) else Decimal(str(amounts[j])).quantize(Decimal("0.01"))
            words_, claim_list = _texts(rng, cats[j], amount, date(2026, 6, 1))
            later = CaseFacts(key=qi, number=str(qi), category=cats[j], description=words_,
                              amount=None if amount is None else float(amount),
                              claims=[(t_, float(x) if x is not None else None) for t_, x in claim_list],
                              applicants=frozenset([a]), respondents=frozenset([r]))
        else:
            a, r = int(apps[qi]), int(resps[qi])
            later = facts(qi, a, r)
        t = time.perf_counter()
        mask = ((apps[:n] == a) & (resps[:n] == r)) | ((apps[:n] == r) & (resps[:n] == a))
        exact = {m.earlier.key for c in np.flatnonzero(mask)
                 if (m := compare(later, facts(int(c), int(apps[c]), int(resps[c])), conditions)) is not None
                 and m.meets_test}
        d_exact_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        cands = set(by_party.get(a, ())) & set(by_party.get(r, ()))
        fast = {m.earlier.key for c in cands
                if (m := compare(later, facts(c, int(apps[c]), int(resps[c])), conditions)) is not None
                and m.meets_test}
        d_fast_t.append(time.perf_counter() - t)
        flagged += bool(exact)
        d_recall.append(len(fast & exact) / len(exact) if exact else 1.0)
    print(f"duplicate party index build: {party_build:.1f} s")
    print(f"duplicate exact scan: p50 {pct(d_exact_t, 50):.2f} ms p95 {pct(d_exact_t, 95):.2f} ms")
    print(f"duplicate indexed:    p50 {pct(d_fast_t, 50):.3f} ms p95 {pct(d_fast_t, 95):.3f} ms; "
          f"recall {np.mean(d_recall):.3f}; {flagged}/{nq} new disputes flagged")
    print(f"duplicate speed-up (p50 exact / p50 indexed): {pct(d_exact_t, 50) / pct(d_fast_t, 50):.0f}x")
    print(f"peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
