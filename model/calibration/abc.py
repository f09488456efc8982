"""Approximate Bayesian computation by rejection over an experiment's design points.

The prior is the experiment's design (a Latin hypercube over documented ranges); a design point
is accepted when at least `acceptance` of its replicates meet every target of `targets.py`. The
accepted points are the posterior sample: their spread is the calibrated parameters' uncertainty.

The point estimate (the scenario's calibrated defaults) is the accepted point nearest the
posterior median, distances measured in units of each prior range: unlike the medians taken
one by one, it is a parameter set that was run and met the targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.load import load_experiment_folder
from ..config.errors import ScenarioError
from .targets import TARGETS, score_runs


@dataclass
class Calibration:
    per_run: pd.DataFrame        # one row per run: each target's value and whether it is met
    per_point: pd.DataFrame      # one row per design point: parameters, share of runs meeting all
    posterior: pd.DataFrame      # one row per parameter: prior range, accepted mean and interval
    summary: dict


def calibrate(folder: Path, acceptance: float = 1.0) -> Calibration:
    """Score every run of an experiment folder against the targets and keep the design points
    whose replicates meet all of them (share >= acceptance)."""
    if not 0.0 < acceptance <= 1.0:
        raise ScenarioError("--acceptance", "acceptance", "a share in (0, 1]", acceptance)
    data = load_experiment_folder(folder)
    if data.timeseries.empty:
        raise ScenarioError(str(folder), None, "an experiment folder with finished runs")
    params = data.parameters
    per_run = score_runs(data.timeseries, TARGETS, str(folder))
    per_run["all_met"] = per_run[[f"{t.name}_met" for t in TARGETS]].all(axis=1)
    share = per_run.groupby("point")["all_met"].mean().rename("share_met")
    per_point = data.design.set_index("point")[params].join(share, how="inner").reset_index()
    per_point["accepted"] = per_point["share_met"] >= acceptance
    accepted = per_point[per_point["accepted"]]
    ranges = data.experiment["design"]["parameters"]
    posterior = pd.DataFrame([{
        "parameter": p, "prior_low": ranges[p][0], "prior_high": ranges[p][-1],
        "accepted": len(accepted),
        "mean": accepted[p].mean() if len(accepted) else np.nan,
        "q2.5": accepted[p].quantile(0.025) if len(accepted) else np.nan,
        "q97.5": accepted[p].quantile(0.975) if len(accepted) else np.nan,
    } for p in params])
    summary = {
        "experiment": data.experiment.get("name"), "folder": str(folder),
        "design": data.experiment["design"]["kind"], "points": int(len(per_point)),
        "runs": int(len(per_run)), "acceptance": acceptance,
        "accepted_points": int(len(accepted)),
        "targets": {t.name: {"low": t.low, "high": t.high, "source": t.source,
                             "share_of_runs_met": float(per_run[f"{t.name}_met"].mean())}
                    for t in TARGETS},
        "git": data.manifest.get("environment", {}).get("git"),
        "seed": data.experiment.get("seed"),
        "replicates": data.experiment.get("replicates"),
        "settings": data.experiment.get("settings", {}),
        "scenario": data.experiment["scenarios"][0],
        "scenario_file": data.manifest["scenarios"][0]["files"][0]
        if data.manifest.get("scenarios") else None,
        "estimate": _estimate(accepted, params, ranges),
    }
    return Calibration(per_run, per_point, posterior, summary)


def _estimate(accepted: pd.DataFrame, params: list[str], ranges: dict) -> dict | None:
    """The accepted point nearest the posterior median (see the module docstring)."""
    if accepted.empty:
        return None
    width = np.array([ranges[p][-1] - ranges[p][0] for p in params], dtype=float)
    x = accepted[params].to_numpy(float)
    distance = np.sqrt((((x - np.median(x, axis=0)) / width) ** 2).sum(axis=1))
    best = accepted.iloc[int(np.argmin(distance))]
    return {"point": int(best["point"]), "values": {p: float(best[p]) for p in params}}


def write(result: Calibration, out: Path) -> list[Path]:
    """calibration.json, posterior.csv, points.csv, runs.csv in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"posterior.csv": result.posterior, "points.csv": result.per_point,
             "runs.csv": result.per_run}
    written = []
    for name, table in files.items():
        table.to_csv(out / name, index=False)
        written.append(out / name)
    (out / "calibration.json").write_text(json.dumps(result.summary, indent=2, default=str)
                                          + "\n", encoding="utf-8")
    return [*written, out / "calibration.json"]
