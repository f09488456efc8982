"""The shipped defaults of the 2017 case are the calibration's point estimate, and the record
beside the docs is what the calibration wrote (nothing typed in by hand)."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from experiment_support import ROOT, SCENARIOS
from model.calibration.abc import _estimate
from model.calibration.defaults import BEGIN, END, apply, block, calibrated_values, rounded
from model.config.errors import ScenarioError
from model.config.loader import load_scenario

RECORD = ROOT / "docs" / "data" / "calibration_2017"


@pytest.fixture(scope="module")
def summary():
    return json.loads((RECORD / "calibration.json").read_text())


def test_shipped_defaults_are_the_calibrated_ones(summary):
    scenario = load_scenario("china_2017")
    values = calibrated_values(summary)
    assert set(values) == set(summary["estimate"]["values"]) and len(values) == 9
    for name, value in values.items():
        assert scenario.params[name] == value, name


def test_the_scenario_block_is_exactly_what_the_record_writes(summary):
    text = (SCENARIOS / "china_2017.toml").read_text()
    posterior = pd.read_csv(RECORD / "posterior.csv")
    assert block(summary, posterior, "docs/data/calibration_2017") in text
    assert text.count(BEGIN) == 1 and text.count(END) == 1


def test_the_estimate_is_the_accepted_point_nearest_the_posterior_median(summary):
    points = pd.read_csv(RECORD / "points.csv")
    params = list(summary["estimate"]["values"])
    ranges = {r["parameter"]: (r["prior_low"], r["prior_high"])
              for r in pd.read_csv(RECORD / "posterior.csv").to_dict("records")}
    assert _estimate(points[points["accepted"]], params, ranges) == summary["estimate"]


def test_the_record_accepts_exactly_the_points_whose_runs_all_met_every_target(summary):
    runs = pd.read_csv(RECORD / "runs.csv")
    points = pd.read_csv(RECORD / "points.csv").set_index("point")
    expected = runs.groupby("point")["all_met"].mean() >= summary["acceptance"]
    assert points["accepted"].equals(expected.rename("accepted"))
    assert summary["accepted_points"] == int(expected.sum()) > 0
    assert len(runs) == summary["runs"] == summary["points"] * summary["replicates"]


def test_the_posterior_is_narrower_than_the_prior_where_the_record_informs_it():
    posterior = pd.read_csv(RECORD / "posterior.csv").set_index("parameter")
    width = (posterior["q97.5"] - posterior["q2.5"]) / (posterior["prior_high"]
                                                        - posterior["prior_low"])
    assert (width <= 1.0).all()
    assert width["enforcement_intensity"] < 0.75


def _calibration_dir(tmp_path):
    folder = tmp_path / "calibration"
    folder.mkdir()
    for name in ("calibration.json", "posterior.csv", "points.csv", "runs.csv"):
        shutil.copyfile(RECORD / name, folder / name)
    return folder


def test_apply_replaces_the_old_values_then_rewrites_only_its_block(tmp_path, summary):
    scenario = tmp_path / "case.toml"
    scenario.write_text('name = "case"\nextends = "baseline"\n# kept\nenforcement_intensity = 0.9'
                        '\n\n[[events]]\nid = "x"\ndate = 2017-05-01\nkind = "marker"\n'
                        'label = "x"\n', encoding="utf-8")
    folder = _calibration_dir(tmp_path)
    apply(folder, scenario, tmp_path / "record")
    first = scenario.read_text()
    assert "enforcement_intensity = 0.9" not in first and "# kept" in first
    assert first.index(END) < first.index("[[events]]")
    loaded = load_scenario(scenario)
    assert all(loaded.params[k] == v for k, v in calibrated_values(summary).items())
    assert [e.id for e in loaded.events if e.id == "x"] == ["x"]
    apply(folder, scenario, tmp_path / "record")
    assert scenario.read_text() == first                       # idempotent
    assert (tmp_path / "record" / "calibration.json").is_file()


def test_apply_refuses_a_calibration_that_accepted_nothing(tmp_path, summary):
    folder = _calibration_dir(tmp_path)
    (folder / "calibration.json").write_text(json.dumps({**summary, "estimate": None}))
    scenario = tmp_path / "case.toml"
    scenario.write_text('name = "case"\nenforcement_intensity = 0.9\n')
    with pytest.raises(ScenarioError, match="accepted design point"):
        apply(folder, scenario, tmp_path / "record")
    assert scenario.read_text() == 'name = "case"\nenforcement_intensity = 0.9\n'
    assert not (tmp_path / "record").exists()


def test_apply_refuses_a_scenario_the_block_would_break_and_writes_nothing(tmp_path, summary):
    folder = _calibration_dir(tmp_path)
    scenario = tmp_path / "case.toml"
    text = 'name = "case"\n\n[behaviour]\nhabit_weight = 0.5\n'      # clashes with the block
    scenario.write_text(text)
    with pytest.raises(ScenarioError, match="calibrated block"):
        apply(folder, scenario, tmp_path / "record")
    assert scenario.read_text() == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calibration", "case.toml"]


@given(st.floats(min_value=1e-9, max_value=1e6, allow_nan=False))
def test_rounded_keeps_three_significant_digits(x):
    r = rounded(x)
    assert math.isclose(r, x, rel_tol=5e-3)
    digits = f"{r:.12e}".split("e")[0].replace(".", "").rstrip("0")
    assert len(digits) <= 3
    assert rounded(r) == r


def test_estimate_is_one_of_the_accepted_points():
    accepted = pd.DataFrame({"point": [3, 7, 9], "a": [0.1, 0.5, 0.9], "b": [1.0, 2.0, 9.0]})
    est = _estimate(accepted, ["a", "b"], {"a": (0, 1), "b": (0, 10)})
    assert est == {"point": 7, "values": {"a": 0.5, "b": 2.0}}
    assert _estimate(accepted.iloc[:0], ["a"], {"a": (0, 1)}) is None
    assert np.isfinite(list(est["values"].values())).all()
