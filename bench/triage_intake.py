"""How the cause model reads platform-worded intake texts (a label-free check, not an accuracy).

    .venv/bin/python bench/triage_intake.py [--n 600]

The cause model learnt from judgments (原告/被告); disputes on the platform say 申请人/被申请人.
On texts from the demo generator (category mix, facts and claims as a grid worker types them) it
counts how often the top-1 / any top-3 cause is one the recorded category maps to
(``data/category_causes.json``), and how often the top cause is a 申请… special-procedure cause,
for three inputs: the text as typed, the same with the parties named as in judgments (what
``services.as_judgment_wording`` does), and that without the dispute's summary line. The map is
our own, so this shows consistency with it, not correctness.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from suyuan.common.choices import DisputeCategory  # noqa: E402
from suyuan.demo.disputes import sample_dispute  # noqa: E402
from suyuan.triage.causes import category_causes, to_2020  # noqa: E402
from suyuan.triage.ml.models import cause_model  # noqa: E402
from suyuan.triage.services import as_judgment_wording  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = []
    for _ in range(args.n):
        cat, _amount, facts, claims = sample_dispute(rng, date(2026, 10, 1))
        body = f"{facts} " + " ".join(t for t, _ in claims)
        rows.append((cat, f"张三与李四{DisputeCategory(cat).label}。{body}", body))
    mapping = category_causes()
    model = cause_model()
    variants = (("as typed", lambda r: r[1]), ("parties as in judgments", lambda r: as_judgment_wording(r[1])),
                ("parties as in judgments, no summary", lambda r: as_judgment_wording(r[2])))
    for name, text in variants:
        preds = model.predict([text(r) for r in rows], domains=["civil"] * len(rows), k=3)
        mapped = [(r[0], p) for r, p in zip(rows, preds, strict=True) if mapping.get(r[0])]
        top1 = sum(to_2020(p[0].label) in mapping[c] for c, p in mapped) / len(mapped)
        top3 = sum(any(to_2020(x.label) in mapping[c] for x in p) for c, p in mapped) / len(mapped)
        special = sum(p[0].label.startswith("申请") for _, p in mapped) / len(mapped)
        print(f"{name}: n={len(mapped)} top1 in the category's causes {top1:.3f}, top3 {top3:.3f}, "
              f"top1 a 申请… cause {special:.3f}")


if __name__ == "__main__":
    main()
