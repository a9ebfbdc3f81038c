"""The figure-section registry carries the voice app's figures to leaders only."""

from __future__ import annotations

import pytest

from suyuan.common.choices import DisputeCategory
from suyuan.disputes.choices import Channel
from suyuan.disputes.selectors import visible_disputes
from suyuan.governance.figures import figure_sections
from suyuan.network.choices import RegionLevel
from suyuan.network.models import Region


@pytest.mark.django_db
def test_leaders_get_the_voice_section_and_others_none(world):
    sections = {s.key: s for s in figure_sections(world.leader)}
    voice = sections["voice"]
    assert [t.title for t in voice.tables] == ["满意度评价（按环节）", "满意度评价（按承办单位）", "投诉（按状态）",
                                               "两代表一委员参与（联席会议）"]
    assert [row[0] for row in voice.tables[0].rows] == ["调解", "司法确认", "审判", "执行"]
    assert "voice" not in {s.key for s in figure_sections(world.clerk)}
    assert "voice" not in {s.key for s in figure_sections(world.party_user)}


@pytest.mark.django_db
def test_the_voice_section_follows_the_dashboards_period_county_category_and_channel(world):
    from datetime import date

    from django.utils import timezone

    from suyuan.governance.selectors import Filters
    from suyuan.voice.tests.helpers import failed_mediation

    dispute = failed_mediation(world).dispute  # one survey per party for the closed mediation
    assert dispute in visible_disputes(world.leader)

    def mediation_surveys_sent(filters: Filters | None) -> int:
        voice = {s.key: s for s in figure_sections(world.leader, filters)}["voice"]
        return next(row[1] for row in voice.tables[0].rows if row[0] == "调解")

    sent = mediation_surveys_sent(None)
    assert sent >= 2
    this_month = timezone.localdate().replace(day=1)
    now = Filters(start=this_month, end=this_month)
    assert mediation_surveys_sent(now) == sent
    assert mediation_surveys_sent(Filters(start=date(2020, 1, 1), end=date(2020, 12, 1))) == 0
    assert mediation_surveys_sent(Filters(start=this_month, end=this_month, category=dispute.category)) == sent
    other = next(c for c in DisputeCategory.values if c != dispute.category)
    assert mediation_surveys_sent(Filters(start=this_month, end=this_month, category=other)) == 0
    other_channel = next(c for c in Channel.values if c != dispute.channel)
    assert mediation_surveys_sent(Filters(start=this_month, end=this_month, channel=other_channel)) == 0
    county = dispute.region.ancestor_at(RegionLevel.COUNTY)
    assert mediation_surveys_sent(Filters(start=this_month, end=this_month, county=county.code)) == sent
    elsewhere = Region.objects.filter(level=RegionLevel.COUNTY).exclude(pk=county.pk).first()
    assert mediation_surveys_sent(Filters(start=this_month, end=this_month, county=elsewhere.code)) == 0
