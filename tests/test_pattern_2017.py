"""The 2017 China scenario reproduces the documented patterns that its mechanisms produce
(docs/ODD.md, section 1).

The first model's use-range and Congress-peak checks are not here: they pinned that model's
calibrated values and pattern thresholds (the Congress peak held by construction of the
calendar); the calibration of Model 2.0 refits them as moments.
"""

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


def test_domestic_clouds_hold_most_of_the_market_all_year(run2017):
    assert run2017["domestic_cloud_share"].min() > 0.5
    assert run2017["domestic_cloud_revenue_share"].min() > 0.5
