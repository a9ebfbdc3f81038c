"""The figure-section registry carries the voice app's figures to leaders only."""

from __future__ import annotations

import pytest

from suyuan.governance.figures import figure_sections


@pytest.mark.django_db
def test_leaders_get_the_voice_section_and_others_none(world):
    sections = {s.key: s for s in figure_sections(world.leader)}
    voice = sections["voice"]
    assert [t.title for t in voice.tables] == ["满意度评价（按环节）", "满意度评价（按承办单位）", "投诉（按状态）",
                                               "两代表一委员参与（联席会议）"]
    assert [row[0] for row in voice.tables[0].rows] == ["调解", "司法确认", "审判", "执行"]
    assert "voice" not in {s.key for s in figure_sections(world.clerk)}
    assert "voice" not in {s.key for s in figure_sections(world.party_user)}
