"""The glossary of legal terms is data, complete for what the pages explain, and found in text."""

from __future__ import annotations

from suyuan.portal import glossary

USED = ("调解", "司法确认", "诉讼时效", "上诉", "强制执行", "申请执行期间", "查询码")


def test_every_term_the_pages_explain_is_in_the_glossary():
    for term in USED:
        assert glossary.explain(term).text.endswith("。"), term


def test_terms_in_text_finds_each_term_once_and_prefers_the_longer_term():
    found = [t.term for t in glossary.terms_in("双方签署调解协议后可以申请司法确认。", "司法确认")]
    assert found == ["调解协议", "司法确认"]
    assert [t.term for t in glossary.terms_in("同意调解，并签署调解协议")] == ["调解", "调解协议"]


def test_explanations_address_the_party_in_plain_words():
    for term in glossary.terms().values():
        assert "当事人应当" not in term.text  # spoken to the party (您), not about them
