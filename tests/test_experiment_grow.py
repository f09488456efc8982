"""An experiment grows by replicates in its folder: finished runs keep their files, ids and
seeds and are not run again; fewer replicates or another change is still refused."""

from __future__ import annotations

import json

import pandas as pd

from experiment_support import cli, files, stored, write_experiment

TEXT = """
name = "grow"
scenarios = ["{scenarios}/china_2017.toml"]
replicates = 1
seed = 3
[settings]
users = 300
days = 15
[design]
kind = "grid"
[design.parameters]
enforcement_intensity = [0.2, 0.8]
"""


def test_more_replicates_add_runs_without_redoing_finished_ones(tmp_path):
    exp, out = write_experiment(tmp_path, TEXT), tmp_path / "out"
    first = cli(["experiment", exp, "--out", out, "--quiet", "--workers", "1"], cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = {k: v for k, v in files(out).items() if k.startswith(("runs/", "parts/", "parts_long/"))}
    seeds = {r["run_id"]: r["seed"] for r in json.loads((out / "manifest.json").read_text())["runs"]}
    assert before and len(stored(out)) == 2

    grown = cli(["experiment", exp, "--out", out, "--quiet", "--workers", "1", "--set",
                 "replicates=3"], cwd=tmp_path)
    assert grown.returncode == 0, grown.stderr
    assert "6 of 6 runs done, 2 of them from before" in grown.stdout
    after = {k: v for k, v in files(out).items() if k.startswith(("runs/", "parts/", "parts_long/"))}
    assert len(stored(out)) == 6
    assert all(after[k] == v for k, v in before.items())        # not rewritten: not redone
    manifest = json.loads((out / "manifest.json").read_text())
    assert {r["run_id"]: r["seed"] for r in manifest["runs"] if r["run_id"] in seeds} == seeds
    assert manifest["experiment"]["replicates"] == 3 and manifest["counts"]["done"] == 6
    summary = pd.read_parquet(out / "summary.parquet")
    assert sorted(summary["replicate"].unique()) == [0, 1, 2]

    fewer = cli(["experiment", exp, "--out", out, "--quiet", "--set", "replicates=2"],
                cwd=tmp_path)
    assert fewer.returncode == 2 and "fewer replicates" in fewer.stderr
    other = cli(["experiment", exp, "--out", out, "--quiet", "--set", "users=400"],
                cwd=tmp_path)
    assert other.returncode == 2 and "different one" in other.stderr
