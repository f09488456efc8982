"""The enforcement lever works through mechanisms, over its whole range.

The base intensity is compared at 0.7 and 1.0 on the same 20 seeds (common random numbers: each
decision has its own stream, so the pairs differ by the lever only). The foreign cloud share has
no enforcement term in customers' utility (7.19): it falls because of what customers meet, and
switching off the two mechanisms that carry the effect (security reviews of foreign clouds'
customers, and the monitoring cost a policed foreign cloud passes on) makes the effect go.
"""

from functools import cache

import numpy as np
import pytest

import model
from model.calendar import Calendar
from model.config.loader import load_scenario
from model.institutions.regulator import effective_intensity

SEEDS = range(20)
SIZE = dict(users=2000, business_customers=5000)
NO_MECHANISM = dict(security_review_rate=0.0, monitoring_pass_through=0.0)


@cache
def runs(base: float, off: bool) -> tuple[dict, ...]:
    extra = NO_MECHANISM if off else {}
    return tuple(model.simulate(seed=s, scenario="china_2017", enforcement_intensity=base,
                                **SIZE, **extra) for s in SEEDS)


def paired_t(metric: str, off: bool = False) -> tuple[float, float]:
    """Mean difference (0.7 minus 1.0) and its paired t."""
    d = np.array([a[metric] - b[metric] for a, b in zip(runs(0.7, off), runs(1.0, off),
                                                         strict=True)])
    se = d.std(ddof=1) / np.sqrt(d.size)
    return float(d.mean()), float(d.mean() / se) if se > 0 else 0.0


@pytest.mark.parametrize("metric", ["vpn_availability_mean", "foreign_cloud_share_final"])
def test_the_base_lever_still_matters_between_0_7_and_1(metric):
    # significant at 5% over the 20 paired seeds; at the calibrated defaults the effect on the
    # foreign share is about half what it was at the first model's (t about 2.2, not above 3):
    # the calibrated foreign brand value (1.13) keeps more customers with foreign clouds
    diff, t = paired_t(metric)
    assert diff > 0 and t > 2, (diff, t)          # more enforcement: less of either


def test_without_reviews_and_monitoring_costs_the_foreign_share_no_longer_responds():
    diff, t = paired_t("foreign_cloud_share_final", off=True)
    assert abs(t) < 2.5, (diff, t)                 # no difference beyond chance
    # and the lever's effect with the mechanisms is larger than without, seed by seed
    m = "foreign_cloud_share_final"
    did = np.array([(a[m] - b[m]) - (c[m] - d[m]) for a, b, c, d in zip(
        runs(0.7, False), runs(1.0, False), runs(0.7, True), runs(1.0, True), strict=True)])
    assert did.mean() / (did.std(ddof=1) / np.sqrt(did.size)) > 2


@pytest.mark.parametrize("base", [0.5, 0.8, 0.95])
def test_effective_intensity_stays_below_one_on_every_day_of_2017(base):
    scenario = load_scenario("china_2017")
    calendar = Calendar.of(scenario)
    levels = [effective_intensity(base, calendar.multiplier(d), 0.0) for d in range(365)]
    assert max(levels) < 1.0 and min(levels) >= base - 1e-12
    assert max(levels) > base                     # the calendar still raises it


def test_the_run_reports_the_same_intensity_the_calendar_implies():
    m = model.PressureModel("china_2017", rng=2, users=200, enforcement_intensity=0.95)
    while m.running:
        m.step()
    series = m.recorder.values["effective_intensity"]
    assert series.max() < 1.0 and series.min() >= 0.95 - 1e-12
