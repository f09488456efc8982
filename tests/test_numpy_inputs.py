"""numpy and pandas scalars are accepted wherever Python's are: EMA Workbench's Integer and
Boolean parameters, Mesa's batch_run over np.arange seeds, values taken from pandas rows."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from mesa.batchrunner import batch_run

import model
from model.config.schema import plain_scalar
from model.simulation import PressureModel

SMALL = {"users": 300, "days": 20}


def pressure(fear_memory_days, reactive_directives, enforcement_intensity, users, days, seed):
    """EMA Workbench hands these over as numpy scalars (np.int64, np.bool_, np.float64)."""
    out = model.simulate(seed=seed, fear_memory_days=fear_memory_days,
                         reactive_directives=reactive_directives,
                         enforcement_intensity=enforcement_intensity, users=users, days=days)
    return {"numpy_inputs_use": out["vpn_use_mean"]}   # EMA registers outcomes by name


def test_ema_workbench_integer_boolean_and_real_parameters_drive_simulate():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                  # ipyparallel is optional
        from ema_workbench import (BooleanParameter, Constant, IntegerParameter, RealParameter,
                                   ReplicatorModel, ScalarOutcome, SequentialEvaluator)

    em = ReplicatorModel("pressure", function=pressure)
    em.uncertainties = [IntegerParameter("fear_memory_days", 10, 90),
                        BooleanParameter("reactive_directives"),
                        RealParameter("enforcement_intensity", 0.1, 0.9)]
    em.constants = [Constant("users", SMALL["users"]), Constant("days", SMALL["days"])]
    em.outcomes = [ScalarOutcome("numpy_inputs_use", function=np.mean)]
    em.replications = [{"seed": np.int64(5)}]
    with SequentialEvaluator(em) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=3)
    use = np.asarray(outcomes["numpy_inputs_use"])
    assert use.shape == (3,) and ((use >= 0) & (use <= 1)).all()
    row = experiments.iloc[0]                            # pandas row: numpy scalars again
    plain = model.simulate(seed=5, fear_memory_days=int(row["fear_memory_days"]),
                           reactive_directives=bool(row["reactive_directives"]),
                           enforcement_intensity=float(row["enforcement_intensity"]), **SMALL)
    assert use[0] == plain["vpn_use_mean"]


def test_batch_run_over_np_arange_seeds_and_values():
    rows = batch_run(PressureModel, {"fear_memory_days": np.arange(30, 50, 10), "users": 300,
                                     "days": 15},
                     rng=np.arange(2), max_steps=100, number_processes=1,
                     display_progress=False)
    table = pd.DataFrame(rows)
    assert len(table) == 4 and (table["Step"] == 15).all()
    _, summary = model.run("china_2017", seed=1,
                           overrides={"fear_memory_days": 40, "users": 300, "days": 15})
    assert set(table["rng"]) == {0, 1}
    match = table[(table["fear_memory_days"] == 40) & (table["rng"] == 1)]
    assert match["vpn_use"].iloc[0] == summary["final"]["vpn_use"]


def test_numpy_scalars_equal_python_values():
    a = model.simulate(seed=np.int64(2), fear_memory_days=np.int32(37),
                       reactive_directives=np.bool_(True),
                       enforcement_intensity=np.float32(0.5), **SMALL)
    b = model.simulate(seed=2, fear_memory_days=37, reactive_directives=True,
                       enforcement_intensity=float(np.float32(0.5)), **SMALL)
    assert pd.Series(a).equals(pd.Series(b))            # NaN where a metric has no value


@pytest.mark.parametrize(("name", "value"), [
    ("fear_memory_days", np.float64(3.5)),           # not an integer
    ("reactive_directives", np.int64(1)),            # a number is not true/false
    ("fear_memory_days", np.bool_(True)),            # true/false is not a number
    ("enforcement_intensity", np.float32("nan")),
])
def test_wrong_numpy_values_are_refused_with_the_same_message(name, value):
    with pytest.raises(model.ScenarioError) as numpy_error:
        model.simulate(**{name: value}, **SMALL)
    with pytest.raises(model.ScenarioError) as python_error:
        model.simulate(**{name: plain_scalar(value)}, **SMALL)
    assert str(numpy_error.value).split(", got")[0] == str(python_error.value).split(", got")[0]


def test_plain_scalar_leaves_other_values_alone():
    assert type(plain_scalar(np.int64(3))) is int
    assert type(plain_scalar(np.bool_(False))) is bool
    assert type(plain_scalar(np.float32(0.25))) is float
    assert plain_scalar("3") == "3" and plain_scalar([1]) == [1]
    assert isinstance(plain_scalar(np.arange(3)), np.ndarray)     # arrays are not scalars
