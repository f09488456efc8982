"""One name per meaning: `enforcement_intensity` is the input, `effective_intensity` the daily
value; the daily value's old name is still read, with a warning, until callers move."""

import pytest

import model
from model.batch.experiment import load_experiment

from experiment_support import GRID, write_experiment


def test_the_time_series_names_the_daily_value_effective_intensity():
    frame, _ = model.run("china_2017", seed=1, overrides={"users": 200, "days": 20})
    assert "effective_intensity" in frame.columns and "enforcement_intensity" not in frame.columns
    out = model.simulate(users=200, days=20, seed=1)
    assert "effective_intensity_mean" in out and "enforcement_intensity_mean" not in out


def test_the_old_daily_name_still_reads_the_daily_value_with_a_warning():
    frame, _ = model.run("china_2017", seed=1, overrides={"users": 200, "days": 20})
    with pytest.warns(FutureWarning, match="write `effective_intensity`"):
        old = frame.set_index("date")["enforcement_intensity"]
    assert old.equals(frame.set_index("date")["effective_intensity"])


def test_an_experiment_naming_the_old_outcome_still_runs_with_a_warning(tmp_path):
    text = GRID.replace('[settings]', 'outcomes = ["enforcement_intensity_mean", '
                        '"vpn_use_mean"]\n[settings]')
    path = write_experiment(tmp_path, text)
    with pytest.warns(FutureWarning, match="`enforcement_intensity_mean` is the old name"):
        experiment = load_experiment(path)
    assert experiment.outcomes == ("effective_intensity_mean", "vpn_use_mean")
