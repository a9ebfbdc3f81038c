"""The category classifier's evidence columns (issue 14): leak-free columns, legacy artefacts still read."""

from __future__ import annotations

import json

import numpy as np

from suyuan.triage.ml import category


def test_cause_mass_is_the_cause_models_log_mass_per_category():
    cats = category.civil_categories()
    texts = ["被告向原告借款5万元，出具借条，到期未还。", "双方发生交通事故，交警认定被告负全责。"]
    mass = category.cause_mass(texts, cats)
    assert mass.shape == (2, len(cats)) and (mass <= 1e-9).all()
    # categories share some causes, so the masses may sum past 1, but none exceeds it
    assert np.exp(mass).max() <= 1 + 1e-9
    assert cats[int(mass[0].argmax())] in {"debt", "finance"}
    assert cats[int(mass[1].argmax())] == "traffic"


def test_the_shipped_artefact_names_its_columns_and_no_topic_lexicon():
    meta = json.loads((category.ARTEFACTS / "category" / "meta.json").read_text(encoding="utf-8"))
    assert tuple(meta["columns"]) == category.COLUMNS
    assert "topic_lexicon" not in meta["columns"]
    model = category.category_model()
    assert model.columns == category.COLUMNS
    assert model.coef.shape[1] == len(model.tfidf.idf) + len(category.COLUMNS) * len(model.labels)


def test_evidence_stacks_one_block_per_column():
    cats = category.civil_categories()
    texts = ["物业费拖欠两年，物业公司催缴。"]
    legacy = category.evidence(texts, cats)  # an artefact without "columns" in its meta
    assert legacy.shape == (1, 2 * len(cats))
    both = category.evidence(texts, cats, ("cause_keywords", "cause_model"))
    np.testing.assert_allclose(both[:, : len(cats)], legacy[:, : len(cats)])
