"""Every indicator against the hand-computed scenario (scenario.py), including empty periods and
events on month boundaries in Beijing time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suyuan.accounts.choices import Role
from suyuan.common.errors import InvalidInput, NotPermitted
from suyuan.governance import facts, naive, selectors
from suyuan.governance.selectors import Filters, Ratio
from suyuan.network.choices import OrganisationKind
from suyuan.network.models import Organisation, Region
from suyuan.testing.factories import make_user

from .scenario import build

PERIOD = Filters(start=date(2026, 1, 1), end=date(2026, 2, 1))
DWK, HN = "640202000000", "640205000000"


@pytest.fixture
def scenario(world):  # type: ignore[no-untyped-def]
    return build(world)


def test_headline_figures(world, scenario) -> None:
    d = selectors.dashboard(world.leader, PERIOD)
    assert d.totals.disputes == 3  # D1, D2 (31 Jan 23:30), D3; not D4 (2025) nor D5 (1 March 00:10)
    assert d.totals.registrations == 2  # D2 (1 Feb 00:30 Beijing), D3
    assert d.totals.population == 298292 + 178891 + 274206
    assert d.totals.rate == Decimal("0.03")  # 2 × 10000 / 751389 = 0.0266
    assert d.mediation == Ratio(1, 2)
    assert d.mediation.display == "50.0%"
    # D2 settled in court-referred mediation, D3 returned to trial; D3's trial settlement does not count.
    assert d.court_mediation == Ratio(1, 2)
    assert d.confirmation == Ratio(1, 2)
    assert d.voluntary_performance == Ratio(1, 2)  # D1 performed; D4 went to enforcement
    assert d.enforcement == 1


def test_litigation_rate_by_county_and_township(world, scenario) -> None:
    d = selectors.dashboard(world.leader, PERIOD)
    counties = {c.code: c for c in d.counties}
    assert counties[DWK].registrations == 1 and counties[DWK].rate == Decimal("0.03")  # 10000 / 298292 = 0.0335
    assert counties[HN].registrations == 1 and counties[HN].rate == Decimal("0.06")  # 10000 / 178891 = 0.0559
    assert counties["640221000000"].registrations == 0 and counties["640221000000"].rate == Decimal("0.00")
    assert "第七次全国人口普查" in counties[DWK].population_source
    townships = {t.code: t for t in d.townships}
    changsheng = townships["640202001000"]
    assert (changsheng.disputes, changsheng.registrations) == (2, 1)
    assert changsheng.population is None and changsheng.rate is None  # no invented township population
    assert changsheng.top_category == "借贷债务"  # debt 1, family 1: tie broken by code order
    assert changsheng.heat == 4 and townships["640205001000"].heat == 2
    assert [t.code for t in d.hotspots] == ["640202001000", "640205001000"]


def test_channels_and_categories(world, scenario) -> None:
    d = selectors.dashboard(world.leader, PERIOD)
    channels = dict(d.channels)
    assert channels["网格员代为登记"] == 1 and channels["法院窗口"] == 1 and channels["当事人自助"] == 1
    assert channels["信访部门"] == 0
    assert dict(d.categories)["借贷债务"] == 2


def test_stage_durations(world, scenario) -> None:
    stages = {s.stage: s for s in selectors.dashboard(world.leader, PERIOD).stages}
    # recorded: 1 day (D1), 1 hour (D2, across the month boundary), 1 day (D3):
    # mean 176400 s / 3 = 0.68 day; p90 over whole days [0, 1, 1]: the 3rd (⌈2.7⌉) = 1 day.
    assert (stages["recorded"].n, stages["recorded"].avg_days, stages["recorded"].p90_days) == (3, Decimal("0.7"), 1)
    # in_mediation: 14 days (D1), 10 days (D3): mean 12.0, p90 the 2nd (⌈1.8⌉) of [10, 14] = 14.
    assert (stages["in_mediation"].n, stages["in_mediation"].avg_days, stages["in_mediation"].p90_days) == (
        2, Decimal("12.0"), 14)
    assert stages["performing"].avg_days == Decimal("20.0")  # D1; D2 is still performing (open stay)
    assert stages["in_litigation"].avg_days == Decimal("14.0")
    assert stages["in_enforcement"].n == 0 and stages["in_enforcement"].avg_days is None


def test_durations_count_in_the_month_the_stay_ends(world, scenario) -> None:
    january = selectors.dashboard(world.leader, Filters(date(2026, 1, 1), date(2026, 1, 1)))
    recorded = next(s for s in january.stages if s.stage == "recorded")
    assert recorded.n == 1  # only D1; D2's stay began in January and ended in February
    february = selectors.dashboard(world.leader, Filters(date(2026, 2, 1), date(2026, 2, 1)))
    recorded = next(s for s in february.stages if s.stage == "recorded")
    assert (recorded.n, recorded.avg_days) == (2, Decimal("0.5"))  # (3600 + 86400) / 2 = 0.52 day


def test_trend_and_year_on_year(world, scenario) -> None:
    trend = selectors.dashboard(world.leader, PERIOD).trend
    jan, feb = trend
    assert (jan.disputes, jan.registrations, jan.disputes_last_year, jan.yoy) == (2, 0, 0, None)
    assert (feb.disputes, feb.registrations, feb.disputes_last_year, feb.yoy) == (1, 2, 1, Decimal("0.0"))


def test_mediator_and_organisation_performance(world, scenario) -> None:
    d = selectors.dashboard(world.leader, PERIOD)
    [org] = d.organisations
    assert (org.name, org.settled, org.failed, org.performed, org.broken) == ("长胜街道人民调解委员会", 1, 1, 1, 0)
    assert org.success.display == "50.0%" and org.holding.display == "100.0%"
    [mediator] = d.mediators
    assert mediator.name == "李调解"


def test_grid_worker_activity(world, scenario) -> None:
    rows = {g.name: (g.recorded, g.follow_ups) for g in selectors.dashboard(world.leader, PERIOD).grid_workers}
    assert rows == {"王网格": (1, 0), "赵网格": (0, 1)}


def test_empty_period(world, scenario) -> None:
    d = selectors.dashboard(world.leader, Filters(date(2024, 1, 1), date(2024, 2, 1)))
    assert d.totals.disputes == 0 and d.totals.registrations == 0 and d.totals.rate == Decimal("0.00")
    for ratio in (d.mediation, d.court_mediation, d.confirmation, d.voluntary_performance):
        assert ratio.percent is None and ratio.display == "—"
    assert all(s.n == 0 and s.avg_days is None for s in d.stages)
    assert d.townships == [] and d.mediators == [] and d.grid_workers == []


def test_filters_by_county_category_channel(world, scenario) -> None:
    d = selectors.dashboard(world.leader, Filters(PERIOD.start, PERIOD.end, county=HN))
    assert (d.totals.disputes, d.totals.registrations, [c.code for c in d.counties]) == (1, 1, [HN])
    assert d.mediation == Ratio(0, 1)
    d = selectors.dashboard(world.leader, Filters(PERIOD.start, PERIOD.end, category="debt"))
    assert d.totals.disputes == 2 and d.totals.registrations == 1
    d = selectors.dashboard(world.leader, Filters(PERIOD.start, PERIOD.end, channel="court_window"))
    assert d.totals.disputes == 1 and d.court_mediation == Ratio(1, 1)
    assert [o.settled for o in d.organisations] == []  # the mediated disputes came by other channels


def test_scope_court_leader_and_centre_leader(world, scenario) -> None:
    court_leader = make_user(Role.LEADER, organisation=world.dawukou_court)
    d = selectors.dashboard(court_leader, PERIOD)
    assert d.totals.disputes == 2 and [c.code for c in d.counties] == [DWK]
    assert d.mediation == Ratio(1, 1) and d.enforcement == 0
    hn_centre = Organisation.objects.create(name="惠农区测试综治中心", kind=OrganisationKind.GOVERNANCE_CENTRE,
                                            region=Region.objects.get(code=HN))
    centre_leader = make_user(Role.LEADER, organisation=hn_centre)
    d = selectors.dashboard(centre_leader, PERIOD)
    assert d.totals.disputes == 1 and d.totals.registrations == 1 and [c.code for c in d.counties] == [HN]
    assert [o.failed for o in d.organisations] == [1] and [o.settled for o in d.organisations] == [0]
    with pytest.raises(NotPermitted):
        selectors.dashboard(world.clerk, PERIOD)


def test_parse_filters() -> None:
    today = date(2026, 5, 20)
    f = selectors.parse_filters({}, today=today)
    assert (f.start, f.end) == (date(2026, 1, 1), date(2026, 5, 1))
    for bad in ({"start": "2026-13"}, {"start": "x"}, {"start": "2026-05", "end": "2026-01"},
                {"category": "nope"}, {"channel": "nope"}, {"start": "2000-01", "end": "2026-01"}):
        with pytest.raises(InvalidInput):
            selectors.parse_filters(bad, today=today)
    with pytest.raises(InvalidInput):
        selectors.parse_filters({"county": DWK}, today=today, counties=[HN])


def test_fact_tables_equal_the_raw_events(world, scenario) -> None:
    """The sink's incremental tables, a rebuild from the events and the naive GROUP BY agree."""
    scope = selectors.leader_scope(world.leader)
    keys = ("kind", "source", "county", "township")
    summary = selectors._by(selectors.facts(scope, PERIOD), *keys)
    assert summary == naive.cells(scope, PERIOD, *keys)
    stages = selectors.stage_rows(selectors._filtered(selectors.StageDays.objects.all(), scope, PERIOD))
    assert stages == naive.stage_rows(scope, PERIOD)
    incremental = _snapshot()
    facts.rebuild()
    assert _snapshot() == incremental


