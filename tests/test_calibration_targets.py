"""The 2017 patterns as targets: the 2017 scenario meets them, other regimes miss some."""

import pytest

import model
from model.calibration import TARGETS, evaluate


@pytest.fixture(scope="module")
def frames():
    return {name: model.run(name, seed=4, overrides={"users": 3000})[0]
            for name in ("china_2017", "relaxed")}


def test_every_target_has_its_evidence_and_a_sane_interval():
    assert len({t.name for t in TARGETS}) == len(TARGETS)
    for t in TARGETS:
        assert t.observed and t.source and t.statistic
        assert t.low <= t.high


def test_the_2017_scenario_meets_every_target(frames):
    table = evaluate(frames["china_2017"])
    assert table["inside"].all(), table[~table["inside"]].to_string()


def test_a_relaxed_regime_misses_the_crackdown_targets(frames):
    missed = set(evaluate(frames["relaxed"]).query("not inside")["target"])
    assert {"app_store_removals", "domestic_sellers_shut_from_july",
            "enforcement_peaks_at_congress"} <= missed
