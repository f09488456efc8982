"""Behaviour across seeds: more enforcement, less VPN access and a smaller foreign share."""

import numpy as np

import model

SEEDS = range(10)


def _means(intensity: float, **params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    runs = [model.simulate(seed=s, enforcement_intensity=intensity, users=2000, **params)
            for s in SEEDS]
    return (np.array([r["vpn_access_mean"] for r in runs]),
            np.array([r["foreign_cloud_share_mean"] for r in runs]),
            np.array([r["vpn_use_mean"] for r in runs]))


def test_more_enforcement_lowers_vpn_access_and_foreign_cloud_share():
    access_lo, foreign_lo, use_lo = _means(0.2)
    access_hi, foreign_hi, use_hi = _means(0.8)
    assert access_hi.mean() < access_lo.mean()
    assert foreign_hi.mean() < foreign_lo.mean()
    assert use_hi.mean() < use_lo.mean()
    # common random numbers: the effect holds seed by seed, not only on average
    assert (access_hi < access_lo).sum() >= 8
    assert (foreign_hi < foreign_lo).sum() >= 8


def test_scenarios_order_as_their_design_says():
    def mean_access(name):
        return np.mean([model.simulate(seed=s, scenario=name, users=2000)["vpn_access_mean"]
                        for s in range(3)])

    assert mean_access("maximal_enforcement") < mean_access("china_2017") < mean_access("relaxed")
