"""A documented outcome of a case as data: what was observed, with what error, and how to compute
the same statistic from one run of the case's scenario."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Observation:
    """One documented outcome of a case.

    `scenario` is the pack's scenario file relative to the repository's root; `observed` the
    documented number and `error` one standard deviation of its observation error (each
    declaration says how it was chosen); `compute(wide, long)` the model's statistic from one run:
    `wide` the daily time series (indexed by date, one column per metric, as `model.run` returns
    it or an experiment's `runs/<run_id>.parquet` stores it), `long` the keyed table (`date`,
    `day`, `metric`, `key`, `value`, as `PressureModel.long_frame()` returns it or an
    experiment's `runs_long/<run_id>.parquet` stores it). `statistic` says in words what
    `compute` measures; `caveat` where the model's statistic and the observed one differ.
    """

    name: str
    case: str
    scenario: str
    observed: float
    error: float
    source: str
    statistic: str
    compute: Callable[[pd.DataFrame, pd.DataFrame], float]
    caveat: str = ""


# --- helpers for the `compute` functions ----------------------------------------------------

def wide_by_date(wide: pd.DataFrame) -> pd.DataFrame:
    """The daily frame indexed by date (a `date` column is moved to the index)."""
    if "date" in wide.columns:
        wide = wide.set_index("date")
    wide.index = pd.to_datetime(wide.index)
    return wide


def column(wide: pd.DataFrame, metric: str) -> pd.Series:
    return wide_by_date(wide)[metric]


def keyed(long: pd.DataFrame, metric: str, key: str) -> pd.Series:
    """One series of the long table, indexed by date (empty when the run never recorded it)."""
    part = long[(long["metric"] == metric) & (long["key"] == key)]
    out = part.set_index(pd.to_datetime(part["date"]))["value"].astype(float)
    return out.sort_index()


def mean_between(series: pd.Series, first: str | dt.date, last: str | dt.date) -> float:
    """Mean of a date-indexed series from `first` to `last` (both included); NaN when empty."""
    part = series.loc[pd.Timestamp(first):pd.Timestamp(last)]
    return float(np.nanmean(part.to_numpy(dtype=float))) if len(part) else float("nan")


def on(series: pd.Series, day: str | dt.date) -> float:
    return float(series.loc[pd.Timestamp(day)])
