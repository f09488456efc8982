"""Cases beyond China, as out-of-sample tests: each pack's documented outcomes as data.

The model is calibrated on China only. A pack (`scenarios/russia/`, `scenarios/india/`) declares
a country's facts with sources that predate its outcomes; behavioural parameters keep the shared
values. `CASES` holds every pack's `Observation`s; `run_case` runs the pack's scenario(s) once
and scores them; `score` does the same from frames already at hand (e.g. an experiment's stored
run, `frames_from_experiment`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import india, russia
from .observation import Observation

__all__ = ["CASES", "REPOSITORY", "Observation", "Score", "frames_from_experiment", "run_case",
           "scenarios", "score"]

REPOSITORY = Path(__file__).resolve().parents[2]
CASES: dict[str, tuple[Observation, ...]] = {
    "russia": russia.OBSERVATIONS,
    "india": india.OBSERVATIONS,
}


class Score(NamedTuple):
    observation: Observation
    observed: float
    error: float
    model: float

    @property
    def z(self) -> float:
        """(model - observed) / error: within 2 in absolute value, the model holds."""
        return (self.model - self.observed) / self.error


def scenarios(case: str) -> tuple[str, ...]:
    """The case's scenario files, relative to the repository's root, in declaration order."""
    return tuple(dict.fromkeys(o.scenario for o in _observations(case)))


def score(case: str, frames: dict[str, tuple[pd.DataFrame, pd.DataFrame]]) -> list[Score]:
    """Score the case's observations on `{scenario: (wide, long)}` frames of one run each."""
    out = []
    for obs in _observations(case):
        wide, long = frames[obs.scenario]
        try:
            value = float(obs.compute(wide, long))
        except (KeyError, ZeroDivisionError):
            value = math.nan
        out.append(Score(obs, obs.observed, obs.error, value))
    return out


def run_case(case: str, overrides: dict[str, object] | None = None, users: int | None = None,
             seed: int = 0) -> list[Score]:
    """Run each of the case's scenarios once (`model.run`, seed `seed`; `users` None keeps the
    scenario's 10,000) with `overrides` (e.g. a posterior draw of the shared parameters), and
    score its observations: one row (observation, observed, error, model value) each."""
    from ..api import run

    settings = dict(overrides or {})
    if users is not None:
        settings["users"] = users
    frames = {}
    for path in scenarios(case):
        wide, long, _ = run(REPOSITORY / path, seed=seed, overrides=settings, long=True)
        frames[path] = (wide.set_index("date"), long)
    return score(case, frames)


def frames_from_experiment(folder: str | Path, run_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(wide, long) of one finished run of an experiment folder: `runs/<run_id>.parquet` (the
    days) and `runs_long/<run_id>.parquet` (the keyed table), identity columns dropped."""
    folder = Path(folder)
    ids = ["run_id", "scenario", "point", "replicate", "seed"]
    wide = pd.read_parquet(folder / "runs" / f"{run_id}.parquet")
    long = pd.read_parquet(folder / "runs_long" / f"{run_id}.parquet")
    wide = wide.drop(columns=[c for c in wide.columns if c in ids or c.startswith("param.")])
    long = long.drop(columns=[c for c in long.columns if c in ids])
    return wide.set_index("date"), long


def _observations(case: str) -> tuple[Observation, ...]:
    if case not in CASES:
        raise KeyError(f"no case {case!r} (cases: {', '.join(CASES)})")
    return CASES[case]
