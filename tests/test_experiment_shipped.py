"""The shipped experiments run end to end in their reduced form (tiny population and horizon,
two replicates, two Morris trajectories), and `pressure report` makes their reports."""

from __future__ import annotations

import json

import pytest

from experiment_support import EXPERIMENTS, reduced
from model.batch.cli import main

CASES = [
    ("intensity_sweep", [], 5 * 2, "## Outcomes against the swept parameters"),
    ("scenario_comparison", [], 7 * 2, "## Scenarios against `baseline`"),
    ("counterfactuals", [], 5 * 2, "## Scenarios against `china_2017`"),
    ("sensitivity", ["--set", "design.trajectories=2", "--set", "replicates=1"], 33 * 2,
     "## Sensitivity: Morris screening"),
]


@pytest.mark.parametrize("name,extra,runs,section", CASES, ids=[c[0] for c in CASES])
def test_shipped_experiment_runs_reduced_and_reports(name, extra, runs, section, tmp_path):
    out = tmp_path / name
    assert main(["experiment", str(EXPERIMENTS / f"{name}.toml"), *reduced(), *extra,
                 "--workers", "1", "--out", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"] == {"total": runs, "done": runs, "failed": 0, "pending": 0}
    assert main(["report", str(out)]) == 0
    text = (out / "report" / "report.md").read_text()
    assert section in text and "## Time series" in text
