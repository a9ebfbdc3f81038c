"""The shipped cause list against the counts the notice states, and the mappings onto it."""

import json

from suyuan.common.choices import DisputeCategory
from suyuan.triage import causes


def test_first_level_matches_the_stated_count():
    data = causes.cause_list()
    first = causes.causes_at_level(1)
    assert len(first) == data["stated_counts"]["1"] == 11
    assert [c["code"] for c in first] == [str(i) for i in range(1, 12)]
    assert first[3]["name"] == "合同、准合同纠纷"
    assert "法〔2020〕346号" in data["issued_by"] and data["source"]


def test_every_level_matches_its_stated_count_or_is_declared_partial():
    # A level is either complete (its count equals the one the notice states) or declared partial /
    # not transcribed with no count claimed; a level is checked as soon as its stated count is added.
    data = causes.cause_list()
    for level in (1, 2, 3, 4):
        stated = data["stated_counts"].get(str(level))
        declared = data["completeness"][str(level)]
        if stated is None:
            assert declared.startswith(("partial", "not transcribed")), level
        else:
            assert len(causes.causes_at_level(level)) == stated, level
            assert declared.startswith("complete"), level


def test_transcribed_levels_follow_the_notice_numbering():
    # What is transcribed is an unbroken run from the start of the notice: level-2 headings 一, 二, ...,
    # level-3 causes 1, 2, ..., each level-4 sub-item "<n>-<k>" under cause n, and every parent is a
    # code of the level above.
    data = causes.cause_list()
    codes = {level: [c["code"] for c in causes.causes_at_level(level)] for level in (1, 2, 3, 4)}
    assert codes[2] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][: len(codes[2])]
    assert codes[3] == [str(i) for i in range(1, len(codes[3]) + 1)]
    for level in (2, 3, 4):
        above = set(codes[level - 1])
        assert all(c["parent"] in above for c in causes.causes_at_level(level)), level
    for c in causes.causes_at_level(4):
        number, sub = c["code"].split("-")
        assert c["parent"] == number and int(sub) >= 1
    subs = {c["parent"]: [] for c in causes.causes_at_level(4)}
    for c in causes.causes_at_level(4):
        subs[c["parent"]].append(c["code"])
    assert all(v == [f"{k}-{i}" for i in range(1, len(v) + 1)] for k, v in subs.items())
    # Entries not transcribed claim nothing: no code, level or parent.
    rest = [c for c in data["causes"] if c["level"] is None]
    assert all(c["code"] is None and c["parent"] is None for c in rest)
    # A cause name appears once (a part and its first heading may share one: 人格权纠纷).
    names = [c["name"] for c in data["causes"] if c["level"] in (3, 4, None)]
    assert len(names) == len(set(names))


def test_transcribed_entries_as_on_the_stored_page():
    by_code = {(c["level"], c["code"]): c for c in causes.cause_list()["causes"] if c["level"]}
    assert by_code[(2, "一")]["name"] == "人格权纠纷" and by_code[(2, "一")]["parent"] == "1"
    assert by_code[(3, "1")]["name"] == "生命权、身体权、健康权纠纷"
    assert by_code[(3, "8")]["name"] == "隐私权、个人信息保护纠纷"
    assert [by_code[(4, f"8-{i}")]["name"] for i in (1, 2)] == ["隐私权纠纷", "个人信息保护纠纷"]
    assert by_code[(4, "11-1")]["name"] == "平等就业权纠纷"
    assert by_code[(3, "12")]["name"] == "婚约财产纠纷" and by_code[(3, "12")]["parent"] == "二"


def test_every_category_is_mapped_onto_names_in_the_list():
    names = {c["name"] for c in causes.cause_list()["causes"]}
    mapping = causes.category_causes()
    assert set(mapping) == set(DisputeCategory.values)
    for cat, listed in mapping.items():
        assert set(listed) <= names, cat
    assert causes.category_for_cause("民间借贷纠纷") == ["debt"]


def test_2011_names_map_to_2020():
    assert causes.to_2020("合伙协议纠纷") == "合伙合同纠纷"
    assert causes.to_2020("合同、无因管理、不当得利纠纷") == "合同、准合同纠纷"
    assert causes.to_2020("民间借贷纠纷") == "民间借贷纠纷"  # unchanged names pass through
    # Not a rename: 2020 keeps 隐私权纠纷 as sub-item 8-1, and the category map knows it.
    assert causes.to_2020("隐私权纠纷") == "隐私权纠纷"
    assert causes.category_for_cause("隐私权纠纷") == ["tort"]


def test_the_list_is_chosen_by_filing_date():
    from datetime import date

    assert causes.edition_for(date(2025, 12, 31))["key"] == "2020"
    assert causes.edition_for(date(2026, 1, 1))["key"] == "2025"
    assert causes.edition_for(date(2021, 1, 1))["key"] == "2020"
    assert "法〔2020〕346号" in causes.edition_note(date(2025, 6, 1))
    note = causes.edition_note(date(2026, 3, 1))
    assert "法〔2025〕227号" in note and "未存该版本的权威文本" in note and "上一级案由" in note
    # 2011 names reach both: renamed to 2020, then (no rename known) unchanged and flagged unverified.
    assert causes.in_edition("合伙协议纠纷", date(2025, 6, 1)) == ("合伙合同纠纷", True)
    assert causes.in_edition("合伙协议纠纷", date(2026, 6, 1)) == ("合伙合同纠纷", False)


def test_the_2025_list_claims_nothing_it_cannot_source():
    data = causes.edition_list("2025")
    assert "法〔2025〕227号" in data["issued_by"] and "2026年1月1日起施行" in data["issued_by"]
    for level in ("1", "2", "3", "4"):
        entries = [c for c in data["causes"] if str(c.get("level")) == level]
        stated = data["stated_counts"].get(level)
        assert (stated is not None and len(entries) == stated) or data["completeness"][level].startswith("missing")
    assert data["causes"] == []  # no authoritative copy stored: no entry invented
    mapping = json.loads((causes.DATA / "cause_map_2020_2025.json").read_text(encoding="utf-8"))
    assert mapping["verified"] is False and mapping["renamed"] == {}
    assert causes.higher_levels()[:2] == ["人格权纠纷", "婚姻家庭、继承纠纷"]
