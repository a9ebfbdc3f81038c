"""Triage models against a same-run char n-gram TF-IDF + logistic regression baseline.

    OMP_NUM_THREADS=1 .venv/bin/python bench/triage.py [--data ../shared/data]

Topic: both trained on lawbench train, scored on its dev split (ours is rebuilt here from train only into a
temporary directory, with ``train_topic(train_only=True)``: the shipped artefact is fitted on train + valid, so its
dev figure would be in-sample). Cause: both scored by 5-fold
out-of-fold prediction over the CJRC dev file (the only labelled file); ours is the *nested*
out-of-fold figure written by ``triage_train`` (the ranker's weights also fitted inside each fold).
Throughput is texts per second on one core (set OMP_NUM_THREADS=1).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from suyuan.triage.ml import training
from suyuan.triage.ml.evaluation import macro_f1
from suyuan.triage.ml.models import CauseModel, TopicModel

CAUSE_BASELINE_FEATURES = 20000


def baseline(
    train_x: list[str], train_y: list[str], max_features: int | None = None
) -> tuple[TfidfVectorizer, LogisticRegression]:
    # Capped for the cause task: uncapped char 1–3-grams of 800 judgments (~10^6 terms) × 326 classes
    # exhaust memory in L-BFGS and crash the process.
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, max_features=max_features)
    return vec, LogisticRegression(max_iter=3000).fit(vec.fit_transform(train_x), train_y)


def rate(fn, texts: list[str]) -> float:
    started = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data")
    root = training.data_dir(parser.parse_args().data)
    tr = training.read_jsonl(root / "lawbench-consult-topic" / "train.jsonl")
    dv = training.read_jsonl(root / "lawbench-consult-topic" / "valid.jsonl")
    x, y, gold = [r["text"] for r in tr], [r["label"] for r in tr], [r["label"] for r in dv]
    texts = [r["text"] for r in dv]
    vec, lr = baseline(x, y)
    base_f1 = macro_f1(gold, list(lr.predict(vec.transform(texts))))
    with tempfile.TemporaryDirectory() as tmp:
        training.train_topic(root, log=lambda _: None, train_only=True, out=Path(tmp))
        model = TopicModel(root=Path(tmp))
    ours_f1 = macro_f1(gold, [c[0].label for c in model.predict(texts, k=1)])
    base_rate = rate(lambda t: lr.predict(vec.transform(t)), texts * 5)
    ours_rate = rate(lambda t: model.predict(t, k=1), texts * 5)
    print(f"topic dev macro_f1: ours={ours_f1:.4f} baseline={base_f1:.4f} ratio={ours_f1 / base_f1:.2f}")
    print(f"topic texts/s (1 core): ours={ours_rate:.0f} baseline={base_rate:.0f} ratio={ours_rate / base_rate:.2f}")

    from sklearn.model_selection import KFold

    rows = training.read_jsonl(root / "cail2019-cjrc-casename" / "dev.jsonl")
    ctx, names = [r["context"] for r in rows], np.array([r["casename"] for r in rows])
    hits = hits3 = 0
    for a, b in KFold(training.FOLDS, shuffle=True, random_state=training.SEED).split(ctx):
        v, m = baseline([ctx[i] for i in a], list(names[a]), CAUSE_BASELINE_FEATURES)
        proba = m.predict_proba(v.transform([ctx[i] for i in b]))
        top = m.classes_[np.argsort(-proba, axis=1)[:, :3]]
        hits += int((top[:, 0] == names[b]).sum())
        hits3 += int((top == names[b][:, None]).any(axis=1).sum())
    base_top1, base_top3 = hits / len(rows), hits3 / len(rows)
    ours = CauseModel()
    import json

    meta = json.loads((Path(training.ARTEFACTS) / "cause" / "meta.json").read_text(encoding="utf-8"))
    ours_top1 = meta["out_of_fold"]["top1"]
    v, m = baseline(ctx, list(names), CAUSE_BASELINE_FEATURES)
    base_c_rate = rate(lambda t: m.predict(v.transform(t)), ctx[:300])
    ours_c_rate = rate(lambda t: ours.scores(t), ctx[:300])
    print(
        f"cause 5-fold OOF top1: ours={ours_top1:.4f} top3={meta['out_of_fold']['top3']:.4f} (nested, from "
        f"triage_train) baseline={base_top1:.4f} top3={base_top3:.4f} ratio={ours_top1 / base_top1:.2f}"
    )
    print(
        f"cause texts/s (1 core): ours={ours_c_rate:.0f} baseline={base_c_rate:.0f} "
        f"ratio={ours_c_rate / base_c_rate:.2f}"
    )


if __name__ == "__main__":
    main()
