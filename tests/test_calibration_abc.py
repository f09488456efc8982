"""Calibration by rejection: runs scored against the 2017 targets, points kept or rejected."""

import json

import pandas as pd
import pytest

from model.analysis import load_experiment_folder
from model.calibration import TARGETS, evaluate
from model.cli import main


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    out = tmp_path_factory.mktemp("calib") / "calibration_2017"
    code = main(["experiment", "experiments/calibration_2017.toml", "--workers", "1",
                 "--quiet", "--out", str(out), "--set", "users=400", "--set", "replicates=2",
                 "--set", "design.samples=6"])
    assert code == 0
    return out


def test_calibrate_scores_every_run_and_keeps_the_points_that_meet_all_targets(experiment,
                                                                                capsys):
    assert main(["calibrate", str(experiment)]) == 0
    assert "design points accepted" in capsys.readouterr().out
    folder = experiment / "calibration"
    runs = pd.read_csv(folder / "runs.csv")
    points = pd.read_csv(folder / "points.csv")
    posterior = pd.read_csv(folder / "posterior.csv")
    summary = json.loads((folder / "calibration.json").read_text())
    assert len(runs) == 12 and len(points) == 6
    assert set(summary["targets"]) == {t.name for t in TARGETS}
    # the score of each run is the targets' verdict on its time series
    series = load_experiment_folder(experiment).timeseries
    first = runs.iloc[0]
    table = evaluate(series[series["run_id"] == first["run_id"]]).set_index("target")
    assert bool(first["all_met"]) == bool(table["inside"].all())
    # a point is accepted exactly when all its replicates meet every target
    expected = runs.groupby("point")["all_met"].all()
    assert points.set_index("point")["accepted"].equals(expected.rename("accepted"))
    assert summary["accepted_points"] == int(expected.sum())
    assert set(posterior["parameter"]) == {
        "enforcement_intensity", "demand_median", "awareness_transmission",
        "store_removal_rate", "seller_shutdown_rate", "user_detection_rate"}


def test_a_looser_acceptance_keeps_at_least_as_many_points(experiment):
    main(["calibrate", str(experiment), "--acceptance", "0.5"])
    loose = json.loads((experiment / "calibration" / "calibration.json").read_text())
    main(["calibrate", str(experiment)])
    strict = json.loads((experiment / "calibration" / "calibration.json").read_text())
    assert loose["accepted_points"] >= strict["accepted_points"]


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["calibrate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "manifest.json" in err
