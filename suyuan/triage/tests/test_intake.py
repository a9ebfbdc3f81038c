"""Intake cause proposals: the person's category restricts the causes unless the text clearly says
otherwise (and then the proposal says why); the confidence decides "建议" or "请人工选择"."""

from __future__ import annotations

import numpy as np
import pytest

from suyuan.triage import intake
from suyuan.triage.causes import category_causes
from suyuan.triage.ml.calibration import ece
from suyuan.triage.ml.models import cause_model, recalibrate
from suyuan.triage.services import as_judgment_wording

LOAN = "被申请人以资金周转为由向申请人借款30000元，约定6个月内归还，到期后多次催要，至今未还。请求归还借款30000元。"
CRASH = ("申请人驾驶电动自行车与被申请人驾驶的小型轿车发生碰撞，经交警部门认定被申请人负事故主要责任，申请人受伤住院。"
         "请求赔偿医疗费、误工费。")


def propose(texts, categories, parties=None):
    return intake.propose(cause_model(), [as_judgment_wording(t) for t in texts], categories, parties)


def test_the_chosen_category_restricts_the_causes_and_the_reason_says_so():
    p = propose([LOAN], ["debt"])[0]
    assert p.restricted_to == "debt" and not p.category_overruled
    assert all(c.label in category_causes()["debt"] for c in p.causes)
    assert p.causes[0].label == "民间借贷纠纷"
    assert p.reasons[0].startswith("限于登记类别“借贷债务”对应的案由") and "借款" in p.reasons[0]
    assert any(r.startswith("关键词：") for r in p.causes[0].reasons)


def test_a_category_is_overruled_only_with_a_stated_reason():
    texts = [CRASH, LOAN, CRASH, "邻居家的狗咬伤了我，要求赔偿。", "楼上漏水，把我家的墙泡坏了。"]
    categories = ["debt", "debt", "traffic", "family", "neighbour"]
    out = propose(texts, categories)
    crash_as_debt = out[0]
    assert crash_as_debt.category_overruled and "交通事故" in crash_as_debt.category_overruled
    assert crash_as_debt.reasons[0] == crash_as_debt.category_overruled  # the reason names what decided
    assert crash_as_debt.causes[0].label == "机动车交通事故责任纠纷"
    assert crash_as_debt.decision == intake.MANUAL  # an overruled category is never a plain 建议
    assert "category_overruled" in crash_as_debt.snapshot()
    for p, cat in zip(out, categories, strict=True):  # outside the category ⇒ the reason is stated
        if p.causes[0].label not in category_causes()[cat]:
            assert p.category_overruled and p.category_overruled in p.reasons
    assert not out[1].category_overruled and not out[2].category_overruled


def test_one_stray_word_of_another_category_does_not_overrule():
    p = propose(["双方发生口角，对方撞了一下门，现要求离婚。"], ["family"])[0]
    assert not p.category_overruled and p.causes[0].label in category_causes()["family"]


def test_party_kinds_come_from_names_and_are_named_in_the_reasons():
    parties = [intake.PartyInfo("natural", "张三", "applicant"),
               intake.PartyInfo("legal", "石嘴山市某某物业服务有限公司", "respondent")]
    kinds = intake.party_kinds("拖欠费用", parties, "property_mgmt")
    assert "property_company" in kinds and "物业" in kinds["property_company"]
    labour = intake.party_kinds("拖欠工资", [intake.PartyInfo("legal", "某某餐饮有限公司", "respondent")], "labour")
    assert "employer" in labour
    assert intake.party_kinds("拖欠工资", [intake.PartyInfo("natural", "王五", "respondent")], "labour") == {}


@pytest.mark.parametrize(("threshold", "decision"), [(0.0, intake.SUGGEST), (1.01, intake.MANUAL)])
def test_the_threshold_is_data_and_decides(monkeypatch, threshold, decision):
    real = intake.settings()
    monkeypatch.setattr(intake, "settings", lambda: {**real, "suggest_threshold": threshold})
    p = propose([LOAN], ["debt"])[0]
    assert p.decision == decision and p.threshold == threshold
    assert len(p.causes) == 3  # a manual choice still offers the top three


def test_a_category_without_causes_ranks_all_civil_causes():
    p = propose(["双方因车辆停放发生争执，经亲友调和未果。"], ["other"])[0]
    assert p.restricted_to == "" and "未对应具体民事案由" in p.reasons[0]


def test_confidences_are_probabilities_and_calibration_is_measured():
    probs = np.array([[0.7, 0.2, 0.1], [0.4, 0.35, 0.25]])
    out = recalibrate(probs, {"a": 0.5, "b": -0.2})
    assert np.allclose(out.sum(axis=1), 1) and (out.argmax(axis=1) == probs.argmax(axis=1)).all()
    assert out[0, 0] < 0.7  # an over-confident top-1 is pulled down
    conf = np.array([0.9, 0.9, 0.1, 0.1])
    assert ece(conf, np.array([True, True, False, False])) == pytest.approx(0.1)
    assert ece(conf, np.array([False, False, True, True])) == pytest.approx(0.9)
    p = propose([LOAN], ["debt"])[0]
    assert 0 < p.confidence < 1 and sum(c.confidence for c in p.causes) <= 1 + 1e-9


def test_a_withheld_category_is_read_from_the_text_and_the_reason_names_it():
    p = propose([LOAN, CRASH], ["other", "administrative"])
    loan, crash = p
    assert loan.inferred_categories[0][0] == "debt"
    assert crash.inferred_categories[0][0] == "traffic"
    for q in p:
        assert len(q.inferred_categories) == 3 and q.restricted_to == ""
        probs = [x for _, x in q.inferred_categories]
        assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1 + 1e-9
        assert "按文本推断的类别" in q.reasons[0] and "未对应具体民事案由" in q.reasons[0]
        assert q.snapshot()["inferred_categories"][0][0] == q.inferred_categories[0][0]
        assert 0 < q.confidence <= 1 and sum(c.confidence for c in q.causes) <= 1 + 1e-9
    assert loan.causes[0].label == "民间借贷纠纷"
    assert crash.causes[0].label == "机动车交通事故责任纠纷"
    assert loan.decision == crash.decision == intake.MANUAL  # an inferred category is never a plain 建议


def test_an_inferred_category_stays_a_manual_choice_even_above_the_threshold(monkeypatch):
    real = intake.settings()
    monkeypatch.setattr(intake, "settings", lambda: {**real, "suggest_threshold": 0.0})
    inferred, chosen = propose([LOAN, LOAN], ["other", "debt"])
    assert inferred.decision == intake.MANUAL and "类别由文本推断，须人工确认" in inferred.reasons[-1]
    assert chosen.decision == intake.SUGGEST and "达到阈值" in chosen.reasons[-1]


def test_a_chosen_category_is_not_second_guessed_by_the_category_model():
    p = propose([LOAN], ["debt"])[0]
    assert p.inferred_categories == [] and p.restricted_to == "debt"
