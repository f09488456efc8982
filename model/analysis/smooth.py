"""A kernel smoother for sampled designs (Latin hypercube, Sobol): an outcome against one
parameter while the others vary, drawn over the scatter of the runs instead of binned.

At each x the estimate is the Gaussian-kernel weighted mean of the runs (Nadaraya-Watson) with
bandwidth `BANDWIDTH` x the parameter's range; its 95% interval is the t-interval of a weighted
mean, with Kish's effective number of runs n_eff = (sum w)^2 / sum w^2 in place of n. The
interval describes the runs' spread near x (the other parameters' values included), as a
binned mean's would, without bins' edges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

BANDWIDTH = 0.12
POINTS = 9          # the table's points; the figure draws the curve at more


def kernel_smooth(x, y, at, bandwidth: float = BANDWIDTH, level: float = 0.95) -> pd.DataFrame:
    """x (the evaluation points), mean, ci_low, ci_high and n (effective runs) at every `at`."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y, at = x[ok], y[ok], np.asarray(at, dtype=float)
    span = float(x.max() - x.min()) if x.size else 0.0
    h = bandwidth * span if span > 0 else 1.0
    w = np.exp(-0.5 * ((at[:, None] - x[None, :]) / h) ** 2)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (w * y).sum(axis=1) / total
        var = (w * (y[None, :] - mean[:, None]) ** 2).sum(axis=1) / total
        n_eff = total ** 2 / (w ** 2).sum(axis=1)
        t = np.where(n_eff > 1, stats.t.ppf(0.5 + level / 2, np.maximum(n_eff - 1, 1)), np.nan)
        half = t * np.sqrt(var * n_eff / np.maximum(n_eff - 1, 1e-12) / n_eff)
    return pd.DataFrame({"x": at, "mean": mean, "ci_low": mean - half, "ci_high": mean + half,
                         "n": n_eff})


def smoothed_table(frame: pd.DataFrame, param: str, outcomes: list[str],
                   points: int = POINTS) -> pd.DataFrame:
    """The smoother of every outcome against `param`, per scenario, at `points` values over
    the sampled range: scenario, param, outcome, mean, ci_low, ci_high, n (effective runs)."""
    lo, hi = float(frame[param].min()), float(frame[param].max())
    at = np.linspace(lo, hi, points)
    parts = []
    for scenario, runs in frame.groupby("scenario", sort=False):
        for outcome in outcomes:
            s = kernel_smooth(runs[param], runs[outcome], at).rename(columns={"x": param})
            parts.append(s.assign(scenario=scenario, outcome=outcome))
    table = pd.concat(parts, ignore_index=True)
    return table[["scenario", param, "outcome", "mean", "ci_low", "ci_high", "n"]]
