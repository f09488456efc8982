"""The ABC-SMC sampler on problems whose answer is known, without the model: it concentrates
on the truth, its weights are a distribution, it stays inside the prior, and a stopped run
resumes to the same posterior."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.calibration import smc

PRIOR = smc.Prior(("a", "b"), np.array([0.0, 0.0]), np.array([1.0, 10.0]))
TRUTH = np.array([0.3, 7.0])


def _simulate(noise_seed=0, calls=None):
    """Distance of a noisy simulation from the truth: only `a` is informed by the data."""
    def simulate(generation, theta):
        if calls is not None:
            calls.append(generation)
        rng = np.random.default_rng([noise_seed, generation])
        sim = theta[:, 0] + rng.normal(0, 0.02, len(theta))
        return np.abs(sim - TRUTH[0]) / 0.05
    return simulate


SETTINGS = smc.Settings(particles=200, keep=0.5, min_acceptance=0.05, max_generations=6,
                        seed=3)


def test_the_posterior_narrows_on_what_the_data_inform_and_not_on_the_rest(tmp_path):
    post = smc.run(PRIOR, SETTINGS, _simulate(), tmp_path)
    w = post["weight"].to_numpy()
    assert np.isclose(w.sum(), 1.0) and (w > 0).all()
    lo, hi = (smc.weighted_quantile(post["a"], w, q) for q in (0.025, 0.975))
    assert lo <= TRUTH[0] <= hi and hi - lo < 0.5 * 1.0          # identified
    lo_b, hi_b = (smc.weighted_quantile(post["b"], w, q) for q in (0.025, 0.975))
    assert (hi_b - lo_b) / 10.0 > 0.5                              # not identified
    assert smc.generations(tmp_path)["tolerance"].is_monotonic_decreasing


def test_a_stopped_calibration_resumes_to_the_same_posterior(tmp_path):
    whole = smc.run(PRIOR, SETTINGS, _simulate(), tmp_path / "whole")
    first = smc.run(PRIOR, smc.Settings(200, 0.5, 0.05, 2, 3), _simulate(),
                    tmp_path / "parts")
    assert len(first) == 100
    calls: list[int] = []
    resumed = smc.run(PRIOR, SETTINGS, _simulate(calls=calls), tmp_path / "parts")
    assert calls and min(calls) == 2                      # generations 0 and 1 not rerun
    pd.testing.assert_frame_equal(whole, resumed)


LOG_PRIOR = smc.Prior(("rate", "b"), np.array([1e-4, 0.0]), np.array([1.0, 10.0]),
                      np.array([True, False]))


@pytest.mark.parametrize("prior", [PRIOR, LOG_PRIOR], ids=["uniform", "log-uniform"])
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31), n=st.integers(3, 40))
def test_proposals_stay_inside_the_prior_and_weights_are_positive(prior, seed, n):
    rng = np.random.default_rng(seed)
    population = pd.DataFrame(prior.sample(n, rng), columns=list(prior.names))
    population["weight"] = rng.random(n) + 0.01
    theta, weight = smc._propose(population, prior, 25, rng)
    assert prior.contains(theta).all() and (theta[:, prior.is_log] > 0).all()
    assert np.isfinite(weight).all() and (weight > 0).all()


def test_a_log_uniform_prior_gives_each_order_of_magnitude_the_same_weight():
    draws = LOG_PRIOR.sample(4000, np.random.default_rng(1))[:, 0]
    decades = np.histogram(np.log10(draws), bins=[-4, -3, -2, -1, 0])[0] / len(draws)
    assert np.allclose(decades, 0.25, atol=0.02)
    assert LOG_PRIOR.contains(LOG_PRIOR.sample(50, np.random.default_rng(2))).all()
    assert np.allclose(LOG_PRIOR.width, [4.0, 10.0])


def test_a_log_uniform_rate_is_found_on_its_own_scale(tmp_path):
    """Only the rate is informed (the data say 1e-3, an error of a fifth of a decade): the
    posterior puts it within a decade, where a uniform prior would hardly ever propose it."""
    def simulate(generation, theta):
        return np.abs(np.log10(theta[:, 0]) + 3.0) / 0.2
    post = smc.run(LOG_PRIOR, SETTINGS, simulate, tmp_path)
    w = post["weight"].to_numpy()
    lo, hi = (smc.weighted_quantile(np.log10(post["rate"]), w, q) for q in (0.025, 0.975))
    assert lo <= -3.0 <= hi and hi - lo < 0.5 * 4.0



def test_weighted_quantiles_match_repeated_values():
    values, weights = np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 1.0])
    repeated = np.repeat(values, [100, 200, 100])
    for q in (0.1, 0.5, 0.9):
        assert smc.weighted_quantile(values, weights, q) == pytest.approx(
            np.quantile(repeated, q), abs=0.51)


def test_a_calibration_that_stopped_on_its_own_rule_runs_nothing_more_when_called_again(
        tmp_path):
    strict = smc.Settings(200, 0.5, 1.0, 6, 3)       # stops once any new set misses
    first = smc.run(PRIOR, strict, _simulate(), tmp_path)
    calls: list[int] = []
    again = smc.run(PRIOR, strict, _simulate(calls=calls), tmp_path)
    assert calls == []
    pd.testing.assert_frame_equal(first, again)
