"""docs/validation.md is regenerated from results, covers every pattern, and says which ones
calibration used; `pressure validate` makes it end to end."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiment_support import ROOT
from model.calibration.targets import HELD_OUT, PATTERNS, TARGETS
from model.calibration.validation import regenerate, render
from model.cli import main

DOC = ROOT / "docs" / "validation.md"
DATA = ROOT / "docs" / "data" / "validation_2017.csv"


def test_the_validation_page_is_regenerated_from_results_not_edited_by_hand():
    assert regenerate(DOC, DATA) == DOC.read_text(encoding="utf-8"), (
        "docs/validation.md differs from what its table gives: run `pressure reproduce "
        "--size full --step validation --resume` (or `pressure validate`), do not edit it")


def test_the_page_has_one_row_per_pattern_and_says_which_calibration_used():
    text = DOC.read_text(encoding="utf-8")
    rows = [ln for ln in text.splitlines() if ln.startswith("| `")]
    assert [re.match(r"\| `(\w+)`", r)[1] for r in rows] == [t.name for t in PATTERNS]
    for row, t in zip(rows, PATTERNS):
        assert ("| used |" in row) == t.calibration and ("| held out |" in row) != t.calibration
        assert t.source in row and t.observed in row
    assert len(HELD_OUT) >= 3 and "Not used for calibration" in text


def test_the_table_holds_every_run_of_the_validation_experiment():
    runs = pd.read_csv(DATA)
    meta = json.loads(DATA.with_suffix(".json").read_text())
    assert len(runs) == meta["sets"] * meta["replicates"] and runs["run_id"].is_unique
    assert {t.name for t in PATTERNS} <= set(runs.columns)
    assert meta["users"] == 10_000 and meta["sets"] >= 20


def test_the_calibrated_model_meets_its_calibration_targets_on_average():
    runs = pd.read_csv(DATA)
    for t in TARGETS:
        assert t.low <= runs[t.name].mean() <= t.high, t.name


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """A tiny calibration experiment, scored (no --apply: the shipped scenario stays)."""
    out = tmp_path_factory.mktemp("val") / "calibration_2017"
    assert main(["experiment", "experiments/calibration_2017.toml", "--workers", "1", "--quiet",
                 "--out", str(out), "--set", "users=300", "--set", "replicates=1",
                 "--set", "design.samples=10"]) == 0
    assert main(["calibrate", str(out)]) == 0
    return out


def test_validate_runs_the_accepted_sets_and_writes_a_page_that_regenerates(calibrated,
                                                                             tmp_path, capsys):
    doc, data = tmp_path / "docs" / "validation.md", tmp_path / "docs" / "data" / "v.csv"
    code = main(["validate", str(calibrated), "--sets", "2", "--replicates", "2", "--users",
                 "300", "--workers", "1", "--experiment", str(tmp_path / "v.toml"), "--out",
                 str(tmp_path / "runs"), "--doc", str(doc), "--data", str(data)])
    assert code == 0, capsys.readouterr().err
    runs = pd.read_csv(data)
    assert len(runs) == 4 and runs["point"].nunique() == 2
    accepted = pd.read_csv(calibrated / "calibration" / "points.csv").query("accepted")
    assert set(runs["point"]) <= set(range(2))          # list design: points of the new file
    assert set(pd.read_parquet(tmp_path / "runs" / "design.parquet")["enforcement_intensity"]
               ) <= set(accepted["enforcement_intensity"])
    assert regenerate(doc, data) == doc.read_text()


def test_validate_without_a_calibration_is_one_line_exit_2_and_writes_nothing(tmp_path,
                                                                               capsys):
    code = main(["validate", str(tmp_path), "--experiment", str(tmp_path / "v.toml"),
                 "--doc", str(tmp_path / "v.md"), "--data", str(tmp_path / "v.csv")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "calibration.json" in err
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=2**31))
def test_each_row_says_inside_exactly_when_the_model_mean_is_in_the_interval(n, seed):
    rng = np.random.default_rng(seed)
    runs = pd.DataFrame({"run_id": [f"r{i}" for i in range(n)], "point": range(n),
                         **{t.name: rng.uniform(t.low - 1.0, t.high + 1.0, n)
                            for t in PATTERNS}})
    meta = json.loads(DATA.with_suffix(".json").read_text())
    rows = [ln for ln in render(runs, meta, "x.csv").splitlines() if ln.startswith("| `")]
    assert len(rows) == len(PATTERNS)
    for row, t in zip(rows, PATTERNS):
        values = runs[t.name]
        inside = t.low <= values.mean() <= t.high
        share = ((values >= t.low) & (values <= t.high)).mean()
        assert row.endswith("| **yes** |" if inside else "| **no** |")
        assert f"| {share:.0%} |" in row
