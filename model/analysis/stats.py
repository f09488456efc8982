"""Means and paired differences with Student-t confidence intervals.

A 95% interval for a mean of n values is mean +/- t(0.975, n - 1) x s / sqrt(n), with s the
sample standard deviation; with n < 2 there is no interval (NaN). A paired difference is the
same interval over the per-pair differences d_k = y_k(scenario) - y_k(reference), where pair k
shares its design point and replicate (and so, with common random numbers, its seed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

LEVEL = 0.95


def mean_ci(values, level: float = LEVEL) -> dict[str, float]:
    """n, mean, sd, ci_low, ci_high of the finite values."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return {"n": 0, "mean": np.nan, "sd": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    mean = float(x.mean())
    if n < 2:
        return {"n": 1, "mean": mean, "sd": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / np.sqrt(n)
    return {"n": n, "mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}


def paired_difference(a, b, level: float = LEVEL) -> dict[str, float]:
    """Mean of a - b over pairs with its t-interval and the paired t-test's two-sided p."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    d = a[ok] - b[ok]
    out = mean_ci(d, level)
    if out["n"] >= 2 and out["sd"] > 0:
        t = out["mean"] / (out["sd"] / np.sqrt(out["n"]))
        out["p_value"] = float(2 * stats.t.sf(abs(t), out["n"] - 1))
    else:
        out["p_value"] = np.nan if out["n"] < 2 else (1.0 if out["mean"] == 0 else 0.0)
    return out


def grouped_ci(frame: pd.DataFrame, by: list[str], columns: list[str],
               level: float = LEVEL) -> pd.DataFrame:
    """Long table: one row per group and column (`outcome`), with n, mean, sd and the interval
    (vectorized: used per day for the time-series bands)."""
    long = frame.melt(id_vars=by, value_vars=columns, var_name="outcome")
    long = long[np.isfinite(long["value"].astype(float))]
    out = (long.groupby([*by, "outcome"], sort=False)["value"]
           .agg(n="count", mean="mean", sd="std").reset_index())
    n = out["n"].to_numpy()
    t = np.where(n >= 2, stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)), np.nan)
    half = t * out["sd"].to_numpy() / np.sqrt(np.maximum(n, 1))
    out["ci_low"], out["ci_high"] = out["mean"] - half, out["mean"] + half
    order = {c: i for i, c in enumerate(columns)}
    out = out.sort_values([*by, "outcome"], key=lambda s: s.map(order) if s.name == "outcome"
                          else s, kind="stable")
    return out.reset_index(drop=True)
