"""The 2017 China scenario reproduces the documented pattern (docs/ODD.md, section 1)."""

import datetime as dt

import pytest

import model

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module", params=SEEDS)
def run2017(request):
    frame, _ = model.run("china_2017", seed=request.param)
    return frame.set_index("date")


def on(frame, day):
    return frame.loc[str(day)]


def test_app_store_listings_fall_by_more_than_80_percent_within_two_weeks(run2017):
    before = on(run2017, dt.date(2017, 7, 28))["vpn_listings_foreign_store"]
    after = on(run2017, dt.date(2017, 8, 12))["vpn_listings_foreign_store"]
    assert after < 0.2 * before


def test_domestic_commercial_vpn_supply_falls_from_july(run2017):
    series = run2017["vpn_domestic_commercial"]
    first_half = series["2017-01-01":"2017-06-30"]
    assert first_half.min() >= 0.85 * series.iloc[0]      # steady before July
    assert series["2017-09-01":].max() < 0.5 * first_half.mean()


def test_vpn_use_stays_within_the_documented_range(run2017):
    # 2.4-3.6 percent daily (2018-19 estimates) to 29 percent reported use (GWI 2016)
    assert run2017["vpn_use"].min() > 0.024
    assert run2017["vpn_use"].max() < 0.29


def test_domestic_clouds_hold_most_of_the_market_all_year(run2017):
    assert run2017["domestic_cloud_share"].min() > 0.5
    assert run2017["domestic_cloud_revenue_share"].min() > 0.5


def test_enforcement_rises_into_the_party_congress(run2017):
    intensity = run2017["enforcement_intensity"]
    assert on(run2017, "2017-10-18")["enforcement_intensity"] == intensity.max()
    assert "2017-09-19" <= str(intensity.idxmax().date()) <= "2017-10-31"   # first reached there
    assert intensity["2017-10-18"] > intensity["2017-07-01"] > intensity["2017-01-10"]


def test_vpn_use_falls_after_the_summer_crackdown(run2017):
    use = run2017["vpn_use"]
    assert use["2017-09-01":"2017-12-31"].mean() < use["2017-05-01":"2017-06-30"].mean()
