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
The index is the app's own (suyuan.integrity.index.DistinctVectors: HNSW over distinct vectors,
expanded through a side table); the similar-search exact baseline is reported both over every
dispute and over the distinct vectors.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
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
from suyuan.demo.names import COMMUNITY_WORDS, VILLAGE_WORDS, person_name  # noqa: E402
from suyuan.integrity.art247 import CaseFacts, compare  # noqa: E402
from suyuan.integrity.index import (  # noqa: E402
    CONNECTIVITY,
    DTYPE,
    EXPANSION_ADD,
    EXPANSION_SEARCH,
    MERGE_AT,
    DistinctVectors,
    VectorIndex,
    new_index,
)
from suyuan.integrity.text import DIM, vector  # noqa: E402
from suyuan.rules.thresholds import duplicate_suit_test  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PLACES = ["大武口区", "惠农区", "平罗县"]


def party_name(pid: int, cache: dict[int, str]) -> str:
    if pid not in cache:
        cache[pid] = person_name(random.Random(pid))
    return cache[pid]


def generate(
    n: int, seed: int, diverse: bool
) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray, list[list]]:
    """Disputes as the demo generator words them; with ``diverse``, each also opens with who and
    where (the parties' names, their community or village), as real records do, so that almost
    no two disputes share a vector and the index has to hold every one."""
    rng = random.Random(seed)
    names: dict[int, str] = {}
    cats = list(CATEGORIES)
    weights = [CATEGORIES[c][0] for c in cats]
    people = max(1000, n // 2)
    serial = [rng.randrange(people) for _ in range(max(10, n // 2000))]
    texts: list[str] = []
    categories: list[str] = []
    claims: list[list] = []
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
        if diverse:
            a_, r_ = int(applicants[i]), int(respondents[i])
            place = rng.choice(PLACES) + rng.choice(COMMUNITY_WORDS if rng.random() < 0.6 else VILLAGE_WORDS)
            facts = f"申请人{party_name(a_, names)}与被申请人{party_name(r_, names)}均系{place}居民。" + facts
        texts.append(facts + "\n" + "\n".join(t for t, _ in claim_list))
        categories.append(cat)
        claims.append([(t, float(a) if a is not None else None) for t, a in claim_list])
        amounts[i] = amount if amount is not None else np.nan
    return texts, categories, amounts, applicants, respondents, claims


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.array(xs) * 1000, q))


def duplicate_check(args: argparse.Namespace, n: int, data: tuple) -> None:
    texts, cats, amounts, apps, resps, claims = data
    nq = args.queries
    # Duplicate check of a new dispute: half are re-filings of an existing one. Both methods read
    # the same stored facts of earlier disputes (fact vector, claim words: computed once, as the app
    # keeps them) and run the same art. 247 comparison; they differ only in how they find the
    # disputes sharing the new one's parties: a vectorised scan of every dispute's party arrays
    # (exact) or one look-up in an index keyed by the unordered applicant-respondent pair.
    conditions = duplicate_suit_test(date(2026, 11, 1)).conditions  # type: ignore[union-attr]
    rng = random.Random(args.seed + 1)
    by_pair: dict[tuple[int, int], list[int]] = {}
    t = time.perf_counter()
    for i in range(n):
        a_, r_ = int(apps[i]), int(resps[i])
        by_pair.setdefault((a_, r_) if a_ <= r_ else (r_, a_), []).append(i)
    party_build = time.perf_counter() - t
    stored: dict[int, CaseFacts] = {}

    def facts(i: int) -> CaseFacts:
        if i not in stored:
            stored[i] = CaseFacts(
                key=i,
                number=str(i),
                category=cats[i],
                description=texts[i].split("\n")[0],
                amount=None if np.isnan(amounts[i]) else float(amounts[i]),
                claims=claims[i],
                applicants=frozenset([int(apps[i])]),
                respondents=frozenset([int(resps[i])]),
            )
        return stored[i]

    new_disputes = []
    for k in range(nq):
        qi = n + k
        if k % 2 == 0:  # a re-filing of dispute j, worded afresh
            j = rng.randrange(n)
            a, r = int(apps[j]), int(resps[j])
            amount = None if np.isnan(amounts[j]) else Decimal(str(amounts[j])).quantize(Decimal("0.01"))
            words_, claim_list = _texts(rng, cats[j], amount, date(2026, 6, 1))
            later = CaseFacts(
                key=qi,
                number=str(qi),
                category=cats[j],
                description=words_,
                amount=None if amount is None else float(amount),
                claims=[(t_, float(x) if x is not None else None) for t_, x in claim_list],
                applicants=frozenset([a]),
                respondents=frozenset([r]),
            )
        else:
            a, r = int(apps[qi]), int(resps[qi])
            later = facts(qi)
        later.fact_vec()
        new_disputes.append((k % 2 == 0, a, r, later))
    # Warm the stored facts both methods read (untimed), so neither pays for the other's first touch.
    for _, a, r, later in new_disputes:
        for c in by_pair.get((a, r) if a <= r else (r, a), ()):
            compare(later, facts(c), conditions)

    d_exact_t, d_fast_t, d_recall, d_kind, flagged = [], [], [], [], 0
    for refiling, a, r, later in new_disputes:
        t = time.perf_counter()
        mask = ((apps[:n] == a) & (resps[:n] == r)) | ((apps[:n] == r) & (resps[:n] == a))
        exact = {
            m.earlier.key
            for c in np.flatnonzero(mask)
            if (m := compare(later, facts(int(c)), conditions)) is not None and m.meets_test
        }
        d_exact_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        fast = {
            m.earlier.key
            for c in by_pair.get((a, r) if a <= r else (r, a), ())
            if (m := compare(later, facts(c), conditions)) is not None and m.meets_test
        }
        d_fast_t.append(time.perf_counter() - t)
        flagged += bool(exact)
        d_kind.append(refiling)
        d_recall.append(len(fast & exact) / len(exact) if exact else 1.0)
    print(f"duplicate pair index build: {party_build:.1f} s ({len(by_pair)} pairs)")
    print(f"duplicate exact scan: p50 {pct(d_exact_t, 50):.3f} ms p95 {pct(d_exact_t, 95):.3f} ms")
    print(
        f"duplicate indexed:    p50 {pct(d_fast_t, 50):.4f} ms p95 {pct(d_fast_t, 95):.4f} ms; "
        f"recall {np.mean(d_recall):.3f}; {flagged}/{nq} new disputes flagged"
    )
    for label, want in (("re-filings", True), ("fresh disputes", False)):
        ex = [x for x, kind in zip(d_exact_t, d_kind, strict=True) if kind == want]
        fa = [x for x, kind in zip(d_fast_t, d_kind, strict=True) if kind == want]
        print(
            f"  {label}: exact p50 {pct(ex, 50):.3f} / p95 {pct(ex, 95):.3f} ms, "
            f"indexed p50 {pct(fa, 50):.4f} / p95 {pct(fa, 95):.4f} ms, {pct(ex, 50) / pct(fa, 50):.0f}x at p50"
        )
    print(
        f"duplicate speed-up (p50 exact / p50 indexed): {pct(d_exact_t, 50) / pct(d_fast_t, 50):.0f}x; "
        f"(p95 exact / p95 indexed): {pct(d_exact_t, 95) / pct(d_fast_t, 95):.0f}x"
    )


def arrivals(index: DistinctVectors, queries: np.ndarray) -> None:
    """The index as the app keeps it on disk: write the built graph once, then disputes arrive one by
    one into the exact delta (one small file write each) and are searched with the graph."""
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        VectorIndex(Path(tmp)).install(index)
        print(
            f"graph files written in {time.perf_counter() - t:.1f} s "
            f"({sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20:.0f} MB on disk)"
        )
        disk = VectorIndex(Path(tmp))  # a web process starting: nothing loaded yet
        t = time.perf_counter()
        snapshot = disk.reader()
        assert snapshot is not None and snapshot.graph is not None and len(snapshot) == len(index)
        table = snapshot.graph.sorted_keys.nbytes + snapshot.graph.grouped.nbytes + snapshot.graph.starts.nbytes
        print(
            f"a web process opens the files in {time.perf_counter() - t:.2f} s "
            f"(graph memory-mapped; side table {table / 2**20:.0f} MB of arrays)"
        )
        add_t, search_t = [], []
        base_key = len(index) + 10
        for i, q in enumerate(queries[: min(len(queries), MERGE_AT - 1)]):
            t = time.perf_counter()
            disk.add([base_key + i], q[None, :])
            add_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            found = disk.search(q, 10)
            search_t.append(time.perf_counter() - t)
            assert int(found.keys[0]) == base_key + i or found.similarities[0] >= 0.999
        print(
            f"arrival into the delta: p50 {pct(add_t, 50):.2f} ms p95 {pct(add_t, 95):.2f} ms "
            f"(merged into the graph every {MERGE_AT} arrivals); search with a delta of up to {len(add_t)}: "
            f"p50 {pct(search_t, 50):.3f} ms p95 {pct(search_t, 95):.3f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20251125)
    parser.add_argument("--corpus", choices=["demo", "diverse"], default="demo")
    parser.add_argument("--connectivity", type=int, default=CONNECTIVITY)
    parser.add_argument("--expansion-add", type=int, default=EXPANSION_ADD)
    parser.add_argument(
        "--expansion-search",
        default=str(EXPANSION_SEARCH),
        help="one value, or several separated by commas: each is measured on the same build",
    )
    parser.add_argument("--dtype", default=DTYPE, choices=["f32", "f16", "i8"], help="how the graph stores vectors")
    args = parser.parse_args()
    n, nq = args.n, args.queries
    print(f"n={n} queries={nq} corpus={args.corpus} dim={DIM} threads={args.threads} cpus={os.cpu_count()}")

    t = time.perf_counter()
    texts, cats, amounts, apps, resps, claims = generate(n + nq, args.seed, args.corpus == "diverse")
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
    sweep = [int(x) for x in str(args.expansion_search).split(",")]
    index = DistinctVectors(
        graph=new_index(
            connectivity=args.connectivity,
            expansion_add=args.expansion_add,
            expansion_search=sweep[0],
            dtype=args.dtype,
        ),
    )
    index.add(np.arange(n, dtype=np.int64), base, threads=args.threads)
    build_s = time.perf_counter() - t
    print(
        f"index build: {build_s:.1f} s; {index.distinct} distinct vectors for {n} disputes; "
        f"graph memory {index.graph.memory_usage / 2**20:.0f} MB; "
        f"process peak RSS {rss_mb():.0f} MB (before build {rss0:.0f} MB)"
    )

    # Two exact baselines, both brute force (one BLAS matrix-vector product): over every dispute,
    # and over the distinct vectors only (the same de-duplication the index uses, expanded the same
    # way), which is the stronger of the two. Ratios are reported against both.
    first_of = np.asarray([index.members[v][0] for v in sorted(index.members)], dtype=np.int64)
    distinct_mat = np.ascontiguousarray(base[first_of])
    vids = np.asarray(sorted(index.members), dtype=np.int64)

    exact_t, exact_d_t, kths = [], [], []
    all_sims = []
    for q in queries:
        t = time.perf_counter()
        sims = base @ q
        top = np.argpartition(-sims, 10)[:10]
        kth = float(np.sort(sims[top])[0])
        exact_t.append(time.perf_counter() - t)
        kths.append(kth)
        all_sims.append(sims)
        t = time.perf_counter()
        dsims = distinct_mat @ q
        order = np.argsort(-dsims[(dtop := np.argpartition(-dsims, 10)[:10])])
        exact_keys: list[int] = []
        for j in dtop[order]:
            exact_keys.extend(index.members[int(vids[j])][-1:-11:-1])
            if len(exact_keys) >= 10:
                break
        exact_d_t.append(time.perf_counter() - t)
    print(f"similar exact, every dispute:    p50 {pct(exact_t, 50):.2f} ms p95 {pct(exact_t, 95):.2f} ms")
    print(f"similar exact, distinct vectors: p50 {pct(exact_d_t, 50):.2f} ms p95 {pct(exact_d_t, 95):.2f} ms")
    for ef in sweep:
        index.graph.expansion_search = ef
        for q in queries[:20]:  # warm the pages this setting touches (untimed)
            index.search(q, 10)
        fast_t, recalls = [], []
        for q, sims, kth in zip(queries, all_sims, kths, strict=True):
            t = time.perf_counter()
            found = index.search(q, 10)
            fast_t.append(time.perf_counter() - t)
            got = np.asarray(found.keys, dtype=np.int64)
            recalls.append(float(np.mean(sims[got] >= kth - 1e-3)) if len(got) else 0.0)
        print(
            f"similar hnsw:  p50 {pct(fast_t, 50):.3f} ms p95 {pct(fast_t, 95):.3f} ms; "
            f"recall@10 {np.mean(recalls):.3f} (worst query {np.min(recalls):.1f}); {args.dtype}, "
            f"connectivity {args.connectivity}, expansion add/search {args.expansion_add}/{ef}"
        )
        print(
            f"similar speed-up (p50 exact / p50 hnsw): {pct(exact_t, 50) / pct(fast_t, 50):.1f}x over every "
            f"dispute, {pct(exact_d_t, 50) / pct(fast_t, 50):.1f}x over distinct vectors; "
            f"(p95 / p95): {pct(exact_t, 95) / pct(fast_t, 95):.1f}x"
        )
    del all_sims

    arrivals(index, queries)
    duplicate_check(args, n, (texts, cats, amounts, apps, resps, claims))
    print(f"peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
