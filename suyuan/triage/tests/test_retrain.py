"""Learning from clerks: one command exports the cause decisions, retrains, compares on held-apart
decisions and consultations, prints both figures and keeps the new model only if it is not worse.
Runs on a tiny corpus made here and on a copy of the artefact (the shipped one is never touched)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from suyuan.accounts.context import Origin
from suyuan.disputes.services import record_dispute
from suyuan.testing.disputes import grid_input
from suyuan.triage.ml.models import ARTEFACTS
from suyuan.triage.models import TriageDecision

pytestmark = pytest.mark.django_db

FACTS = {
    "民间借贷纠纷": "经审理查明：被告向原告借款{n}万元，出具借条，约定月息1%，到期未还。",
    "离婚纠纷": "经审理查明：原告与被告婚后感情不和，分居{n}年，原告诉请离婚。",
    "物业服务合同纠纷": "经审理查明：被告系小区业主，拖欠原告物业服务费{n}千元。",
    "盗窃罪": "经审理查明：被告人潜入被害人家中，窃取现金{n}千元。",
}


def corpus(tmp_path):
    root = tmp_path / "data"
    (root / "cail2019-cjrc-casename").mkdir(parents=True)
    (root / "lawbench-consult-topic").mkdir()
    rows = [{"id": f"{c}{n}", "domain": "criminal" if c.endswith("罪") else "civil", "casename": c,
             "context": t.format(n=n)} for c, t in FACTS.items() for n in range(1, 7)]
    (root / "cail2019-cjrc-casename" / "dev.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    consult = [{"id": "1", "text": "朋友借我的钱不还怎么办", "label": "债权债务"},
               {"id": "2", "text": "老公要离婚，孩子归谁", "label": "婚姻家庭"}]
    (root / "lawbench-consult-topic" / "valid.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in consult), encoding="utf-8")
    return root


def digest(folder):
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


def decide(world, n):
    for i in range(n):
        data = grid_input(world.grid.code)
        dispute = record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=data).dispute
        agreed = i % 2 == 0
        TriageDecision.objects.create(
            dispute=dispute, court=dispute.court, task="cause", proposed="保证合同纠纷", proposed_confidence=0.3,
            decided="保证合同纠纷" if agreed else "民间借贷纠纷", agreed=agreed,
            reason="" if agreed else "借条写明是借款", decided_by=world.clerk)


def test_retrain_prints_both_figures_and_keeps_only_what_is_not_worse(world, tmp_path):
    decide(world, 12)
    artefacts = tmp_path / "cause"
    shutil.copytree(ARTEFACTS / "cause", artefacts)
    before = digest(artefacts)
    out = StringIO()
    call_command("triage_retrain_from_overrides", "--data", str(corpus(tmp_path)), "--artefacts", str(artefacts),
                 stdout=out)
    text = out.getvalue()
    dec = re.search(r"held-apart decisions \(newest 5 of 12\): top-1 before (\d\.\d+) after (\d\.\d+)", text)
    con = re.search(r"consultations \(valid, n=2\): proposed cause within the category before (\d\.\d+) "
                    r"after (\d\.\d+)", text)
    assert dec and con, text
    verdict = re.search(r"decision: (KEEP|DISCARD)", text).group(1)
    expected = float(dec[2]) >= float(dec[1]) and float(con[2]) >= float(con[1]) - 0.01
    assert verdict == ("KEEP" if expected else "DISCARD")
    assert (digest(artefacts) != before) == (verdict == "KEEP")
    assert (ARTEFACTS / "cause" / "meta.json").read_text(encoding="utf-8").count("clerks' cause decisions") == 0


def test_dry_run_writes_nothing_and_too_few_decisions_do_not_retrain(world, tmp_path):
    artefacts = tmp_path / "cause"
    shutil.copytree(ARTEFACTS / "cause", artefacts)
    before = digest(artefacts)
    out = StringIO()
    decide(world, 3)
    root = corpus(tmp_path)
    call_command("triage_retrain_from_overrides", "--data", str(root), "--artefacts", str(artefacts), stdout=out)
    assert "不重新训练" in out.getvalue() and digest(artefacts) == before
    decide(world, 9)
    out = StringIO()
    call_command("triage_retrain_from_overrides", "--data", str(root), "--artefacts", str(artefacts),
                 "--dry-run", stdout=out)
    assert "decision:" in out.getvalue() and digest(artefacts) == before
