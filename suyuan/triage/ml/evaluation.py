"""Scoring a JSON Lines file with the committed artefacts (the stable ``triage_eval`` interface)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .models import CauseModel, TopicModel
from .training import read_jsonl


def macro_f1(gold: list[str], pred: list[str]) -> float:
    labels = sorted(set(gold) | set(pred))
    tp = Counter(g for g, p in zip(gold, pred, strict=True) if g == p)
    n_pred, n_gold = Counter(pred), Counter(gold)
    f1s = []
    for label in labels:
        p = tp[label] / n_pred[label] if n_pred[label] else 0.0
        r = tp[label] / n_gold[label] if n_gold[label] else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def evaluate_topic(path: Path, batch: int = 256) -> dict[str, float]:
    rows = read_jsonl(path)
    model = TopicModel()
    pred: list[str] = []
    for start in range(0, len(rows), batch):
        chunk = [r["text"] for r in rows[start : start + batch]]
        pred += [cands[0].label for cands in model.predict(chunk, k=1)]
    gold = [r["label"] for r in rows]
    n = len(rows)
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / n if n else 0.0
    return {"n": n, "accuracy": accuracy, "macro_f1": macro_f1(gold, pred)}


def evaluate_cause(path: Path, batch: int = 256) -> dict[str, float]:
    rows = read_jsonl(path)
    model = CauseModel()
    top1 = top3 = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        scores, _ = model.scores([r["context"] for r in chunk], [r.get("domain") for r in chunk])
        for r, row in zip(chunk, scores, strict=True):
            ranked = [model.labels[j] for j in row.argsort()[::-1][:3]]
            top1 += ranked[0] == r["casename"]
            top3 += r["casename"] in ranked
    n = len(rows)
    return {"n": n, "top1": top1 / n if n else 0.0, "top3": top3 / n if n else 0.0}
