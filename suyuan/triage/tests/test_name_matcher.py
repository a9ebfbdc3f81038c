"""The vectorised name-matching features equal a plain loop over the names, piece by piece."""

import math
from collections import Counter

import numpy as np

from suyuan.triage.ml.text import NAME_FEATURES, NameMatcher, _bigrams, _parts, words

LABELS = [
    "民间借贷纠纷",
    "劳动合同纠纷",
    "机动车交通事故责任纠纷",
    "交通肇事罪、伪证罪",
    "偷越国（边）境罪",
    "盗窃罪",
    "诈骗罪",
    "罪",
]
TEXTS = [
    "",
    "甲",
    "经审理查明：被告向原告借款5万元，出具借条，约定月息1%，到期未还，原告诉至法院，系民间借贷纠纷。",
    "被告人驾驶机动车发生交通事故，交通肇事罪成立；其在庭审中作伪证。",
    "被告人偷越国境后实施盗窃，盗窃财物价值三千元，另以虚构事实方式诈骗。盗窃盗窃",
    "双方签订劳动合同，公司拖欠工资，劳动合同纠纷",
]


def reference(labels: list[str], text: str) -> np.ndarray:
    parts = [_parts(label) for label in labels]
    grams = [set().union(*(_bigrams(p) for p in ps)) if ps else set() for ps in parts]
    names_words = [{w for p in ps for w in words(p) if len(w) >= 2} for ps in parts]
    n = len(labels)
    df = Counter(g for gs in grams for g in gs)
    idf = {g: math.log(n / df[g]) + 1 for g in df}
    dw = Counter(w for ws in names_words for w in ws)
    widf = {w: math.log(n / dw[w]) + 1 for w in dw}
    present = Counter(text[i : i + 2] for i in range(len(text) - 1))
    out = np.zeros((n, len(NAME_FEATURES)), dtype=np.float32)
    for j, label in enumerate(labels):
        if grams[j]:
            found = sum(idf[g] for g in grams[j] if g in present)
            out[j, 0] = found / sum(idf[g] for g in grams[j])
            out[j, 1] = found / 10
            out[j, 2] = math.log1p(min(present[g] for g in grams[j]))
        out[j, 3] = label in text
        core = "".join(parts[j])
        out[j, 4] = bool(core) and core in text
        if parts[j]:
            out[j, 5] = sum(p in text for p in parts[j]) / len(parts[j])
        if names_words[j]:
            ws = names_words[j]
            out[j, 6] = sum(widf[w] for w in ws if w in text) / sum(widf[w] for w in ws)
    return out


def test_vectorised_features_equal_the_loop():
    matcher = NameMatcher(LABELS)
    for text in TEXTS:
        np.testing.assert_allclose(matcher.features(text), reference(LABELS, text), rtol=1e-6, atol=1e-7)


def test_verbatim_name_and_explanation():
    matcher = NameMatcher(LABELS)
    f = matcher.features(TEXTS[3])
    j = LABELS.index("交通肇事罪、伪证罪")
    assert f[j, NAME_FEATURES.index("parts_share")] == 1.0
    assert f[j, NAME_FEATURES.index("name_verbatim")] == 0.0
    assert matcher.matched(TEXTS[3], "交通肇事罪、伪证罪") == ["交通肇事罪", "伪证"]
    theft = matcher.features(TEXTS[4])[LABELS.index("盗窃罪")]
    assert theft[NAME_FEATURES.index("core_verbatim")] == 1.0
    assert theft[NAME_FEATURES.index("name_repeats")] == np.float32(math.log1p(4))
