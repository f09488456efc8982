"""One run: what it is (`RunSpec`), what it gives (`RunResult`), and executing it.

A spec carries its fully resolved scenario, so a worker needs the installed `model` package but
no scenario or experiment file: the same spec runs the same way in this process, a local pool or
on a Dask worker on another machine. `run_one` never raises for a failing model run; the error
comes back as data so that the other runs go on and the failure is recorded.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
import warnings
from dataclasses import dataclass, field

import pandas as pd

from ..calendar import HorizonWarning
from ..config.errors import ScenarioError
from ..config.loader import Scenario
from ..outcomes import METRIC_NAMES
from .designs import Design
from .experiment import Experiment
from .seeds import run_seed

ID_COLUMNS = ("run_id", "scenario", "point", "replicate", "seed")


@dataclass(frozen=True)
class RunSpec:
    """One run: a scenario at one design point, one replicate, one seed."""

    run_id: str
    scenario: str
    point: int
    replicate: int
    seed: int
    params: dict[str, object]          # the design point's values
    resolved: Scenario = field(repr=False)   # scenario + settings + the point

    def identity(self) -> dict[str, object]:
        return {"run_id": self.run_id, "scenario": self.scenario, "point": self.point,
                "replicate": self.replicate, "seed": self.seed}

    def columns(self) -> dict[str, object]:
        """The id columns of the run's table rows: its identity, and the seed also as text
        (`seed_str`), since tools that read CSV numbers as doubles round seeds above 2**53."""
        return {**self.identity(), "seed_str": str(self.seed)}

    @property
    def days(self) -> int:
        """Days simulated: the rows of the run's time series."""
        return int(self.resolved.params["days"])

    def record(self) -> dict[str, object]:
        """What the manifest keeps of the run besides its status: identity, shape and the
        design point's values (so the run can be rebuilt from the manifest alone)."""
        return {**self.identity(), "days": self.days, "params": dict(self.params)}


@dataclass
class RunResult:
    """What a run gave: its time series and summary row, or its error."""

    run_id: str
    status: str                               # "done" or "failed"
    timeseries: pd.DataFrame | None = None    # one row per day, id columns first
    long: pd.DataFrame | None = None          # the long table: id columns, then day x series
    summary: dict[str, object] | None = None  # the run's row of summary.parquet
    error: str | None = None                  # "ExceptionType: message"
    traceback: str | None = None
    elapsed_s: float = 0.0
    cpu_s: float = 0.0                        # CPU seconds of the run in its worker
    host: str = ""


def plan_runs(experiment: Experiment, design: Design) -> list[RunSpec]:
    """Every run of the experiment, replicate by replicate, so that partial results (and an
    interrupted experiment) cover every scenario and point evenly. Raises ScenarioError
    (naming the experiment file) when a design point is invalid for a scenario."""
    width = len(str(max(len(design.points) - 1, 0)))
    specs = []
    resolved = {}
    for s, scenario in enumerate(experiment.scenarios):
        for p, point in enumerate(design.points):
            try:
                resolved[s, p] = scenario.with_overrides(point, source=experiment.source)
            except ScenarioError as exc:
                values = ", ".join(f"{k}={v}" for k, v in point.items())
                raise ScenarioError(experiment.source, "design.parameters",
                                    f"values valid for scenario {scenario.name!r} at point {p} "
                                    f"({values}): {exc.key} {exc.expected}", exc.got) from None
    for k in range(experiment.replicates):
        for s, scenario in enumerate(experiment.scenarios):
            for p, point in enumerate(design.points):
                seed = run_seed(experiment.seed, k, s, p, experiment.common_random_numbers)
                specs.append(RunSpec(run_id=f"{scenario.name}__p{p:0{width}d}__r{k:03d}",
                                     scenario=scenario.name, point=p, replicate=k, seed=seed,
                                     params=dict(point), resolved=resolved[s, p]))
    return specs


def run_one(spec: RunSpec) -> RunResult:
    """Run one spec to its horizon; a failure is returned, not raised."""
    from ..api import run

    start, cpu = time.perf_counter(), time.process_time()
    host = f"{socket.gethostname()}:{os.getpid()}"
    try:
        with warnings.catch_warnings():          # a short horizon is common in experiments
            warnings.simplefilter("ignore", HorizonWarning)
            frame, long, summary = run(spec.resolved, seed=spec.seed, long=True)
    except Exception as exc:  # noqa: BLE001 - any model error is this run's result
        return RunResult(spec.run_id, "failed", error=f"{type(exc).__name__}: {exc}",
                         traceback=traceback.format_exc(),
                         elapsed_s=time.perf_counter() - start,
                         cpu_s=time.process_time() - cpu, host=host)
    ids = spec.columns()
    timeseries = pd.concat([pd.DataFrame({k: [v] * len(frame) for k, v in ids.items()}),
                            frame.reset_index(drop=True)], axis=1)
    long = pd.concat([pd.DataFrame({k: [v] * len(long) for k, v in ids.items()}),
                      long.reset_index(drop=True)], axis=1)
    row = {**ids, **spec.params}
    row.update({f"{m}_final": summary["final"][m] for m in METRIC_NAMES})
    row.update({f"{m}_mean": summary["mean"][m] for m in METRIC_NAMES})
    return RunResult(spec.run_id, "done", timeseries=timeseries, long=long, summary=row,
                     elapsed_s=time.perf_counter() - start, cpu_s=time.process_time() - cpu,
                     host=host)
