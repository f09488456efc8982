"""The sanction ladder: what a regulated entity expects staying non-compliant to cost."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.config.parameters import DEFAULTS
from model.institutions.sanctions import LEVELS, REVOCATION, expected_sanction, severities

SEV = severities(dict(DEFAULTS))


def test_ladder_shape():
    assert LEVELS[0] == "none" and LEVELS[REVOCATION] == "revocation"
    assert len(SEV) == len(LEVELS)
    assert SEV[REVOCATION] == 1.0                      # revocation costs all China revenue
    assert list(SEV) == sorted(SEV)                    # each rung costs at least the one below


def test_severities_follow_parameters():
    p = dict(DEFAULTS, fine_severity=0.1, suspension_severity=0.4)
    assert severities(p) == (0.0, 0.0, 0.1, 0.4, 1.0)


@pytest.mark.parametrize("level", range(REVOCATION + 1))
def test_zero_at_zero_detection(level):
    assert expected_sanction(level, 0.0, 90, SEV) == 0.0


def test_nothing_left_to_lose_at_revocation():
    assert expected_sanction(REVOCATION, 0.9, 365, SEV) == 0.0


@pytest.mark.parametrize("level", range(REVOCATION))
def test_grows_with_detection_rate(level):
    values = [expected_sanction(level, q, 90, SEV) for q in (0.0005, 0.002, 0.01, 0.05, 0.2)]
    assert all(b > a for a, b in zip(values, values[1:]))


@pytest.mark.parametrize("level", range(REVOCATION))
def test_grows_with_horizon(level):
    values = [expected_sanction(level, 0.005, h, SEV) for h in (1, 10, 30, 90, 365)]
    assert all(b > a for a, b in zip(values, values[1:]))


def test_lower_rung_has_more_to_lose_when_detection_is_certain():
    """With many expected detections the whole rest of the ladder is paid: an entity on a
    lower rung has more rungs (fine, suspension, revocation) still ahead of it."""
    values = [expected_sanction(level, 1.0, 365, SEV) for level in range(REVOCATION + 1)]
    assert all(a >= b for a, b in zip(values, values[1:]))     # a warning itself costs nothing
    assert all(a > b for a, b in zip(values[1:], values[2:]))
    for level, value in enumerate(values):
        assert value == pytest.approx(sum(SEV[level + 1:]))


def test_higher_rung_is_costlier_when_detection_is_rare():
    """With rare detection only the next rung matters, and the next rung of an entity already
    high on the ladder is the costlier one (escalation deters repeat offenders)."""
    values = [expected_sanction(level, 1e-4, 30, SEV) for level in range(1, REVOCATION)]
    assert all(b > a for a, b in zip(values, values[1:]))


def test_matches_poisson_closed_form():
    lam = 0.02 * 90
    p_at_least = [1.0 - sum(math.exp(-lam) * lam ** j / math.factorial(j) for j in range(k))
                  for k in range(REVOCATION + 1)]
    want = sum(p_at_least[k] * SEV[0 + k] for k in range(1, REVOCATION + 1))
    assert expected_sanction(0, 0.02, 90, SEV) == pytest.approx(want)


def test_matches_simulated_ladder():
    """Monte Carlo: draw detections day by day, climb the ladder, add up what each rung costs."""
    rng = np.random.default_rng(0)
    level, q, horizon, runs = 1, 0.01, 60, 40_000
    detections = (rng.random((runs, horizon)) < q).sum(axis=1)
    cum = np.cumsum((0.0,) + SEV[level + 1:])          # cost of k steps up
    cost = cum[np.minimum(detections, REVOCATION - level)].mean()
    # daily Bernoulli vs Poisson: the same to first order in q
    assert expected_sanction(level, q, horizon, SEV) == pytest.approx(cost, rel=0.05)


severity_st = st.tuples(st.floats(0, 1), st.floats(0, 1)).map(
    lambda fs: (0.0, 0.0, min(fs), max(fs), 1.0))


@settings(max_examples=200, deadline=None)
@given(level=st.integers(0, REVOCATION), q=st.floats(0.0, 1.0), horizon=st.integers(1, 3650),
       sev=severity_st)
def test_bounded_by_rest_of_ladder(level, q, horizon, sev):
    value = expected_sanction(level, q, horizon, sev)
    assert 0.0 <= value <= sum(sev[level + 1:]) + 1e-9
    assert math.isfinite(value)


@settings(max_examples=200, deadline=None)
@given(level=st.integers(0, REVOCATION - 1), q=st.floats(0.0, 0.5),
       factor=st.floats(1.0, 10.0), horizon=st.integers(1, 730), sev=severity_st)
def test_monotone_in_detection_and_horizon(level, q, factor, horizon, sev):
    base = expected_sanction(level, q, horizon, sev)
    assert expected_sanction(level, min(1.0, q * factor), horizon, sev) >= base - 1e-12
    assert expected_sanction(level, q, horizon * 2, sev) >= base - 1e-12
