"""The shipped cause list against the counts the notice states, and the mappings onto it."""

from suyuan.common.choices import DisputeCategory
from suyuan.triage import causes


def test_first_level_matches_the_stated_count():
    data = causes.cause_list()
    first = causes.causes_at_level(1)
    assert len(first) == data["stated_counts"]["1"] == 11
    assert [c["code"] for c in first] == [str(i) for i in range(1, 12)]
    assert first[3]["name"] == "合同、准合同纠纷"
    assert "法〔2020〕346号" in data["issued_by"] and data["source"]


def test_every_level_matches_its_stated_count_or_is_declared_missing():
    # A level is either complete (its count equals the one the notice states) or declared not
    # transcribed with no count claimed: levels 2-4 are checked as soon as their counts are added.
    data = causes.cause_list()
    for level in (1, 2, 3, 4):
        stated = data["stated_counts"].get(str(level))
        if stated is None:
            assert "not transcribed" in data["completeness"][str(level)], level
        else:
            assert len(causes.causes_at_level(level)) == stated, level
            assert "complete" in data["completeness"][str(level)], level


def test_levels_not_transcribed_are_declared_not_faked():
    data = causes.cause_list()
    for level in ("2", "3", "4"):
        assert "not transcribed" in data["completeness"][level]
    assert not causes.causes_at_level(2)
    # No lower-level entry claims a sequence number we did not verify.
    assert all(c["code"] is None for c in data["causes"] if c["level"] != 1)


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
