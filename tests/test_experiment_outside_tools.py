"""Outside tools drive `model.simulate` as a researcher would: EMA Workbench and SALib."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import model

SMALL = {"users": 300, "days": 20}


def pressure(enforcement_intensity: float, demand_median: float, users: int, days: int,
             seed: int) -> dict[str, float]:
    """The function EMA Workbench calls once per experiment and replication."""
    out = model.simulate(seed=seed, enforcement_intensity=enforcement_intensity,
                         demand_median=demand_median, users=users, days=days)
    return {"vpn_use_mean": out["vpn_use_mean"],
            "foreign_cloud_share_final": out["foreign_cloud_share_final"]}


def test_ema_workbench_replicator_model_runs_simulate():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                  # ipyparallel is optional
        from ema_workbench import (ArrayOutcome, Constant, RealParameter, ReplicatorModel,
                                   ScalarOutcome, SequentialEvaluator)

    em = ReplicatorModel("pressure", function=pressure)
    em.uncertainties = [RealParameter("enforcement_intensity", 0.0, 1.0),
                        RealParameter("demand_median", 0.2, 1.2)]
    em.constants = [Constant("users", SMALL["users"]), Constant("days", SMALL["days"])]
    em.outcomes = [ArrayOutcome("vpn_use_mean"),                # one value per replication
                   ScalarOutcome("foreign_cloud_share_final", function=np.mean)]
    em.replications = [{"seed": s} for s in (11, 12)]

    with SequentialEvaluator(em) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=4)

    assert len(experiments) == 4
    use = np.asarray(outcomes["vpn_use_mean"])
    assert use.shape == (4, 2) and ((use >= 0) & (use <= 1)).all()
    assert np.asarray(outcomes["foreign_cloud_share_final"]).shape == (4,)
    first = experiments.iloc[0]
    again = pressure(first["enforcement_intensity"], first["demand_median"], seed=12, **SMALL)
    assert use[0, 1] == pytest.approx(again["vpn_use_mean"])   # replication 1 is seed 12


def test_salib_samples_runs_and_analyzes_simulate():
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = {"num_vars": 2, "names": ["enforcement_intensity", "demand_median"],
               "bounds": [[0.0, 1.0], [0.2, 1.2]]}
    x = sample.sample(problem, N=3, num_levels=4, seed=1)
    y = np.array([model.simulate(seed=7, **SMALL, **dict(zip(problem["names"], row)))
                  ["vpn_use_mean"] for row in x])
    result = analyze.analyze(problem, x, y, num_levels=4, seed=1)
    assert x.shape == (3 * 3, 2)
    assert np.all(np.asarray(result["mu_star"]) >= 0)
    assert list(result["names"]) == problem["names"]
