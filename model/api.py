"""The Python API: run a scenario, or simulate with flat parameters for outside tools."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .config.loader import Scenario, load_scenario
from .outcomes import METRIC_NAMES, summarize, summarize_long
from .config.schema import plain_scalar
from .simulation import PressureModel


def _seed(seed: object) -> int:
    """The seed as a Python int (numpy and pandas integers accepted), or ScenarioError."""
    from .config.errors import ScenarioError

    seed = plain_scalar(seed)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ScenarioError("simulate", "seed", "a non-negative integer", seed)
    return seed


def run(scenario: Scenario | str | Path, seed: int = 0,
        overrides: dict[str, object] | None = None, long: bool = False, on_day=None):
    """Run a scenario to its horizon.

    Returns the daily time series (one row per day; columns in docs/parameters.md, Outcomes)
    and the summary
    `{"scenario", "seed", "users", "days", "final": {...}, "mean": {...}, "long_final": {...}}`
    (`long_final`: the last value of every series of the long table, by metric and key).
    With `long=True`, returns `(frame, long_frame, summary)`: the long table holds the outcomes
    whose set depends on the scenario (per service, category, channel, protocol), one row per
    day, metric and key. `on_day`, when given, is called after each simulated day (a progress
    bar's update).
    """
    seed = _seed(seed)
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    scenario = scenario.with_overrides(overrides)
    model = PressureModel(scenario, rng=seed)
    while model.running:
        model.step()
        if on_day is not None:
            on_day()
    frame = model.recorder.frame(model.p["start_date"])
    long_frame = model.long_frame()
    finals: dict[str, dict[str, float]] = {}
    for row in summarize_long(long_frame).itertuples(index=False):
        finals.setdefault(row.metric, {})[row.key] = float(row.final)
    summary = {"scenario": scenario.name, "seed": seed, "users": model.p["users"],
               "days": model.p["days"], **summarize(frame), "long_final": finals}
    return (frame, long_frame, summary) if long else (frame, summary)


def simulate(seed: int = 0, scenario: Scenario | str | Path = "china_2017",
             **parameters) -> dict[str, float]:
    """One run with flat keyword parameters; returns `<metric>_final` and `<metric>_mean`.

    Made for EMA Workbench, SALib and Mesa's batch tools: every parameter name in
    docs/parameters.md is a keyword, e.g. `simulate(enforcement_intensity=0.8, seed=3)`.
    """
    _, summary = run(scenario, seed=seed, overrides=parameters)
    out = {f"{m}_final": summary["final"][m] for m in METRIC_NAMES}
    out.update({f"{m}_mean": summary["mean"][m] for m in METRIC_NAMES})
    return out
