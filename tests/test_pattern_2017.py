"""The 2017 China scenario reproduces the documented patterns that its mechanisms produce
(docs/ODD.md, section 1).

The first model's listings-speed, use-range and Congress-peak checks are not here: the
listings' speed and daily use are calibration moments now (model/calibration/moments.py), and
the Congress peak held by construction of the calendar.
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


def test_domestic_commercial_vpn_supply_falls_from_july(run2017):
    series = run2017["vpn_domestic_commercial"]
    first_half = series["2017-01-01":"2017-06-30"]
    assert first_half.min() >= 0.85 * series.iloc[0]      # steady before July
    assert series["2017-09-01":].max() < 0.5 * first_half.mean()


def test_domestic_clouds_hold_most_of_the_market_all_year(run2017):
    assert run2017["domestic_cloud_share"].min() > 0.5
    assert run2017["domestic_cloud_revenue_share"].min() > 0.5
