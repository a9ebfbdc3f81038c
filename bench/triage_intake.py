"""Cause proposals on intake-style texts: before (model + category lift) and after (``triage.intake``).

    .venv/bin/python bench/triage_intake.py [--n 600] [--data ../shared/data]

Two labelled sets of intake-style texts, each text with the category its author would choose:
- **demo**: ``--n`` disputes from the demo generator (summary line + facts + claims, as the
  platform stores them), labelled with the generator's category (seed 7). The keyword table was
  written by someone who had read the generator's templates, and the intake weights are fitted
  partly on another sample of the same generator (seed 11, ``--write-calibration-set``), so these
  figures are optimistic.
- **consult**: the LawBench consultations (``lawbench-consult-topic`` train and valid), topic mapped to
  a category by ``data/consult_topic_categories.json``; topics with no civil category are left
  out. Nobody tuned anything on these texts: the honest set.

Printed per set, before and after: share whose proposed (top-1) cause is one of the person's
category's causes, with the category given; with the category withheld (recorded as 其他纠纷, and
the demo's summary line, which names the category, dropped): share whose three inferred
categories (``ml.category``, trained on the consultation train split + other demo intakes) contain
the right one, and share whose top three causes contain a cause of the right category; the share
labelled 建议. The category model saw the consultation train split: only "valid only" is honest
for the withheld figures. Then the
calibration errors (cross-fitted on the cause data, from ``artefacts/cause/meta.json``) and, on
the demo set, top-1 and ECE against the cause each generator template describes (our labels).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

import numpy as np  # noqa: E402

from suyuan.common.choices import DisputeCategory  # noqa: E402
from suyuan.demo.disputes import sample_dispute  # noqa: E402
from suyuan.triage import intake  # noqa: E402
from suyuan.triage.causes import DATA, category_causes, to_2020  # noqa: E402
from suyuan.triage.ml.calibration import ece  # noqa: E402
from suyuan.triage.ml.models import ARTEFACTS, cause_model  # noqa: E402
from suyuan.triage.ml.training import data_dir  # noqa: E402
from suyuan.triage.services import as_judgment_wording  # noqa: E402

# The cause each demo template describes (our reading of suyuan/demo/disputes.py; several accepted
# where the template allows them). Land and "other" templates are left out: no single civil cause.
TEMPLATE_CAUSES = {
    "debt": {"民间借贷纠纷"}, "labour": {"追索劳动报酬纠纷"}, "traffic": {"机动车交通事故责任纠纷"},
    "property_mgmt": {"物业服务合同纠纷"}, "contract": {"买卖合同纠纷"}, "consumer": {"买卖合同纠纷", "产品责任纠纷"},
    "finance": {"金融借款合同纠纷", "借款合同纠纷"}, "medical": {"医疗损害责任纠纷"},
    "real_estate": {"商品房预售合同纠纷", "商品房销售合同纠纷", "房屋买卖合同纠纷"},
}


# The primary cause of a template that allows several, first match wins (for the calibration set).
PRIMARY = ["相邻关系纠纷", "民间借贷纠纷", "追索劳动报酬纠纷", "机动车交通事故责任纠纷", "物业服务合同纠纷",
           "买卖合同纠纷", "金融借款合同纠纷", "医疗损害责任纠纷", "商品房预售合同纠纷", "赡养费纠纷", "离婚纠纷",
           "饲养动物损害责任纠纷", "财产损害赔偿纠纷", "生命权、身体权、健康权纠纷"]


def _template_causes(category: str, facts: str) -> set[str]:
    if category == "family":
        return {"赡养纠纷", "赡养费纠纷"} if "赡养" in facts else {"离婚纠纷"}
    if category == "tort":
        if "犬" in facts:
            return {"饲养动物损害责任纠纷"}
        if "损坏" in facts:
            return {"财产损害赔偿纠纷"}
        return {"生命权、身体权、健康权纠纷"}
    if category == "neighbour":
        if "宅基地" in facts:
            return {"相邻关系纠纷", "宅基地使用权纠纷"}
        return {"相邻关系纠纷", "排除妨害纠纷", "相邻通行纠纷", "财产损害赔偿纠纷"}
    return TEMPLATE_CAUSES.get(category, set())


def demo_set(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        cat, _amount, facts, claims = sample_dispute(rng, date(2026, 10, 1))
        text = f"张三与李四{DisputeCategory(cat).label}。{facts} " + " ".join(t for t, _ in claims)
        if category_causes().get(cat):  # 其他纠纷 maps to no cause: nothing to restrict to
            rows.append({"text": as_judgment_wording(text), "category": cat, "causes": _template_causes(cat, facts),
                         # with the category withheld the summary line, which names it, goes too
                         "withheld": as_judgment_wording(f"{facts} " + " ".join(t for t, _ in claims))})
    return rows


def consult_set(root: Path) -> list[dict]:
    mapping = json.loads((DATA / "consult_topic_categories.json").read_text(encoding="utf-8"))["topics"]
    rows = []
    for split in ("train", "valid"):
        with (root / "lawbench-consult-topic" / f"{split}.jsonl").open(encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if mapping.get(r["label"]) and category_causes().get(mapping[r["label"]]):
                    rows.append({"text": r["text"], "category": mapping[r["label"]], "causes": set(), "split": split,
                                 "withheld": r["text"]})
    return rows


def before(texts: list[str], categories: list[str]) -> list[list[str]]:
    """What main proposed: the model's civil top five, the category's causes lifted to the top."""
    out = []
    for cat, cands in zip(categories, cause_model().predict(texts, domains=["civil"] * len(texts), k=5), strict=True):
        mapped = set(category_causes().get(cat, []))
        names = [to_2020(c.label) for c in cands]
        out.append(sorted(names, key=lambda n: n not in mapped)[:3])
    return out


def report(name: str, rows: list[dict]) -> None:
    texts, cats = [r["text"] for r in rows], [r["category"] for r in rows]
    cc = category_causes()
    withheld = [r["withheld"] for r in rows]
    old, old_free = before(texts, cats), before(withheld, ["other"] * len(rows))
    new = intake.propose(cause_model(), texts, cats)
    free = intake.propose(cause_model(), withheld, ["other"] * len(rows))
    n = len(rows)
    in_cat_old = sum(p[0] in cc[c] for p, c in zip(old, cats, strict=True)) / n
    in_cat_new = sum(p.causes[0].label in cc[c] for p, c in zip(new, cats, strict=True)) / n
    top3_old = sum(any(x in cc[c] for x in p) for p, c in zip(old_free, cats, strict=True)) / n
    top3_new = sum(any(x.label in cc[c] for x in p.causes) for p, c in zip(free, cats, strict=True)) / n
    suggested = sum(p.decision == intake.SUGGEST for p in new) / n
    overruled = sum(bool(p.category_overruled) for p in new) / n
    print(f"[{name}] n={n}")
    print(f"  proposed cause within the person's category: before {in_cat_old:.3f}  after {in_cat_new:.3f}"
          f"  (target >= 0.95; category overruled by the text: {overruled:.3f})")
    cat_top3 = sum(c in [x for x, _ in p.inferred_categories] for p, c in zip(free, cats, strict=True)) / n
    cat_top1 = sum(bool(p.inferred_categories) and p.inferred_categories[0][0] == c
                   for p, c in zip(free, cats, strict=True)) / n
    print(f"  category withheld (recorded as 其他纠纷, summary line dropped): the right category among the three "
          f"inferred categories {cat_top3:.3f} (target >= 0.85; top-1 {cat_top1:.3f}); a cause of the right "
          f"category in the top three causes: before {top3_old:.3f}  after {top3_new:.3f}")
    print(f"  labelled 建议: {suggested:.3f}; 请人工选择: {1 - suggested:.3f}")
    labelled = [(r, p) for r, p in zip(rows, new, strict=True) if r["causes"]]
    if labelled:
        conf = np.array([p.confidence for _, p in labelled])
        right = np.array([p.causes[0].label in r["causes"] for r, p in labelled])
        right_old = np.mean([o[0] in r["causes"] for r, o in zip(rows, old, strict=True) if r["causes"]])
        sugg = conf >= labelled[0][1].threshold
        print(f"  mean confidence {conf.mean():.3f}")
        precision = right[sugg].mean() if sugg.any() else float("nan")
        print(f"  template cause (our labels, n={len(labelled)}): top-1 before {right_old:.3f} "
              f"after {right.mean():.3f}; ECE {ece(conf, right):.3f}; precision of 建议 {precision:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", help="corpus directory (default: SUYUAN_DATA_DIR or ../shared/data)")
    parser.add_argument("--write-calibration-set", metavar="FILE",
                        help="write --n demo intakes with their template cause as JSON Lines (the intake "
                             "calibration set triage_train reads: data/intake_calibration.jsonl, seed 11) and stop")
    parser.add_argument("--write-category-set", metavar="FILE",
                        help="write --n demo intakes (facts and claims, no summary line) with their category as "
                             "JSON Lines (what the category model trains on: data/category_demo_intakes.jsonl, "
                             "--n 400 --seed 3) and stop")
    args = parser.parse_args()
    if args.write_category_set:
        with open(args.write_category_set, "w", encoding="utf-8") as f:
            for r in demo_set(args.n, args.seed):
                f.write(json.dumps({"text": r["withheld"], "category": r["category"]}, ensure_ascii=False) + "\n")
        return
    if args.write_calibration_set:
        with open(args.write_calibration_set, "w", encoding="utf-8") as f:
            for r in demo_set(args.n, args.seed):
                if r["causes"]:
                    cause = min(r["causes"], key=lambda c: (PRIMARY.index(c) if c in PRIMARY else len(PRIMARY), c))
                    f.write(json.dumps({"text": r["text"], "category": r["category"], "cause": cause},
                                       ensure_ascii=False) + "\n")
        return
    report("demo", demo_set(args.n, args.seed))
    consult = consult_set(data_dir(args.data))
    report("consult (train + valid; the category model saw train: in-sample there)", consult)
    report("consult valid only", [r for r in consult if r["split"] == "valid"])
    cal = json.loads((ARTEFACTS / "cause" / "meta.json").read_text(encoding="utf-8"))["calibration"]
    m, i = cal["model"], cal["intake"]
    print(f"calibration (cross-fitted over the cause data's outer folds): cause model top-1 ECE {m['ece']:.4f} "
          f"(n={m['n']}; temperature alone {m['ece_temperature']:.4f}; target <= 0.05); intake proposal given "
          f"the category ECE {i['ece']:.4f} ({i.get('method', 'Platt')}; "
          f"Platt step {i.get('ece_platt', float('nan')):.4f}; "
          f"n={i['n']}, {i.get('texts', 'judgment facts')})")


if __name__ == "__main__":
    main()
