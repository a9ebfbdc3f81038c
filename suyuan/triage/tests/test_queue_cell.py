"""The workbench's triage cell built in Python (issue 16, P5) is the HTML its template drew."""

from __future__ import annotations

import pytest
from django.template import engines

from suyuan.triage.models import TriageProposal
from suyuan.triage.views import queue_cell_html

# triage/_queue_cell.html as it was (included once per row of the workbench queue).
TEMPLATE = """{% with d=cell.p.detail %}{% if d.decision == "请人工选择" %}<span class="triage-cell"><strong class="triage-decision">请人工选择</strong>：{% for c in cell.causes %}{{ c.label }}（置信度 {{ c.confidence|floatformat:2 }}）{% if not forloop.last %}、{% endif %}{% endfor %} · {{ cell.p.get_track_display }} · {{ cell.p.get_path_display }}</span>
{% else %}<span class="triage-cell">{% if d.decision %}<strong class="triage-decision">建议</strong> {% endif %}{{ cell.p.cause }}（置信度 {{ cell.p.cause_confidence|floatformat:2 }}）· {{ cell.p.get_track_display }} · {{ cell.p.get_path_display }}</span>
{% endif %}{% endwith %}
{% if cell.reasons %}<details><summary>理由</summary><ul>{% for r in cell.reasons %}<li>{{ r }}</li>{% endfor %}</ul></details>{% endif %}
"""  # noqa: E501

ODD = "<i>借&贷</i> \"x\" 'y'"
DETAILS = [
    {},
    {"decision": "建议", "decision_reasons": ["文本与类别一致", ODD]},
    {"decision": "请人工选择", "causes": [{"label": "民间借贷纠纷", "confidence": 0.41, "reasons": ["借款", ODD]},
                                          {"label": ODD, "confidence": 0.333333}, {"label": "买卖合同纠纷"},
                                          {"label": "第四个", "confidence": 0.01}]},
    {"decision": "", "causes": [{"label": "离婚纠纷", "confidence": 0.9}]},
    {"decision": "请人工选择", "causes": []},
]


@pytest.mark.parametrize("detail", DETAILS)
@pytest.mark.parametrize(("cause", "confidence", "track", "path"), [
    ("民间借贷纠纷", 0.8765, "simple", "peoples_mediation"), (ODD, 1.0, "ordinary", "fast_track")])
def test_the_cell_is_what_the_template_drew(detail, cause, confidence, track, path):
    p = TriageProposal(dispute_id=1, cause=cause, cause_confidence=confidence, track=track, path=path,
                       detail=detail)
    cell = {"p": p, "causes": (p.detail.get("causes") or [])[:3],
            "reasons": [*p.detail.get("decision_reasons", []), *(p.detail.get("causes") or [{}])[0].get("reasons", [])]}
    assert queue_cell_html(p) == engines["django"].from_string(TEMPLATE).render({"cell": cell})


VALUES = [0.0, -0.0, -0.001, 0.005, 0.015, 0.125, 0.135, 0.8765, 0.999, 0.9951, 1.0, 1e-07, 2.675, 99.999,
          999.995, 1234.5678, float("nan"), float("inf"), 1, 0, "0.5", "", None]


@pytest.mark.parametrize("value", VALUES)
def test_two_places_is_floatformat_2(value):
    from django.template.defaultfilters import floatformat

    from suyuan.triage.views import _two_places

    assert _two_places(value) == floatformat(value, 2)
