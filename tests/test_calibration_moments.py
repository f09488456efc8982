"""The calibration's moments: each declared with its evidence and error, computed from real
runs of its case, discriminating (a regime without the 2017 crackdown is far from the 2017
moments), and never an input: the field cases keep what their files fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import model
from model.calibration.moments import CASES, MOMENTS, compute, distance, ruled_out
from model.calibration.simulate import fixed_by
from experiment_support import SCENARIOS

FILES = {"china_2017": SCENARIOS / "china_2017.toml", "relaxed": SCENARIOS / "relaxed.toml",
         "chen_yang": SCENARIOS / "field" / "chen_yang.toml",
         "sudden_block": SCENARIOS / "field" / "sudden_block.toml"}


def _frames(path, seed=4, users=1500):
    sc = model.load_scenario(path, overrides={"users": users})
    m = model.PressureModel(sc, rng=seed)
    while m.running:
        m.step()
    return m.recorder.frame(m.p["start_date"]).set_index("date"), m.long_frame()


@pytest.fixture(scope="module")
def frames():
    return {name: _frames(path) for name, path in FILES.items()}


def test_every_moment_has_its_evidence_an_error_and_a_case():
    assert len({m.name for m in MOMENTS}) == len(MOMENTS)
    assert set(CASES) == {"china_2017", "chen_yang", "sudden_block"}
    for m in MOMENTS:
        assert m.source and m.statistic and m.error_basis
        assert m.error > 0 and np.isfinite(m.observed)


def test_every_moment_is_a_finite_number_of_a_real_run(frames):
    values = compute(MOMENTS, {c: frames[c] for c in CASES})
    assert all(np.isfinite(v) for v in values.values()), values
    assert -4 <= values["daily_vpn_use"] <= 0 and 0 <= values["blocked_service_reach"] <= 1


def test_a_regime_without_the_crackdown_is_far_from_the_2017_moments(frames):
    china = [m for m in MOMENTS if m.case == "china_2017"]
    kept = compute(china, {"china_2017": frames["china_2017"]})
    relaxed = compute(china, {"china_2017": frames["relaxed"]})
    assert relaxed["removals_by_november"] < 0.1 * kept["removals_by_november"]
    table = pd.DataFrame([kept, relaxed])
    near, far = distance(table, tuple(china))
    assert far > near


def test_distance_and_rule_out_share_follow_their_definitions():
    m = MOMENTS[0]
    runs = pd.DataFrame({m.name: [m.observed, m.observed + m.error, m.observed + 3 * m.error]})
    assert list(distance(runs, (m,))) == pytest.approx([0.0, 1.0, 3.0])
    assert ruled_out(runs, (m,))[m.name] == pytest.approx(1 / 3)
    assert list(distance(runs, (m,), {m.name: m.observed + m.error})) == pytest.approx(
        [1.0, 0.0, 2.0])


def test_the_field_cases_keep_what_their_files_fix():
    fixed = fixed_by(FILES["chen_yang"])
    assert {"enforcement_intensity", "vpn_price", "initial_awareness"} <= fixed
    assert "interest_share" not in fixed and "attention_cost" not in fixed
    assert "enforcement_intensity" not in fixed_by(FILES["sudden_block"])
    # the 2017 case's calibrated block is the calibration's own: nothing in it is fixed
    assert not fixed_by(FILES["china_2017"]) & {"store_removal_rate", "demand_median",
                                                "enforcement_intensity"}


def test_daily_use_is_judged_on_the_log_scale_so_no_use_is_far_from_three_percent():
    from model.calibration.moments import BY_NAME, USE_FLOOR

    m = BY_NAME["daily_vpn_use"]
    far = lambda share: abs(np.log10(share + USE_FLOOR) - m.observed) / m.error  # noqa: E731
    assert far(0.03) < 0.01
    assert far(0.0) > 2 and far(0.005) > 2 and far(0.15) > 2       # ruled out
    assert far(0.015) < 2 and far(0.06) < 2                         # within two errors
