"""Learn from the clerks: their cause decisions become training data, kept only if dev improves.

``retrain_from_decisions`` (command ``triage_retrain_from_overrides``):
1. export every cause decision (overrides and confirmations; the decided cause is the label) in
   the order they were made; the newest ``DEV_SHARE`` are held apart as the dev set;
2. retrain the cause model on the CJRC file plus the older decisions (``training.train_cause``
   without the nested evaluation, into a temporary directory; the calibration block is carried
   over from the current artefact: run ``triage_train`` to refit it);
3. compare the current and the new model on the held-apart decisions (top-1 of the intake
   proposal = the clerk's decision) and on the consultation set (proposed cause within the
   person's category), print both figures and the decision;
4. keep (replace ``artefacts/cause``) only if the new model is at least as good on the held-apart
   decisions and no more than ``MAX_CONSULT_DROP`` worse on the consultations; otherwise discard.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import intake
from .causes import DATA, category_causes, to_2020
from .ml.models import ARTEFACTS, CauseModel, cause_model
from .models import TriageDecision

DEV_SHARE = 0.2
MIN_DEV = 5
MAX_CONSULT_DROP = 0.01


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    cause: str  # 2020 wording


def decision_examples() -> list[Example]:
    """Every cause decision with its dispute's intake text (as the proposal read it)."""
    from .services import intake_text

    rows = (TriageDecision.objects.filter(task="cause").select_related("dispute")
            .prefetch_related("dispute__claims").order_by("decided_at", "pk"))
    return [Example(intake_text(d.dispute), d.dispute.category, to_2020(d.decided)) for d in rows]


def consult_examples(root: Path) -> list[Example]:
    mapping = json.loads((DATA / "consult_topic_categories.json").read_text(encoding="utf-8"))["topics"]
    out: list[Example] = []
    path = root / "lawbench-consult-topic" / "valid.jsonl"
    if not path.exists():
        return out
    with path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            cat = mapping.get(r["label"])
            if cat and category_causes().get(cat):
                out.append(Example(r["text"], cat, ""))
    return out


def _figures(model: CauseModel, dev: list[Example], consult: list[Example]) -> dict[str, float]:
    def top1(rows: list[Example]) -> list[str]:
        if not rows:
            return []
        return [p.causes[0].label for p in intake.propose(model, [r.text for r in rows], [r.category for r in rows])]

    d, c = top1(dev), top1(consult)
    return {
        "decisions_top1": sum(a == r.cause for a, r in zip(d, dev, strict=True)) / len(dev) if dev else 0.0,
        "consult_in_category": sum(a in category_causes()[r.category] for a, r in zip(c, consult, strict=True))
        / len(consult) if consult else 0.0,
    }


def retrain_from_decisions(
    root: Path, *, apply: bool = True, artefacts: Path = ARTEFACTS / "cause", log: Callable[[str], None] = print
) -> dict[str, Any]:
    from .ml import training

    examples = decision_examples()
    n_dev = max(MIN_DEV, round(len(examples) * DEV_SHARE))
    if len(examples) < 2 * n_dev:
        log(f"分流决定仅 {len(examples)} 条（至少需要 {2 * n_dev} 条：训练与留出各半以上），不重新训练。")
        return {"kept": False, "n": len(examples), "reason": "too few decisions"}
    train, dev = examples[:-n_dev], examples[-n_dev:]
    consult = consult_examples(root)
    current = CauseModel(artefacts)
    before = _figures(current, dev, consult)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cause"
        extra = [{"id": f"decision-{i}", "domain": "civil", "casename": e.cause, "context": e.text}
                 for i, e in enumerate(train)]
        meta = training.train_cause(root, log=log, evaluate=False, out=out, extra=extra)
        carried = json.loads((artefacts / "meta.json").read_text(encoding="utf-8"))
        meta["calibration"] = carried.get("calibration", {})
        meta["calibration_note"] = "carried over from the previous artefact; refit with triage_train"
        (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        after = _figures(CauseModel(out), dev, consult)
        kept = (after["decisions_top1"] >= before["decisions_top1"]
                and after["consult_in_category"] >= before["consult_in_category"] - MAX_CONSULT_DROP)
        log(f"held-apart decisions (newest {len(dev)} of {len(examples)}): top-1 before {before['decisions_top1']:.3f} "
            f"after {after['decisions_top1']:.3f}")
        log(f"consultations (valid, n={len(consult)}): proposed cause within the category before "
            f"{before['consult_in_category']:.3f} after {after['consult_in_category']:.3f}")
        log(f"decision: {'KEEP' if kept else 'DISCARD'}" + ("" if apply or not kept else " (dry run: not written)"))
        if kept and apply:
            for f in out.iterdir():
                shutil.copy2(f, artefacts / f.name)
            cause_model.cache_clear()
    return {"kept": kept, "n": len(examples), "n_dev": len(dev), "before": before, "after": after}