def _snapshot() -> tuple[set[tuple[object, ...]], ...]:
    from suyuan.governance.models import EventCount, StageDays, StageSpell

    counts = set(EventCount.objects.values_list("month", "kind", "source", "county", "township", "court_id",
                                                "category", "channel", "grid_worker_id", "n"))
    spells = set(StageSpell.objects.values_list("dispute_id", "stage", "entered_at", "left_at", "seconds", "month",
                                                "county", "township", "court_id", "category", "channel"))
    days = set(StageDays.objects.values_list("month", "stage", "county", "court_id", "category", "channel", "days",
                                             "n", "seconds"))
    return counts, spells, days


def test_the_sink_follows_the_real_services(world) -> None:
    """append_event calls the governance sink in the same transaction (AppConfig.ready)."""
    from django.utils import timezone

    from suyuan.accounts.context import Origin
    from suyuan.disputes.services import record_dispute
    from suyuan.governance.models import EventCount, StageSpell
    from suyuan.testing.disputes import grid_input

    d = record_dispute(actor=world.grid_worker, origin=Origin(via="test"), data=grid_input(world.grid.code)).dispute
    row = EventCount.objects.get(kind="recorded")
    assert (row.month, row.township, row.county, row.grid_worker_id, row.n) == (
        timezone.localdate().replace(day=1), "640202001000", DWK, world.grid_worker.pk, 1)
    assert StageSpell.objects.get(dispute=d, left_at__isnull=True).stage == "recorded"
